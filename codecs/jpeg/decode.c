/*
 * The JPEG decoder the browser worker runs: libjpeg-turbo's own decompressor (the code sharp's libvips calls in
 * Node), compiled to WebAssembly, with the settings libvips uses (ISLOW IDCT, fancy upsampling, RGB/grey/CMYK
 * output), so that both give the same bytes. The host reads the result from the memory this module exports.
 *
 * libjpeg reports fatal errors through error_exit, which must not return. WebAssembly without exception handling
 * has no longjmp, so the host's `fail` import throws: the call unwinds to JavaScript and the host discards this
 * instance, whose heap is then in an unknown state.
 */
#include "../host.h"
#include <stdio.h>

#include "jpeglib.h"
#include "jerror.h"

/* Read by the host after `decode` returns: where the pixels are and what they mean. */
typedef struct {
  uint32_t width;
  uint32_t height;
  uint32_t channels;
  /* libjpeg's J_COLOR_SPACE of the output: 1 grey, 2 RGB, 4 CMYK. */
  uint32_t color_space;
  /* An Adobe APP14 marker was seen: CMYK samples are stored inverted, as Photoshop writes them. */
  uint32_t adobe;
  uint8_t *pixels;
} decode_result;

static decode_result result;
static char message[JMSG_LENGTH_MAX];

static void fail_with_message(j_common_ptr cinfo) {
  (*cinfo->err->format_message)(cinfo, message);
  switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF: host_fail(FAILURE_TRUNCATED, message); break;
    /* 12- and 16-bit JPEGs: this build, like sharp's, decodes 8-bit samples only. */
    case JERR_BAD_PRECISION: host_fail(FAILURE_UNSUPPORTED, message); break;
    default: host_fail(FAILURE_DAMAGED, message); break;
  }
  __builtin_unreachable();
}

/*
 * Warnings (corrupt data that libjpeg recovers from, extraneous bytes before a marker) are tolerated, as libvips
 * does with fail_on=error, except running out of data: libjpeg would go on with a grey tail.
 */
static void on_message(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) fail_with_message(cinfo);
}

__attribute__((export_name("result")))
decode_result *result_pointer(void) { return &result; }

/*
 * Decodes `size` bytes at `input` at 1/scale_denom (1, 2, 4 or 8: libjpeg's reduced DCT scales). Pictures above
 * max_pixels are refused from the header before any data is decoded. The pixels belong to the caller (`release`).
 */
__attribute__((export_name("decode")))
int decode(const uint8_t *input, uint32_t size, uint32_t scale_denom, double max_pixels) {
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr errors;
  cinfo.err = jpeg_std_error(&errors);
  errors.error_exit = fail_with_message;
  errors.emit_message = on_message;
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, input, size);
  jpeg_read_header(&cinfo, TRUE);
  if ((double)cinfo.image_width * (double)cinfo.image_height > max_pixels) {
    jpeg_destroy_decompress(&cinfo);
    return -1;
  }
  switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: cinfo.out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK: cinfo.out_color_space = JCS_CMYK; break;
    default: cinfo.out_color_space = JCS_RGB; break;
  }
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.do_fancy_upsampling = TRUE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = scale_denom;
  jpeg_start_decompress(&cinfo);

  const uint32_t stride = cinfo.output_width * cinfo.output_components;
  uint8_t *pixels = malloc((size_t)stride * cinfo.output_height);
  if (!pixels) ERREXIT1(&cinfo, JERR_OUT_OF_MEMORY, 0);
  JSAMPROW rows[16];
  while (cinfo.output_scanline < cinfo.output_height) {
    JDIMENSION count = cinfo.output_height - cinfo.output_scanline;
    if (count > 16) count = 16;
    for (JDIMENSION i = 0; i < count; i++) rows[i] = pixels + (size_t)stride * (cinfo.output_scanline + i);
    jpeg_read_scanlines(&cinfo, rows, count);
  }
  jpeg_finish_decompress(&cinfo);

  result.width = cinfo.output_width;
  result.height = cinfo.output_height;
  result.channels = cinfo.output_components;
  result.color_space = cinfo.out_color_space;
  result.adobe = cinfo.saw_Adobe_marker;
  result.pixels = pixels;
  jpeg_destroy_decompress(&cinfo);
  return 0;
}
