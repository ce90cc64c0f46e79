/**
 * EXIF orientation, as sharp applies it in Node (`autoOrient`): libvips reads tag 0x0112 of IFD0 from a JPEG's
 * APP1 "Exif" segment, a PNG's eXIf chunk or a WebP's EXIF chunk, treats anything outside 1-8 as 1, and rotates
 * or flips the decoded grid. The browser's own decoders (src/decode/own-decoders.ts) hand their pixels here, so
 * every engine shows PDQ the grid a viewer shows.
 */
import type { PixelImage } from "../engine/types.js";
import { ascii, readU16BE, readU16LE, readU32BE, readU32LE } from "./bytes.js";
import { jpegHeaderSegments } from "./headers/jpeg.js";
import type { ImageFormat } from "./sniff.js";

/** 1 = stored grid as is; 2-8 = the EXIF flips and rotations. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const EXIF_ORIENTATION_TAG = 0x0112;
const EXIF_SHORT = 3;
/** Entries read from IFD0 before giving up: a real directory has a few dozen. */
const MAX_IFD_ENTRIES = 1024;

/** Where the value of the orientation tag sits in `bytes`, if the file carries one. */
export interface OrientationField {
  at: number;
  bigEndian: boolean;
  value: Orientation;
}

export function readOrientation(bytes: Uint8Array, format: ImageFormat): Orientation {
  return findOrientationField(bytes, format)?.value ?? 1;
}

export function findOrientationField(bytes: Uint8Array, format: ImageFormat): OrientationField | undefined {
  const tiff = exifTiffBlock(bytes, format);
  return tiff && orientationInTiff(bytes, tiff.start, tiff.end);
}

/** The TIFF structure (byte-order mark onwards) of the file's EXIF block. */
function exifTiffBlock(bytes: Uint8Array, format: ImageFormat): { start: number; end: number } | undefined {
  switch (format) {
    case "jpeg":
      for (const segment of jpegHeaderSegments(bytes)) {
        if (segment.marker === 0xe1 && ascii(bytes, segment.start, 6) === "Exif\0\0") {
          return { start: segment.start + 6, end: Math.min(segment.end, bytes.length) };
        }
      }
      return undefined;
    case "png":
      return pngChunk(bytes, "eXIf");
    case "webp": {
      const chunk = riffChunk(bytes, "EXIF");
      // Some writers keep JPEG's "Exif\0\0" prefix inside the chunk; libvips accepts both.
      if (chunk && ascii(bytes, chunk.start, 6) === "Exif\0\0") return { start: chunk.start + 6, end: chunk.end };
      return chunk;
    }
    default:
      return undefined;
  }
}

function orientationInTiff(bytes: Uint8Array, start: number, end: number): OrientationField | undefined {
  if (start + 8 > end) return undefined;
  const order = ascii(bytes, start, 2);
  if (order !== "II" && order !== "MM") return undefined;
  const bigEndian = order === "MM";
  const u16 = (at: number) => (bigEndian ? readU16BE(bytes, at) : readU16LE(bytes, at));
  const u32 = (at: number) => (bigEndian ? readU32BE(bytes, at) : readU32LE(bytes, at));
  const ifd = start + u32(start + 4);
  if (ifd + 2 > end) return undefined;
  const count = Math.min(u16(ifd), MAX_IFD_ENTRIES);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (u16(entry) !== EXIF_ORIENTATION_TAG) continue;
    // Type SHORT, count 1: the value sits in the first two bytes of the value field.
    if (u16(entry + 2) !== EXIF_SHORT) return undefined;
    const value = u16(entry + 8);
    return { at: entry + 8, bigEndian, value: value >= 1 && value <= 8 ? (value as Orientation) : 1 };
  }
  return undefined;
}

function pngChunk(bytes: Uint8Array, type: string): { start: number; end: number } | undefined {
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = readU32BE(bytes, at);
    const name = ascii(bytes, at + 4, 4);
    if (name === type) return { start: at + 8, end: Math.min(at + 8 + length, bytes.length) };
    if (name === "IDAT" || name === "IEND") return undefined;
    at += 12 + length;
  }
  return undefined;
}

function riffChunk(bytes: Uint8Array, type: string): { start: number; end: number } | undefined {
  for (let at = 12; at + 8 <= bytes.length; ) {
    const length = readU32LE(bytes, at + 4);
    if (ascii(bytes, at, 4) === type) return { start: at + 8, end: Math.min(at + 8 + length, bytes.length) };
    // Chunks are padded to an even length.
    at += 8 + length + (length & 1);
  }
  return undefined;
}

/** The grid a viewer shows for a picture stored as `image` with this EXIF orientation. */
export function applyOrientation(image: PixelImage, orientation: Orientation): PixelImage {
  if (orientation === 1) return image;
  const { data, width, height, channels } = image;
  const transposed = orientation >= 5;
  const outWidth = transposed ? height : width;
  const outHeight = transposed ? width : height;
  const out = new Uint8Array(data.length);
  // The stored pixel shown at output (x, y) is first + x * stepX + y * stepY (in pixels).
  const { first, stepX, stepY } = WALKS[orientation](width, height);
  for (let y = 0, to = 0; y < outHeight; y++) {
    for (let x = 0, from = (first + y * stepY) * channels; x < outWidth; x++, from += stepX * channels) {
      for (let c = 0; c < channels; c++) out[to++] = data[from + c]!;
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels };
}

type Walk = (width: number, height: number) => { first: number; stepX: number; stepY: number };

/** EXIF: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 anticlockwise. */
const WALKS: Record<Exclude<Orientation, 1>, Walk> = {
  2: (w) => ({ first: w - 1, stepX: -1, stepY: w }),
  3: (w, h) => ({ first: w * h - 1, stepX: -1, stepY: -w }),
  4: (w, h) => ({ first: (h - 1) * w, stepX: 1, stepY: -w }),
  5: (w) => ({ first: 0, stepX: w, stepY: 1 }),
  6: (w, h) => ({ first: (h - 1) * w, stepX: -w, stepY: 1 }),
  7: (w, h) => ({ first: w * h - 1, stepX: -w, stepY: -1 }),
  8: (w) => ({ first: w - 1, stepX: w, stepY: -1 }),
};
