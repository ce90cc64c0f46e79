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
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { tooManyPixels, truncatedFile } from "./decode-errors.js";
import { looksCutOff } from "./headers/index.js";
import type { ImageFormat } from "./sniff.js";
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

/** The read-back probe: 32 x 32 opaque pixels with every channel varying from pixel to pixel. */
const READBACK_PROBE_SIDE = 32;

function readbackProbePixel(x: number, y: number): [number, number, number] {
  return [((x * 8) ^ (y * 3)) & 255, (y * 8 + x) & 255, (x * y + 7) & 255];
}

/**
 * The probe as an uncompressed 24-bit BMP, which every engine decodes to exactly its samples: read-back noise that
 * touches any pixel shows up as a difference from readbackProbePixel.
 */
function readbackProbeBmp(): Uint8Array<ArrayBuffer> {
  const side = READBACK_PROBE_SIDE;
  const header = 54;
  const bytes = new Uint8Array(header + side * side * 3);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, header, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, side, true);
  // A negative height stores rows top-down.
  view.setInt32(22, -side, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  for (let y = 0, at = header; y < side; y++) {
    for (let x = 0; x < side; x++, at += 3) {
      const [red, green, blue] = readbackProbePixel(x, y);
      bytes.set([blue, green, red], at);
    }
  }
  return bytes;
}

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
  const probe = await createImageBitmap(new Blob([readbackProbeBmp()], { type: "image/bmp" }), BITMAP_OPTIONS);
  try {
    const pixels = await read(probe);
    const side = READBACK_PROBE_SIDE;
    if (pixels?.length !== side * side * 4) return false;
    for (let y = 0, at = 0; y < side; y++) {
      for (let x = 0; x < side; x++, at += 4) {
        const [red, green, blue] = readbackProbePixel(x, y);
        if (pixels[at] !== red || pixels[at + 1] !== green || pixels[at + 2] !== blue || pixels[at + 3] !== 255) return false;
      }
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
  // Decoding first: a picture this browser cannot open at all is `unsupported-format` whatever its read-back does.
  const bitmap = await toBitmap(bytes, format);
  try {
    canvasIsFaithful ??= returnsReadbackProbe(async (probe) => drawOnCanvas(probe)).catch(() => false);
    if (!(await canvasIsFaithful)) throw pixelsAltered(format);
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

/** A (animated) WebP whose RIFF size runs past the file: browsers would show what is there instead of failing. */
function endsEarly(bytes: Uint8Array, format: ImageFormat): boolean {
  return format === "webp" && looksCutOff(bytes, "webp");
}
