/**
 * The failures a picture can end with, worded once: the size check before reading, the header checks, sharp in
 * Node and the browser's own decoders must say the same thing for the same file. Messages say what a person can do.
 */
import { HashError } from "../errors.js";
import type { ImageDimensions } from "./headers/types.js";
import type { ImageFormat } from "./sniff.js";

export const FORMAT_NAMES: Record<ImageFormat, string> = {
  jpeg: "JPEG",
  png: "PNG",
  gif: "GIF",
  webp: "WebP",
  avif: "AVIF",
  heic: "HEIC/HEIF",
  tiff: "TIFF",
  bmp: "BMP",
};

export function unsupportedFormat(format: ImageFormat, cause?: unknown): HashError {
  return new HashError(
    "unsupported-format",
    `This picture is in ${FORMAT_NAMES[format]} format, which cannot be read on this device. ` +
      "Save or export it as JPEG or PNG and try again.",
    { cause },
  );
}

/** 12- and 16-bit JPEGs: neither sharp's libjpeg nor the browser's is built for more than 8 bits a sample. */
export function unsupportedJpegPrecision(cause?: unknown): HashError {
  return new HashError(
    "unsupported-format",
    "This JPEG stores more than 8 bits per colour (a 12-bit medical or scientific JPEG), which cannot be read here. " +
      "Save or export it as an ordinary JPEG or PNG and try again.",
    { cause },
  );
}

export function damagedPicture(format: ImageFormat, cause?: unknown): HashError {
  return new HashError(
    "decode-failed",
    `This ${FORMAT_NAMES[format]} picture could not be read; the file may be damaged. ` +
      "Try opening it and saving it again as JPEG or PNG.",
    { cause },
  );
}

export function emptyFile(): HashError {
  return new HashError("empty", "This file is empty (0 bytes), so there is no picture to fingerprint.");
}

/** `looksLike`: what the file seems to be instead (sniff.ts `describeNonImage`), when it can be told. */
export function notAnImage(looksLike: string | undefined): HashError {
  const what = looksLike === undefined ? "This file is not a picture" : `This file is not a picture (it looks like ${looksLike})`;
  return new HashError(
    "not-an-image",
    `${what}. Choose a photo or image file, such as JPEG, PNG, WebP, GIF, HEIC or AVIF.`,
  );
}

export function noPixels(): HashError {
  return new HashError(
    "decode-failed",
    "This picture's header says it has no pixels, so the file is probably damaged. Try saving the picture again.",
  );
}

export function truncatedFile(cause?: unknown): HashError {
  return new HashError("truncated", "This file seems to be cut off - try saving or exporting the picture again.", {
    cause,
  });
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
