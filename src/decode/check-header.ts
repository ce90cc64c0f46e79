/**
 * The checks every decoder makes before decoding, so a file gets the same verdict from sharp in Node and from the
 * browser's decoders. Reading the size from the header lets `maxPixels` refuse a decompression bomb (a tiny PNG
 * that claims 60000 x 60000) before a single row is decoded.
 */
import { emptyFile, notAnImage, noPixels, tooManyPixels, truncatedFile } from "./decode-errors.js";
import { HEADER_READERS, readDimensions } from "./headers/index.js";
import { jpegEndsEarly } from "./headers/jpeg.js";
import type { ImageDimensions } from "./headers/types.js";
import { describeNonImage, sniffFormat, type ImageFormat } from "./sniff.js";

export interface ImageHeader {
  format: ImageFormat;
  /** Absent when the format keeps its size somewhere this reader does not parse (the decoder still checks it). */
  dimensions?: ImageDimensions;
}

/**
 * Refuses files that are empty, not pictures, cut off inside the header, or larger than `maxPixels`, with the
 * stable error codes of src/errors.ts. Returns the header for the decoder to use.
 *
 * Also right for the first bytes of a longer file (a reader checks a file's head before reading the rest): in a
 * head long enough to sniff, each reader finds nothing, the whole file's size, or (HEIF/AVIF, whose largest extent
 * counts) a smaller one, so the head is never refused where the whole file would pass, nor with another code.
 * tests/fuzz-parsers.test.ts checks this on every case.
 */
export function checkImageHeader(bytes: Uint8Array, limits: { maxPixels: number }): ImageHeader {
  if (bytes.length === 0) throw emptyFile();
  const format = sniffFormat(bytes);
  if (format === undefined) throw notAnImage(describeNonImage(bytes));
  if (bytes.length < HEADER_READERS[format].minBytes) throw truncatedFile();
  const dimensions = readDimensions(bytes, format);
  if (dimensions === undefined) return { format };
  if (dimensions.width === 0 || dimensions.height === 0) throw noPixels();
  if (dimensions.width * dimensions.height > limits.maxPixels) throw tooManyPixels(dimensions, limits.maxPixels);
  return { format, dimensions };
}

/**
 * What every decoder checks on the whole file before decoding. libjpeg notices a cut only when it runs out of data
 * mid-picture, so it decodes some JPEGs that stop before their end marker, and browsers show any cut picture as far
 * as it goes. Judged by its structure first, a JPEG gets the same verdict (`truncated`) from every decoder.
 */
export function refuseEarlyEnd(bytes: Uint8Array, format: ImageFormat): void {
  if (format === "jpeg" && jpegEndsEarly(bytes)) throw truncatedFile();
}
