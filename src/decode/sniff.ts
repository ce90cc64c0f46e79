/**
 * Format detection and header dimensions from the first bytes of a file, before any decoder runs.
 *
 * Pure TypeScript with no Node or DOM APIs: the Node (sharp) and browser decoders share it, so a file is judged
 * the same way everywhere. Reading the size from the header lets `maxPixels` refuse a decompression bomb (a tiny
 * PNG that claims 60000 x 60000) before a single row is decoded.
 */
import { HashError } from "../errors.js";

export type ImageFormat = "jpeg" | "png" | "gif" | "webp" | "avif" | "heic" | "bmp" | "tiff";

export interface ImageDimensions {
  width: number;
  height: number;
}

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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const AVIF_BRANDS = new Set(["avif", "avis"]);
const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "mif2"]);

/** The image format the leading bytes announce, or undefined for anything else (documents, text, video...). */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, PNG_SIGNATURE)) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  if (ascii(bytes, 0, 2) === "BM" && bytes.length >= 18 && isBmpHeaderSize(readU32LE(bytes, 14))) return "bmp";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return "tiff";
  return sniffIsoBmffImage(bytes);
}

/** Width and height as the header states them (before EXIF orientation), or undefined if not found. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): ImageDimensions | undefined {
  switch (format) {
    case "png":
      return bytes.length >= 24 && ascii(bytes, 12, 4) === "IHDR"
        ? { width: readU32BE(bytes, 16), height: readU32BE(bytes, 20) }
        : undefined;
    case "gif":
      return bytes.length >= 10 ? { width: readU16LE(bytes, 6), height: readU16LE(bytes, 8) } : undefined;
    case "jpeg":
      return readJpegDimensions(bytes);
    case "webp":
      return readWebpDimensions(bytes);
    case "bmp":
      return readBmpDimensions(bytes);
    case "tiff":
      return readTiffDimensions(bytes);
    case "avif":
    case "heic":
      return readIsoBmffDimensions(bytes);
  }
}

/**
 * What every decoder does first: refuse files that are empty, not pictures, cut off inside the header, or larger
 * than `maxPixels`, with the stable error codes of src/errors.ts. Returns the header for the decoder to use.
 */
export function checkImageHeader(bytes: Uint8Array, limits: { maxPixels: number }): ImageHeader {
  if (bytes.length === 0) throw new HashError("empty", "This file is empty (0 bytes), so there is no picture to fingerprint.");
  const format = sniffFormat(bytes);
  if (format === undefined) throw notAnImage(bytes);
  if (bytes.length < (MIN_HEADER_BYTES[format] ?? 0)) throw truncatedFile();
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
  switch (format) {
    case "jpeg":
      return !(bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9);
    case "png":
      return !pngReachesEnd(bytes);
    case "gif":
      return bytes[bytes.length - 1] !== 0x3b;
    case "webp":
      return bytes.length < 12 || readU32LE(bytes, 4) + 8 > bytes.length;
    case "bmp":
      return bytes.length < 6 || readU32LE(bytes, 2) > bytes.length;
    case "tiff":
      return !tiffDataFits(bytes);
    case "avif":
    case "heic":
      return !boxesFitIn(bytes);
  }
}

function pngReachesEnd(bytes: Uint8Array): boolean {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const end = at + 12 + readU32BE(bytes, at);
    if (end > bytes.length) return false;
    if (ascii(bytes, at + 4, 4) === "IEND") return true;
    at = end;
  }
  return false;
}

function boxesFitIn(bytes: Uint8Array): boolean {
  let at = 0;
  while (at < bytes.length) {
    const box = boxAt(bytes, at, bytes.length);
    if (box === undefined || box.size < box.header) return false;
    at += box.size;
  }
  return at === bytes.length;
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

/** Formats whose size sits at a fixed place near the start: a file shorter than this stops inside its header. */
const MIN_HEADER_BYTES: Partial<Record<ImageFormat, number>> = { png: 24, gif: 10, bmp: 26, webp: 25 };

export interface JpegSegment {
  marker: number;
  /** Payload bounds (after the 2-byte length), `end` possibly past the bytes we have when the file is cut. */
  start: number;
  end: number;
}

/** The segments before the image data, up to and including the first start-of-scan (SOS). */
export function* jpegHeaderSegments(bytes: Uint8Array): Generator<JpegSegment> {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return;
    const marker = bytes[at + 1]!;
    // Fill bytes (FF FF ...) may pad between segments; TEM and RSTn stand alone without a length.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9) return;
    const length = readU16BE(bytes, at + 2);
    yield { marker, start: at + 4, end: at + 2 + length };
    if (marker === 0xda) return;
    at += 2 + length;
  }
}

function readJpegDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  for (const { marker, start, end } of jpegHeaderSegments(bytes)) {
    if (marker === 0xda) return undefined;
    // A segment length under 2 is corrupt; a frame header holds precision, height, width (and more).
    if (end < start) return undefined;
    if (isStartOfFrame(marker)) {
      if (start + 5 > bytes.length || end - start < 5) return undefined;
      return { width: readU16BE(bytes, start + 3), height: readU16BE(bytes, start + 1) };
    }
  }
  return undefined;
}

/** SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc), which share the range. */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readWebpDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8X" && bytes.length >= 30) {
    return { width: readU24LE(bytes, 24) + 1, height: readU24LE(bytes, 27) + 1 };
  }
  if (chunk === "VP8L" && bytes.length >= 25 && bytes[20] === 0x2f) {
    const bits = readU32LE(bytes, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8 " && bytes.length >= 30 && startsWithAt(bytes, 23, [0x9d, 0x01, 0x2a])) {
    return { width: readU16LE(bytes, 26) & 0x3fff, height: readU16LE(bytes, 28) & 0x3fff };
  }
  return undefined;
}

function isBmpHeaderSize(size: number): boolean {
  return size === 12 || size === 16 || size === 40 || size === 52 || size === 56 || size === 64 || size === 108 || size === 124;
}

function readBmpDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  if (bytes.length < 26) return undefined;
  if (readU32LE(bytes, 14) === 12) return { width: readU16LE(bytes, 18), height: readU16LE(bytes, 20) };
  // A negative height means the rows are stored top-down.
  return { width: Math.abs(readI32LE(bytes, 18)), height: Math.abs(readI32LE(bytes, 22)) };
}

/** TIFF tags this module reads from the first image directory. */
const TIFF_WIDTH = 256;
const TIFF_HEIGHT = 257;
const TIFF_STRIP_OFFSETS = 273;
const TIFF_STRIP_BYTE_COUNTS = 279;
const TIFF_TILE_OFFSETS = 324;
const TIFF_TILE_BYTE_COUNTS = 325;

/** Bytes per value of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ..., DOUBLE). */
const TIFF_TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8];

interface TiffDirectory {
  /** SHORT and LONG values by tag. */
  values: Map<number, number[]>;
  /** Whether every entry's values lie inside the file. */
  complete: boolean;
}

/** The first image directory (classic TIFF; BigTIFF gives undefined). */
function readTiffDirectory(bytes: Uint8Array): TiffDirectory | undefined {
  if (bytes.length < 8 || bytes[2] === 0x2b || bytes[3] === 0x2b) return undefined;
  const little = bytes[0] === 0x49;
  const u16 = (at: number) => (little ? readU16LE(bytes, at) : readU16BE(bytes, at));
  const u32 = (at: number) => (little ? readU32LE(bytes, at) : readU32BE(bytes, at));
  const directory = u32(4);
  if (directory + 2 > bytes.length) return undefined;
  const values = new Map<number, number[]>();
  let complete = true;
  for (let i = 0; i < u16(directory); i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > bytes.length) return undefined;
    const type = u16(entry + 2);
    const count = u32(entry + 4);
    const size = TIFF_TYPE_SIZES[type] ?? 0;
    // Values that fit in 4 bytes sit in the entry itself; longer arrays live at the offset it holds.
    const at = count * size <= 4 ? entry + 8 : u32(entry + 8);
    if (at + count * size > bytes.length) {
      complete = false;
      continue;
    }
    if (type === 3 || type === 4) {
      values.set(u16(entry), Array.from({ length: count }, (_, k) => (type === 3 ? u16(at + 2 * k) : u32(at + 4 * k))));
    }
  }
  return { values, complete };
}

function readTiffDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  const values = readTiffDirectory(bytes)?.values;
  const width = values?.get(TIFF_WIDTH)?.[0];
  const height = values?.get(TIFF_HEIGHT)?.[0];
  return width !== undefined && height !== undefined ? { width, height } : undefined;
}

/** Whether the first image's directory, and every strip (or tile) it points to, lie inside the file. */
function tiffDataFits(bytes: Uint8Array): boolean {
  const directory = readTiffDirectory(bytes);
  if (directory === undefined || !directory.complete) return false;
  const { values } = directory;
  const offsets = values.get(TIFF_STRIP_OFFSETS) ?? values.get(TIFF_TILE_OFFSETS) ?? [];
  const counts = values.get(TIFF_STRIP_BYTE_COUNTS) ?? values.get(TIFF_TILE_BYTE_COUNTS) ?? [];
  if (offsets.length === 0 || offsets.length !== counts.length) return false;
  return offsets.every((offset, i) => offset + counts[i]! <= bytes.length);
}

interface Box {
  type: string;
  /** Where the payload starts and ends (exclusive), clamped to the bytes we have. */
  start: number;
  end: number;
}

/** The size (header included) and header length of the box at `at`; a size of 0 means "to the end". */
function boxAt(bytes: Uint8Array, at: number, to: number): { size: number; header: number } | undefined {
  if (at + 8 > to) return undefined;
  const size = readU32BE(bytes, at);
  if (size === 0) return { size: to - at, header: 8 };
  if (size !== 1) return { size, header: 8 };
  if (at + 16 > to) return undefined;
  return { size: readU32BE(bytes, at + 8) * 2 ** 32 + readU32BE(bytes, at + 12), header: 16 };
}

function* boxes(bytes: Uint8Array, from: number, to: number): Generator<Box> {
  let at = from;
  for (let box = boxAt(bytes, at, to); box !== undefined && box.size >= box.header; box = boxAt(bytes, at, to)) {
    yield { type: ascii(bytes, at + 4, 4), start: at + box.header, end: Math.min(at + box.size, to) };
    at += box.size;
  }
}

function findBox(bytes: Uint8Array, from: number, to: number, type: string): Box | undefined {
  for (const box of boxes(bytes, from, to)) if (box.type === type) return box;
  return undefined;
}

/** HEIF and AVIF are ISO base media files told apart from MP4/MOV video by the brands in `ftyp`. */
function sniffIsoBmffImage(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== "ftyp") return undefined;
  const end = Math.min(readU32BE(bytes, 0), bytes.length);
  const brands = [ascii(bytes, 8, 4)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return "avif";
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return "heic";
  return undefined;
}

/**
 * The largest `ispe` (image spatial extent) property in meta/iprp/ipco. A file can hold several (thumbnail,
 * grid tiles, the full picture); the largest bounds what a decoder would allocate.
 */
function readIsoBmffDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  const meta = findBox(bytes, 0, bytes.length, "meta");
  // `meta` is a full box: 4 bytes of version and flags precede its children.
  const iprp = meta && findBox(bytes, meta.start + 4, meta.end, "iprp");
  const ipco = iprp && findBox(bytes, iprp.start, iprp.end, "ipco");
  if (ipco === undefined) return undefined;
  let largest: ImageDimensions | undefined;
  for (const box of boxes(bytes, ipco.start, ipco.end)) {
    if (box.type !== "ispe" || box.start + 12 > box.end) continue;
    const candidate = { width: readU32BE(bytes, box.start + 4), height: readU32BE(bytes, box.start + 8) };
    if (largest === undefined || candidate.width * candidate.height > largest.width * largest.height) largest = candidate;
  }
  return largest;
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

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return startsWithAt(bytes, 0, prefix);
}

function startsWithAt(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return "";
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function readU16LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function readU16BE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function readU24LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function readI32LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
