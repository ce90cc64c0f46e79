/**
 * What a file is, from its first bytes, before any decoder runs: which picture format, or, for anything else, what
 * it looks like (so a message can say "this is a PDF").
 *
 * Pure TypeScript with no Node or DOM APIs: the Node (sharp) and browser decoders share it, so a file is judged
 * the same way everywhere. Each format's structure is read by its module in ./headers/.
 */
import { ascii, readU32LE, startsWith } from "./bytes.js";
import { isBmpInfoHeaderSize } from "./headers/bmp.js";
import { sniffIsoBmffImage } from "./headers/isobmff.js";

export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "avif" | "heic" | "bmp" | "tiff";

/** Enough leading bytes for `sniffFormat` to recognise every format above (ISOBMFF brands can sit a bit deeper). */
export const SNIFF_BYTES = 64;

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

/** The start of the file as text, if it looks like text (no control bytes other than whitespace). */
function leadingText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 512);
  for (const byte of head) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(head);
}
