/**
 * The failures every decoder reports, worded once: sharp in Node and the browser's own decoders must say the same
 * thing for the same file.
 */
import { HashError } from "../errors.js";
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
