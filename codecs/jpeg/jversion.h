/* libjpeg-turbo's jversion.h, reduced to what the decoder's error table needs. */
#define JVERSION  "6b  27-Mar-1998"
#define JCOPYRIGHT  "Copyright (C) 1991-2020 Thomas G. Lane, Guido Vollbeding and the libjpeg-turbo Project"
#define JCOPYRIGHT_SHORT  "Copyright (C) The libjpeg-turbo Project and many others"
