/**
 * The browser decoder: `createImageBitmap` + OffscreenCanvas, run inside a Web Worker. Same pixel policy and
 * same error codes as the Node decoder (sharp), so a file gives the same hash, or the same failure, in both.
 *
 * - Colour: `colorSpaceConversion: "none"` keeps the stored samples (no ICC or gamma transform), as the
 *   reference's ImageMagick `convert FILE pnm:-` does; the canvas is sRGB, so drawing adds no conversion.
 * - Alpha is ignored by the kernel, which hashes the stored colour even under transparent pixels. A 2D canvas
 *   keeps colour premultiplied, which loses exactly that (a fully transparent pixel reads back black). PNGs with
 *   transparency or 16-bit samples are therefore read by src/decode/png-samples.ts, which gives the same bytes
 *   in every engine, with or without WebGL (headless Firefox ESR has no WebGL in workers, and Firefox reduces
 *   16-bit samples to 8 bits its own way). Other pictures with transparency (WebP, GIF, AVIF) are read again
 *   unpremultiplied, through WebGL or a WebCodecs VideoFrame, whichever this engine proves to keep straight alpha
 *   (readStraightAlpha). With neither, the canvas pixels are used and such pictures may hash away from Node
 *   (noise under fully transparent pixels most of all).
 * - Orientation: `from-image` applies EXIF orientation. Chromium applies it even when asked for `none`, so for
 *   `orientation: "ignore"` the JPEG's EXIF orientation is set to 1 in a copy of the bytes before decoding.
 * - Grey: a picture whose every pixel has R = G = B goes to the kernel as one grey channel, as in Node
 *   (src/decode/neutral-grey.ts explains why that moves bits).
 * - Fast mode (`minShortSide`) is not taken up: a browser cannot decode at libjpeg's reduced DCT scales, and any
 *   other reduction would give different pixels, so browsers always decode at full size.
 * - Animated images: the bitmap is the first frame.
 * - Browsers show a cut-off JPEG or PNG as far as it goes instead of failing, so the file's structure is checked
 *   first: a picture that stops early is `truncated`, as in Node, not hashed with a grey or empty tail.
 */
import { HashError } from "../errors.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { decodePngSamples, needsOwnPngDecode } from "./png-samples.js";
import { checkImageHeader, jpegHeaderSegments, tooManyPixels, truncatedFile, type ImageFormat } from "./sniff.js";
import type { DecodedImage, DecodeOptions, ImageDecoder } from "./types.js";

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

type PixelReader = (bitmap: ImageBitmap) => Promise<Uint8ClampedArray | undefined>;
let straightAlphaReader: Promise<PixelReader | undefined> | undefined;

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

async function findStraightAlphaReader(): Promise<PixelReader | undefined> {
  const bytes = Uint8Array.from(atob(PROBE_PNG), (char) => char.charCodeAt(0));
  const probe = await createImageBitmap(new Blob([bytes], { type: "image/png" }), BITMAP_OPTIONS);
  try {
    const readers: PixelReader[] = [async (bitmap) => readThroughWebGL(bitmap), readThroughVideoFrame];
    for (const read of readers) {
      const pixels = await read(probe);
      if (pixels?.every((value, i) => value === PROBE_RGBA[i])) return read;
    }
    return undefined;
  } finally {
    probe.close();
  }
}

export const bitmapDecoder: ImageDecoder = {
  async decode(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
    const { format } = checkImageHeader(bytes, options);
    if (endsEarly(bytes, format)) throw truncatedFile();
    if (format === "png" && needsOwnPngDecode(bytes)) return collapseNeutralToGrey(await decodePngSamples(bytes, options.maxPixels));
    const source = format === "jpeg" && options.orientation === "ignore" ? withoutJpegOrientation(bytes) : bytes;
    const bitmap = await toBitmap(source, format);
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
  },
};

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

/** True when the file stops before its picture data does (only JPEG, PNG and WebP say where they end). */
function endsEarly(bytes: Uint8Array, format: ImageFormat): boolean {
  switch (format) {
    case "jpeg":
      return !jpegReachesEnd(bytes);
    case "png":
      return !pngReachesEnd(bytes);
    case "webp":
      return bytes.length < 8 + readU32LE(bytes, 4);
    default:
      return false;
  }
}

/**
 * A JPEG ends with EOI (FF D9) after its scans. Segments before the first scan are skipped by their lengths, so
 * the EOI of an embedded EXIF thumbnail does not count; inside scan data an FF is always stuffed (FF 00) or
 * starts a restart or scan marker, so the first FF D9 after the first scan is the end of the picture.
 */
function jpegReachesEnd(bytes: Uint8Array): boolean {
  for (const segment of jpegHeaderSegments(bytes)) {
    if (segment.marker !== 0xda) continue;
    for (let at = segment.end; at + 1 < bytes.length; at++) {
      if (bytes[at] === 0xff && bytes[at + 1] === 0xd9) return true;
    }
  }
  return false;
}

/** A PNG is a chain of length-prefixed chunks that must reach IEND within the file. */
function pngReachesEnd(bytes: Uint8Array): boolean {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const next = at + 12 + readU32BE(bytes, at);
    if (next > bytes.length) return false;
    if (bytes[at + 4] === 0x49 && bytes[at + 5] === 0x45 && bytes[at + 6] === 0x4e && bytes[at + 7] === 0x44) return true;
    at = next;
  }
  return false;
}

/**
 * A copy of the JPEG whose EXIF orientation (tag 0x0112 in IFD0 of the APP1 "Exif" segment) says 1, so the
 * browser decodes the stored pixel grid. The bytes are returned unchanged when there is nothing to undo.
 */
function withoutJpegOrientation(bytes: Uint8Array): Uint8Array {
  const found = findExifOrientation(bytes);
  if (found === undefined) return bytes;
  const copy = bytes.slice();
  copy[found.at] = found.bigEndian ? 0 : 1;
  copy[found.at + 1] = found.bigEndian ? 1 : 0;
  return copy;
}

/** Where the orientation value (a 16-bit SHORT) sits in the file, if it is present and not already 1. */
function findExifOrientation(bytes: Uint8Array): { at: number; bigEndian: boolean } | undefined {
  for (const segment of jpegHeaderSegments(bytes)) {
    const isExif = segment.marker === 0xe1 && String.fromCharCode(...bytes.subarray(segment.start, segment.start + 6)) === "Exif\0\0";
    if (!isExif) continue;
    const tiff = segment.start + 6;
    const end = Math.min(segment.end, bytes.length);
    if (tiff + 8 > end) return undefined;
    const bigEndian = bytes[tiff] === 0x4d;
    const u16 = (at: number) => (bigEndian ? readU16BE(bytes, at) : readU16LE(bytes, at));
    const u32 = (at: number) => (bigEndian ? readU32BE(bytes, at) : readU32LE(bytes, at));
    const ifd = tiff + u32(tiff + 4);
    if (ifd + 2 > end) return undefined;
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > end) return undefined;
      if (u16(entry) !== 0x0112) continue;
      // Type 3 (SHORT), count 1: the value sits in the first two bytes of the value field.
      if (u16(entry + 2) !== 3 || u16(entry + 8) === 1) return undefined;
      return { at: entry + 8, bigEndian };
    }
    return undefined;
  }
  return undefined;
}

function readU16BE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function readU16LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
