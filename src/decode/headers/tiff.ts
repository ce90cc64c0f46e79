/**
 * TIFF: the first image file directory (IFD), read in place. An IFD holds up to 65,535 entries, each naming a
 * tag, a type, a count of values and where they are; a hostile file can make every entry claim the whole file
 * as its values. Only the entries this reader needs are looked at further, and their values are read one at a
 * time where they lie, so the work is one pass over the entries plus one over the strip table, and nothing is
 * allocated per value. BigTIFF is recognised by the sniffer but its directories are not read here.
 */
import { readU16BE, readU16LE, readU32BE, readU32LE } from "../bytes.js";
import type { HeaderReader, ImageDimensions } from "./types.js";

const WIDTH = 256;
const HEIGHT = 257;
const STRIP_OFFSETS = 273;
const STRIP_BYTE_COUNTS = 279;
const TILE_OFFSETS = 324;
const TILE_BYTE_COUNTS = 325;
const USED_TAGS = new Set([WIDTH, HEIGHT, STRIP_OFFSETS, STRIP_BYTE_COUNTS, TILE_OFFSETS, TILE_BYTE_COUNTS]);

const SHORT = 3;
const LONG = 4;
/** Bytes per value of each field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ..., DOUBLE). */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8];

/**
 * Most strips or tiles whose placement is checked. A 100-megapixel picture stored one row per strip has 10,000
 * strips, in 16 x 16 tiles 400,000; a table larger than this is not judged, so the decoder's verdict stands.
 */
export const MAX_TIFF_STRIPS = 1 << 20;

/** One entry's values: `count` numbers of `type` starting at byte `at`. */
interface Values {
  type: number;
  count: number;
  at: number;
}

interface Directory {
  /** The first entry of each of `USED_TAGS`, when its SHORT or LONG values are all there. */
  entries: Map<number, Values>;
  /** Whether every entry's values lie inside the bytes. */
  complete: boolean;
  read(values: Values, index: number): number;
}

export const tiffHeader: HeaderReader = {
  minBytes: 0,
  dimensions(bytes) {
    const directory = readDirectory(bytes);
    if (directory === undefined) return undefined;
    const width = directory.entries.get(WIDTH);
    const height = directory.entries.get(HEIGHT);
    if (width === undefined || height === undefined) return undefined;
    return { width: directory.read(width, 0), height: directory.read(height, 0) } satisfies ImageDimensions;
  },
  endsEarly(bytes) {
    if (bytes.length < 8 || isBigTiff(bytes)) return false;
    const directory = readDirectory(bytes);
    if (directory === undefined || !directory.complete) return true;
    return !stripsFit(directory, bytes.length);
  },
};

function isBigTiff(bytes: Uint8Array): boolean {
  return bytes[2] === 0x2b || bytes[3] === 0x2b;
}

/** The first directory of a classic TIFF; undefined when it (or one of its entries) lies past the end. */
function readDirectory(bytes: Uint8Array): Directory | undefined {
  if (bytes.length < 8 || isBigTiff(bytes)) return undefined;
  const little = bytes[0] === 0x49;
  const u16 = (at: number) => (little ? readU16LE(bytes, at) : readU16BE(bytes, at));
  const u32 = (at: number) => (little ? readU32LE(bytes, at) : readU32BE(bytes, at));
  const start = u32(4);
  if (start + 2 > bytes.length) return undefined;
  const count = u16(start);
  if (start + 2 + count * 12 > bytes.length) return undefined;
  const entries = new Map<number, Values>();
  const seen = new Set<number>();
  let complete = true;
  for (let i = 0; i < count; i++) {
    const entry = start + 2 + i * 12;
    const type = u16(entry + 2);
    const valueCount = u32(entry + 4);
    const size = TYPE_SIZES[type] ?? 0;
    // Values that fit in 4 bytes sit in the entry itself; longer arrays live at the offset it holds.
    const at = valueCount * size <= 4 ? entry + 8 : u32(entry + 8);
    const fits = at + valueCount * size <= bytes.length;
    complete &&= fits;
    // The first entry of a tag decides, even when its values lie past the bytes given: a later copy must not
    // answer for it, or the head of a file could read another size than the whole.
    const tag = u16(entry);
    if (!USED_TAGS.has(tag) || seen.has(tag)) continue;
    seen.add(tag);
    if (fits && valueCount > 0 && (type === SHORT || type === LONG)) entries.set(tag, { type, count: valueCount, at });
  }
  const read = (values: Values, index: number) =>
    values.type === SHORT ? u16(values.at + 2 * index) : u32(values.at + 4 * index);
  return { entries, complete, read };
}

/** Whether every strip (or tile) the directory points to lies inside the file. */
function stripsFit(directory: Directory, length: number): boolean {
  const { entries, read } = directory;
  const offsets = entries.get(STRIP_OFFSETS) ?? entries.get(TILE_OFFSETS);
  const counts = entries.get(STRIP_BYTE_COUNTS) ?? entries.get(TILE_BYTE_COUNTS);
  // Without a strip table the file is damaged rather than cut, and a huge table is left to the decoder.
  if (offsets === undefined || counts === undefined || offsets.count > MAX_TIFF_STRIPS) return true;
  if (offsets.count !== counts.count) return true;
  for (let i = 0; i < offsets.count; i++) {
    if (read(offsets, i) + read(counts, i) > length) return false;
  }
  return true;
}
