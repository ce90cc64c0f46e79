/**
 * Format detection and header checks from the first bytes of a file, before any decoder runs.
 *
 * Pure TypeScript with no Node or DOM APIs: the Node (sharp) and browser decoders share it, so a file is judged
 * the same way everywhere. Reading the size from the header lets `maxPixels` refuse a decompression bomb (a tiny
 * PNG that claims 60000 x 60000) before a single row is decoded. Each format's structure is read by its module
 * in ./headers/, whose work is bounded by the bytes given, whatever the file claims.
 */
import { HashError } from "../errors.js";
import { ascii, readU32LE, startsWith } from "./bytes.js";
import { bmpHeader, isBmpInfoHeaderSize } from "./headers/bmp.js";
import { gifHeader } from "./headers/gif.js";
import { isoBmffHeader, sniffIsoBmffImage } from "./headers/isobmff.js";
import { jpegHeader } from "./headers/jpeg.js";
import { pngHeader } from "./headers/png.js";
import { tiffHeader } from "./headers/tiff.js";
import type { HeaderReader, ImageDimensions } from "./headers/types.js";
import { webpHeader } from "./headers/webp.js";

export { isStartOfFrame, jpegEndsEarly, jpegHeaderSegments, type JpegSegment } from "./headers/jpeg.js";
import { jpegEndsEarly } from "./headers/jpeg.js";
export type { ImageDimensions } from "./headers/types.js";

export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "avif" | "heic" | "bmp" | "tiff";

export interface ImageHeader {
  format: ImageFormat;
  /** Absent when the format keeps its size somewhere this reader does not parse (the decoder still checks it). */
  dimensions?: ImageDimensions;
}

/** Extensions (lower case, with the dot) of the formats above; used to pick images out of a folder. */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = [
  ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".apng", ".gif", ".webp", ".avif", ".heic", ".heif", ".bmp", ".dib",
  ".tif", ".tiff",
];

/** Enough leading bytes for `sniffFormat` to recognise every format above (ISOBMFF brands can sit a bit deeper). */
export const SNIFF_BYTES = 64;

/** Each format's header reader; the fuzzer (tests/fuzz-parsers.test.ts) runs every one of them. */
export const HEADER_READERS: Readonly<Record<ImageFormat, HeaderReader>> = {
  jpeg: jpegHeader,
  png: pngHeader,
  gif: gifHeader,
  webp: webpHeader,
  avif: isoBmffHeader,
  heic: isoBmffHeader,
  bmp: bmpHeader,
  tiff: tiffHeader,
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format the leading bytes announce, or undefined for anything else (documents, text, video...). */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  if (ascii(bytes, 0, 2) === "BM" && bytes.length >= 18 && isBmpInfoHeaderSize(readU32LE(bytes, 14))) return "bmp";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return "tiff";
  return sniffIsoBmffImage(bytes);
}

/** Width and height as the header states them (before EXIF orientation), or undefined if not found. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): ImageDimensions | undefined {
  return HEADER_READERS[format].dimensions(bytes);
}

/**
 * What every decoder does first: refuse files that are empty, not pictures, cut off inside the header, or larger
 * than `maxPixels`, with the stable error codes of src/errors.ts. Returns the header for the decoder to use.
 *
 * Also right for the first bytes of a longer file (a reader checks a file's head before reading the rest): in a
 * head long enough to sniff, each reader finds nothing, the whole file's size, or (HEIF/AVIF, whose largest extent
 * counts) a smaller one, so the head is never refused where the whole file would pass, nor with another code.
 * tests/fuzz-parsers.test.ts checks this on every case.
 */
export function checkImageHeader(bytes: Uint8Array, limits: { maxPixels: number }): ImageHeader {
  if (bytes.length === 0) throw new HashError("empty", "This file is empty (0 bytes), so there is no picture to fingerprint.");
  const format = sniffFormat(bytes);
  if (format === undefined) throw notAnImage(bytes);
  if (bytes.length < HEADER_READERS[format].minBytes) throw truncatedFile();
  const dimensions = readDimensions(bytes, format);
  if (dimensions === undefined) return { format };
  if (dimensions.width === 0 || dimensions.height === 0) {
    throw new HashError(
      "decode-failed",
      "This picture's header says it has no pixels, so the file is probably damaged. Try saving the picture again.",
    );
  }
  const pixels = dimensions.width * dimensions.height;
  if (pixels > limits.maxPixels) throw tooManyPixels(dimensions, limits.maxPixels);
  return { format, dimensions };
}

/**
 * Whether the file's own structure says it stops early (a chunk, box or segment runs past the end, or the closing
 * marker is missing). Decoders report truncation in many different words, so a failed decode asks this instead.
 */
export function looksCutOff(bytes: Uint8Array, format: ImageFormat): boolean {
  return HEADER_READERS[format].endsEarly(bytes);
}

/**
 * What every decoder checks on the whole file before decoding. libjpeg notices a cut only when it runs out of data
 * mid-picture, so it decodes some JPEGs that stop before their end marker, and browsers show any cut picture as far
 * as it goes. Judged by its structure first, a JPEG gets the same verdict (`truncated`) from every decoder.
 */
export function refuseEarlyEnd(bytes: Uint8Array, format: ImageFormat): void {
  if (format === "jpeg" && jpegEndsEarly(bytes)) throw truncatedFile();
}

export function tooManyPixels(dimensions: ImageDimensions | undefined, maxPixels: number, cause?: unknown): HashError {
  const size = dimensions ? `${dimensions.width} x ${dimensions.height} pixels; ` : "";
  return new HashError(
    "too-many-pixels",
    `This picture is too large to fingerprint safely (${size}the limit is ${formatCount(maxPixels)} pixels). ` +
      "Try a smaller copy of it, such as a screenshot or an exported version.",
    { cause },
  );
}

export function fileTooLarge(size: number, maxBytes: number): HashError {
  let [shown, limit] = [formatBytes(size), formatBytes(maxBytes)];
  // Just over the limit, rounded sizes would read the same.
  if (shown === limit) [shown, limit] = [`${formatCount(size)} bytes`, `${formatCount(maxBytes)} bytes`];
  return new HashError(
    "file-too-large",
    `This file is too large to fingerprint (${shown}; the limit is ${limit}). ` +
      "Try a smaller copy of the picture, such as an exported or resized version.",
  );
}

export function truncatedFile(cause?: unknown): HashError {
  return new HashError("truncated", "This file seems to be cut off - try saving or exporting the picture again.", {
    cause,
  });
}

/** A short description of what a non-image file looks like, so the message can say "this is a PDF". */
export function describeNonImage(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 0, 5) === "%PDF-") return "a PDF document";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "a ZIP archive or office document";
  if (ascii(bytes, 4, 4) === "ftyp") return "a video or other media file";
  const text = leadingText(bytes);
  if (text === undefined) return undefined;
  if (/<svg[\s>]/i.test(text)) return "an SVG drawing";
  if (/<!doctype html|<html[\s>]/i.test(text)) return "an HTML web page";
  return "a text file";
}

function notAnImage(bytes: Uint8Array): HashError {
  const kind = describeNonImage(bytes);
  const what = kind === undefined ? "This file is not a picture" : `This file is not a picture (it looks like ${kind})`;
  return new HashError(
    "not-an-image",
    `${what}. Choose a photo or image file, such as JPEG, PNG, WebP, GIF, HEIC or AVIF.`,
  );
}

/** The start of the file as text, if it looks like text (no control bytes other than whitespace). */
function leadingText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 512);
  for (const byte of head) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(head);
}

function formatCount(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Sizes as people read them: "300 MB", "1.5 GB", "12 KB" (1024-based, as file managers on most systems show). */
function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? formatCount(value) : value.toFixed(1).replace(/\.0$/, "");
  return `${shown} ${units[unit]}`;
}
