/**
 * The browser's own decoder (`createImageBitmap` + OffscreenCanvas), for the formats no decoder of ours reads
 * (src/decode/own-decoders.ts reads JPEG and PNG). Same pixel policy and error codes as the Node decoder.
 *
 * Its pixels are only as trustworthy as the browser's read-back: Firefox with resistFingerprinting or
 * fingerprinting protection, Safari's private windows and Brave add noise to what `getImageData` (and WebGL's
 * `readPixels`) return, and a hash of such pixels would be silently wrong. So every read path is first proved, once
 * per worker, on a known picture: a path that does not return it exactly is never used, and if none does, such
 * files fail with `pixels-altered` instead of getting a hash.
 *
 * - Colour: `colorSpaceConversion: "none"` keeps the stored samples (no ICC or gamma transform), as the
 *   reference's ImageMagick `convert FILE pnm:-` does; the canvas is sRGB, so drawing adds no conversion.
 * - Alpha is ignored by the kernel, which hashes the stored colour even under transparent pixels. A 2D canvas
 *   keeps colour premultiplied, which loses exactly that (a fully transparent picture reads back black), so
 *   pictures with transparency are read again unpremultiplied, through WebGL or a WebCodecs VideoFrame, whichever
 *   this engine proves to keep straight alpha. With neither, the canvas pixels are used and such pictures may hash
 *   away from Node (noise under fully transparent pixels most of all).
 * - Grey: a picture whose every pixel has R = G = B goes to the kernel as one grey channel, as in Node
 *   (src/decode/neutral-grey.ts explains why that moves bits).
 * - Animated images: the bitmap is the first frame.
 */
import { HashError } from "../errors.js";
import { readU32LE } from "./byte-order.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { decodePngSamples } from "./png-samples.js";
import { tooManyPixels, truncatedFile, type ImageFormat } from "./sniff.js";
import type { DecodedImage, DecodeOptions } from "./types.js";

const MIME_TYPES: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  heic: "image/heic",
  bmp: "image/bmp",
  tiff: "image/tiff",
};

/** Formats most browsers cannot decode at all (HEIC and TIFF open only in Safari). */
const SOMETIMES_UNSUPPORTED: ReadonlySet<ImageFormat> = new Set(["heic", "tiff"]);

const BITMAP_OPTIONS: ImageBitmapOptions = {
  imageOrientation: "from-image",
  colorSpaceConversion: "none",
  premultiplyAlpha: "none",
};

/** A 2 x 2 RGBA PNG whose pixels are PROBE_RGBA: colour under full transparency and under half alpha. */
const PROBE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAGklEQVQI12PgEpFj0DCyaWBwC4j6z8jEzAAAGzkDSLKad4UAAAAASUVORK5CYII=";
const PROBE_RGBA = [10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255, 1, 2, 3, 0];

/**
 * An opaque 32 x 32 PNG with every channel varying from pixel to pixel: read-back noise that touches any pixel
 * shows up as a difference from the samples our own PNG reader finds in it.
 */
const READBACK_PROBE_PNG = [
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAMK0lEQVRIxwEgDN/zAAAABwgBBxACBxgDByAE",
  "BygFBzAGBzgHB0AIB0gJB1AKB1gLB2AMB2gNB3AOB3gPB4AQB4gRB5ASB5gTB6AUB6gVB7AWB7gXB8AYB8gZB9AaB9gbB+AcB+gdB/AeB/gfBwAD",
  "CAcLCQgTCgkbCwojDAsrDQwzDg07Dw5DEA9LERBTEhFbExJjFBNrFRRzFhV7FxaDGBeLGRiTGhmbGxqjHBurHRyzHh27Hx7DIB/LISDTIiHbIyLj",
  "JCPrJSTzJiX7JyYABhAHDhEJFhILHhMNJhQPLhURNhYTPhcVRhgXThkZVhobXhsdZhwfbh0hdh4jfh8lhiAnjiEpliIrniMtpiQvriUxtiYzvic1",
  "xig3zik51io73is95iw/7i1B9i5D/i9FAAkYBwEZChkaDREbECkcEyEdFjkeGTEfHEkgH0EhIlkiJVEjKGkkK2ElLnkmMXEnNIkoN4EpOpkqPZEr",
  "QKksQ6EtRrkuSbEvTMkwT8ExUtkyVdEzWOk0W+E1Xvk2YfE3ZAAMIAcEIQscIg8UIxMsJBckJRs8Jh80JyNMKCdEKStcKi9UKzNsLDdkLTt8Lj90",
  "L0OMMEeEMUucMk+UM1OsNFekNVu8Nl+0N2PMOGfEOWvcOm/UO3PsPHfkPXv8Pn/0P4MADygHBykMHyoRFysWLywbJy0gPy4lNy8qTzAvRzE0XzI5",
  "VzM+bzRDZzVIfzZNdzdSjzhXhzlcnzphlztmrzxrpz1wvz51tz96z0B/x0GE30KJ10OO70ST50WY/0ad90eiABIwBxoxDQIyEwozGTI0Hzo1JSI2",
  "Kyo3MVI4N1o5PUI6Q0o7SXI8T3o9VWI+W2o/YZJAZ5pBbYJCc4pDebJEf7pFhaJGi6pHkdJIl9pJncJKo8pLqfJMr/pNteJOu+pPwQAVOAcdOQ4F",
  "OhUNOxw1PCM9PSolPjEtPzhVQD9dQUZFQk1NQ1R1RFt9RWJlRmltR3CVSHedSX6FSoWNS4y1TJO9TZqlTqGtT6jVUK/dUbbFUr3NU8T1VMv9VdLl",
  "VtntV+AAGEAHEEEPCEIXAEMfOEQnMEUvKEY3IEc/WEhHUElPSEpXQEtfeExncE1vaE53YE9/mFCHkFGPiFKXgFOfuFSnsFWvqFa3oFe/2FjH0FnP",
  "yFrXwFvf+Fzn8F3v6F734F//ABtIBxNJEAtKGQNLIjtMKzNNNCtOPSNPRltQT1NRWEtSYUNTantUc3NVfGtWhWNXjptYl5NZoItaqYNbsrtcu7Nd",
  "xKtezaNf1ttg39Nh6Mti8cNj+vtkA/NlDOtmFeNnHgAeUAcWUREOUhsGUyU+VC82VTkuVkMmV01eWFdWWWFOWmtGW3V+XH92XYluXpNmX52eYKeW",
  "YbGOYruGY8W+ZM+2ZdmuZuOmZ+3eaPfWaQHOagvGaxX+bB/2bSnubjPmbz0AIVgHKVkSMVodOVsoAVwzCV0+EV5JGV9UYWBfaWFqcWJ1eWOAQWSL",
  "SWWWUWahWWesoWi3qWnCsWrNuWvYgWzjiW3ukW75mW8E4XAP6XEa8XIl+XMwwXQ7yXVG0XZR2XdcACRgByxhEzRiHzxjKwRkNwxlQxRmTxxnW2Ro",
  "Z2xpc3Rqf3xri0Rsl0xto1Rur1xvu6Rwx6xx07Ry37xz64R094x1A5R2D5x3G+R4J+x5M/R6P/x7S8R8V8x9Y9R+b9x/ewAnaAcvaRQ3aiE/ay4H",
  "bDsPbUgXblUfb2JncG9vcXx3col/c5ZHdKNPdbBXdr1fd8qneNeveeS3evG/e/6HfAuPfRiXfiWffzLngD/vgUz3gln/g2bHhHPPhYDXho3fh5oA",
  "KnAHInEVOnIjMnMxCnQ/AnVNGnZbEndpanh3YnmFenqTcnuhSnyvQn29Wn7LUn/ZqoDnooH1uoIDsoMRioQfgoUtmoY7kodJ6ohX4oll+opz8ouB",
  "yoyPwo2d2o6r0o+5AC14ByV5Fj16JTV7NA18QwV9Uh1+YRV/cG2Af2WBjn2CnXWDrE2Eu0WFyl2G2VWH6K2I96WJBr2KFbWLJI2MM4WNQp2OUZWP",
  "YO2Qb+WRfv2SjfWTnM2Uq8WVut2WydWX2AAwgAc4gRcggicogzcQhEcYhVcAhmcIh3dwiId4iZdgiqdoi7dQjMdYjddAjudIj/ewkAe4kRegkieo",
  "kzeQlEeYlVeAlmeIl3fwmIf4mZfgmqfom7fQnMfYndfAnufIn/cAM4gHO4kYI4opK4s6E4xLG41cA45tC49+c5CPe5GgY5Kxa5PCU5TTW5XkQ5b1",
  "S5cGs5gXu5koo5o5q5tKk5xbm51sg559i5+O86Cf+6Gw46LB66PS06Tj26X0w6YFy6cWADaQBz6RGSaSKy6TPRaUTx6VYQaWcw6XhXaYl36ZqWaa",
  "u26bzVac316d8UaeA06fFbagJ76hOaaiS66jXZakb56lgYamk46npfaot/6pyeaq2+6r7das/96tEcauI86vNQA5mAcxmRopmi0hm0AZnFMRnWYJ",
  "nnkBn4x5oJ9xobJposVho9hZpOtRpf5JphFBpyS5qDexqUqpql2hq3CZrIORrZaJrqmBr7z5sM/xseLpsvXhswjZtBvRtS7JtkHBt1QAPKAHNKEb",
  "LKIvJKNDHKRXFKVrDKZ/BKeTfKindKm7bKrPZKvjXKz3VK0LTK4fRK8zvLBHtLFbrLJvpLODnLSXlLWrjLa/hLfT/Ljn9Ln77LoP5Lsj3Lw31L1L",
  "zL5fxL9zAD+oBzepHC+qMSerRh+sWxetcA+uhQevmn+wr3exxG+y2Wez7l+0A1e1GE+2LUe3Qr+4V7e5bK+6gae7lp+8q5e9wI++1Ye/6v/A//fB",
  "FO/CKefDPt/EU9fFaM/GfcfHkgBCsAdKsR1SsjNas0litF9qtXVytot6t6ECuLcKuc0SuuMau/kivA8qvSUyvjs6v1HCwGfKwX3SwpPaw6nixL/q",
  "xdXyxuv6xwGCyBeKyS2SykOay1mizG+qzYWyzpu6z7EARbgHTbkeVbo1XbtMZbxjbb16db6Rfb+oBcC/DcHWFcLtHcMEJcQbLcUyNcZJPcdgxch3",
  "zcmO1cql3cu85czT7c3q9c4B/c8YhdAvjdFGldJdndN0pdSLrdWitda5vdfQAEjAB0DBH1jCN1DDT2jEZ2DFf3jGl3DHrwjIxwDJ3xjK9xDLDyjM",
  "JyDNPzjOVzDPb8jQh8DRn9jSt9DTz+jU5+DV//jWF/DXL4jYR4DZX5jad5Dbj6jcp6Ddv7je17Df7wBLyAdDySBbyjlTy1JrzGtjzYR7zp1zz7YL",
  "0M8D0egb0gET0xor1DMj1Uw71mUz137L2JfD2bDb2snT2+Lr3Pvj3RT73i3z30aL4F+D4Xib4pGT46qr5MOj5dy75vWz5w4ATtAHRtEhXtI7VtNV",
  "btRvZtWJftajdte9DtjXBtnxHtoLFtslLtw/Jt1ZPt5zNt+NzuCnxuHB3uLb1uP17uQP5uUp/uZD9uddjuh3humRnuqrluvFruzfpu35vu4Ttu8t",
  "AFHYB1nZIkHaPUnbWHHcc3ndjmHeqWnfxBHg3xnh+gHiFQnjMDHkSznlZiHmgSnnnNHot9np0sHq7cnrCPHsI/ntPuHuWenvdJHwj5nxqoHyxYnz",
  "4LH0+7n1FqH2Man3TABU4Adc4SNE4j9M41t05Hd85ZNk5q9s58sU6Occ6QME6h8M6zs07Fc87XMk7o8s76vU8Mfc8ePE8v/M8xv09Df89VPk9m/s",
  "94uU+Kec+cOE+t+M+/u0/Be8/TOk/k+s/2sAV+gHX+kkR+pBT+ted+x7f+2YZ+61b+/SF/DvH/EMB/IpD/NGN/RjP/WAJ/adL/e61/jX3/n0x/oR",
  "z/su9/xL//1o5/6F7/+ilwC/nwHchwL5jwMWtwQzvwVQpwZtrweKAFrwB1LxJUryQ0LzYXr0f3L1nWr2u2L32Rr49xL5FQr6MwL7UTr8bzL9jSr+",
  "qyL/ydoA59IBBcoCI8IDQfoEX/IFfeoGm+IHuZoI15IJ9YoKE4ILMboMT7INbaoOi6IPqQBd+AdV+SZN+kVF+2R9/IN1/aJt/sFl/+AdAP8VAR4N",
  "Aj0FA1w9BHs1BZotBrklB9jdCPfVCRbNCjXFC1T9DHP1DZLtDrHlD9CdEO+VEQ6NEi2FE0y9FGu1FYqtFqmlF8imvJxMMv3EnAAAAABJRU5ErkJg",
  "gg==",
].join("");

type PixelReader = (bitmap: ImageBitmap) => Promise<Uint8ClampedArray | undefined>;
let straightAlphaReader: Promise<PixelReader | undefined> | undefined;
let canvasIsFaithful: Promise<boolean> | undefined;

/**
 * The bitmap's stored, unpremultiplied RGBA, or undefined when this browser has no way to read it. Engines differ
 * (Chromium: WebGL keeps straight alpha, a VideoFrame does not; headless Firefox ESR: no WebGL in workers, a
 * VideoFrame does), so each way is tried once on a known picture and the first that returns it exactly is used.
 */
async function readStraightAlpha(bitmap: ImageBitmap): Promise<Uint8ClampedArray | undefined> {
  straightAlphaReader ??= findStraightAlphaReader().catch(() => undefined);
  const read = await straightAlphaReader;
  return read?.(bitmap);
}

/** A reader must return both probes exactly: straight alpha on the small one, no noise on the large one. */
async function findStraightAlphaReader(): Promise<PixelReader | undefined> {
  const readers: PixelReader[] = [async (bitmap) => readThroughWebGL(bitmap), readThroughVideoFrame];
  for (const read of readers) {
    if ((await returnsAlphaProbe(read)) && (await returnsReadbackProbe(read))) return read;
  }
  return undefined;
}

async function returnsAlphaProbe(read: PixelReader): Promise<boolean> {
  const probe = await createImageBitmap(new Blob([fromBase64(PROBE_PNG)], { type: "image/png" }), BITMAP_OPTIONS);
  try {
    const pixels = await read(probe);
    return pixels?.every((value, i) => value === PROBE_RGBA[i]) ?? false;
  } finally {
    probe.close();
  }
}

/** Whether `read` gives back the read-back probe's samples exactly (RGBA, opaque). */
async function returnsReadbackProbe(read: PixelReader): Promise<boolean> {
  const bytes = fromBase64(READBACK_PROBE_PNG);
  const expected = await decodePngSamples(bytes, Number.POSITIVE_INFINITY);
  const probe = await createImageBitmap(new Blob([bytes], { type: "image/png" }), BITMAP_OPTIONS);
  try {
    const pixels = await read(probe);
    if (pixels?.length !== expected.width * expected.height * 4) return false;
    for (let i = 0, at = 0; i < pixels.length; i += 4, at += 3) {
      if (pixels[i] !== expected.data[at] || pixels[i + 1] !== expected.data[at + 1] || pixels[i + 2] !== expected.data[at + 2]) return false;
      if (pixels[i + 3] !== 255) return false;
    }
    return true;
  } finally {
    probe.close();
  }
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** A person reads this when the browser's privacy protection alters read-back: what happened and what to do. */
export function pixelsAltered(format: ImageFormat): HashError {
  return new HashError(
    "pixels-altered",
    `This browser's privacy protection changes the pixels web pages read, so a fingerprint of this ` +
      `${format.toUpperCase()} picture would be wrong and none was made. Save or export the picture as JPEG or PNG ` +
      "and add it again, or use another browser for this page.",
  );
}

/**
 * Decodes a picture in a format none of our decoders reads. Throws `pixels-altered` when this browser's read-back
 * does not return a known picture exactly.
 */
export async function decodeWithBrowser(bytes: Uint8Array, format: ImageFormat, options: DecodeOptions): Promise<DecodedImage> {
  if (endsEarly(bytes, format)) throw truncatedFile();
  canvasIsFaithful ??= returnsReadbackProbe(async (bitmap) => drawOnCanvas(bitmap)).catch(() => false);
  if (!(await canvasIsFaithful)) throw pixelsAltered(format);
  const bitmap = await toBitmap(bytes, format);
  try {
    const { width, height } = bitmap;
    // Formats whose header size the sniffer cannot read are checked here, before the pixels are copied out.
    if (width * height > options.maxPixels) throw tooManyPixels({ width, height }, options.maxPixels);
    const drawn = drawOnCanvas(bitmap);
    const data = isOpaque(drawn) ? drawn : ((await readStraightAlpha(bitmap)) ?? drawn);
    return collapseNeutralToGrey({ data, width, height, channels: 4 });
  } finally {
    bitmap.close();
  }
}

async function toBitmap(bytes: Uint8Array, format: ImageFormat): Promise<ImageBitmap> {
  // Blob copies the bytes; the worker received them from `blob.arrayBuffer()`, so they are a plain ArrayBuffer.
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME_TYPES[format] });
  try {
    return await createImageBitmap(blob, BITMAP_OPTIONS);
  } catch (error) {
    if (SOMETIMES_UNSUPPORTED.has(format)) {
      throw new HashError(
        "unsupported-format",
        `This browser cannot open ${format.toUpperCase()} pictures. Save or export the picture as JPEG or PNG, then try again.`,
        { cause: error },
      );
    }
    throw new HashError(
      "decode-failed",
      "This picture could not be opened; the file may be damaged. Try saving or exporting it again.",
      { cause: error },
    );
  }
}

function drawOnCanvas(bitmap: ImageBitmap): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new HashError("decode-failed", "This browser could not set up a canvas to read the picture.");
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: "srgb" });
  // Release the canvas's own copy now rather than at the next garbage collection: workers decode back to back.
  canvas.width = 0;
  canvas.height = 0;
  return data;
}

function isOpaque(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/**
 * The stored, unpremultiplied RGBA of the bitmap, copied out of a WebCodecs VideoFrame made from it (a frame keeps
 * the bitmap's straight alpha in Firefox, not in Chromium). Undefined where VideoFrame or its RGBA copy is
 * unavailable.
 */
async function readThroughVideoFrame(bitmap: ImageBitmap): Promise<Uint8ClampedArray | undefined> {
  if (typeof VideoFrame !== "function") return undefined;
  let frame: VideoFrame | undefined;
  try {
    frame = new VideoFrame(bitmap, { timestamp: 0, alpha: "keep" });
    const options: VideoFrameCopyToOptions = { format: "RGBA" };
    const out = new Uint8ClampedArray(bitmap.width * bitmap.height * 4);
    // A padded layout (stride beyond width * 4) would not be the tightly packed pixels the kernel reads.
    if (frame.allocationSize(options) !== out.length) return undefined;
    await frame.copyTo(out, options);
    return out;
  } catch {
    return undefined;
  } finally {
    frame?.close();
  }
}

/**
 * The stored, unpremultiplied RGBA of the bitmap, read back through a WebGL texture. Undefined where WebGL 2 is
 * unavailable or the picture is larger than a texture may be (8192 px or more a side, usually).
 */
function readThroughWebGL(bitmap: ImageBitmap): Uint8ClampedArray | undefined {
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const gl = canvas.getContext("webgl2", { premultipliedAlpha: false, antialias: false, depth: false });
  if (!gl) return undefined;
  try {
    const limit = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (width > limit || height > limit) return undefined;
    const texture = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    gl.bindFramebuffer(gl.FRAMEBUFFER, gl.createFramebuffer());
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return undefined;
    // Texture row 0 is the bitmap's top row (no flip on upload), and readPixels returns row 0 first.
    const out = new Uint8ClampedArray(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, out);
    return gl.getError() === gl.NO_ERROR ? out : undefined;
  } finally {
    gl.getExtension("WEBGL_lose_context")?.loseContext();
  }
}

/** True when a WebP's RIFF size runs past the file (browsers would show what is there instead of failing). */
function endsEarly(bytes: Uint8Array, format: ImageFormat): boolean {
  return format === "webp" && bytes.length < 8 + readU32LE(bytes, 4);
}
