/**
 * Every format's header reader, by format: sizes and cut-off checks read from the file's own structure, without
 * decoding. The fuzzer (tests/fuzz-parsers.test.ts) runs each of them.
 */
import type { ImageFormat } from "../sniff.js";
import { bmpHeader } from "./bmp.js";
import { gifHeader } from "./gif.js";
import { isoBmffHeader } from "./isobmff.js";
import { jpegHeader } from "./jpeg.js";
import { pngHeader } from "./png.js";
import { tiffHeader } from "./tiff.js";
import type { HeaderReader, ImageDimensions } from "./types.js";
import { webpHeader } from "./webp.js";

export type { HeaderReader, ImageDimensions } from "./types.js";

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

/** Width and height as the header states them (before EXIF orientation), or undefined if not found. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): ImageDimensions | undefined {
  return HEADER_READERS[format].dimensions(bytes);
}

/**
 * Whether the file's own structure says it stops early (a chunk, box or segment runs past the end, or the closing
 * marker is missing). Decoders report truncation in many different words, so a failed decode asks this instead.
 */
export function looksCutOff(bytes: Uint8Array, format: ImageFormat): boolean {
  return HEADER_READERS[format].endsEarly(bytes);
}
