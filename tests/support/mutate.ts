/**
 * Seeded mutations of valid picture files, for the fuzz test. Every choice comes from one 32-bit seed, so a failing
 * case is replayed from its seed alone. Blind mutations (bit flips, overwrites, cuts, copied and dropped byte
 * ranges) find what a careless parser trips on; structure-aware ones (whole PNG chunks, JPEG segments, GIF blocks,
 * RIFF chunks, TIFF directory entries and ISO boxes copied or dropped; sizes, counts and offsets set to extremes;
 * PNG checksums made valid again) get past the signature and checksum checks into the parsers and decoders.
 */
import { crc32 } from "node:zlib";

export type FuzzFormat = "jpeg" | "png" | "gif" | "webp" | "tiff" | "isobmff" | "bmp";

/** mulberry32: tiny, fast and well mixed; plenty for choosing mutations. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 2^32). */
  next(): number {
    const t0 = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    let t = Math.imul(t0 ^ (t0 >>> 15), t0 | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 2 ** 32) * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() / 2 ** 32 < probability;
  }
}

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, in order, in words a person can follow when replaying the seed. */
  steps: string[];
}

/** One structural unit of a file: a PNG chunk, a JPEG segment (with its scan data), a GIF block, a RIFF chunk. */
export interface Span {
  name: string;
  start: number;
  end: number;
}

/** A header field holding a width, height or offset, as stored. */
interface SizeField {
  name: string;
  at: number;
  bytes: 2 | 3 | 4;
  littleEndian: boolean;
}

type Mutator = (bytes: Uint8Array, format: FuzzFormat, random: SeededRandom) => Mutant;

/**
 * 1 to 3 mutations of `source`, chosen by `seed`. PNG mutants get their chunk checksums recomputed half of the time,
 * since libpng would otherwise stop every one of them at the first checksum, long before its inflater and filters.
 */
export function mutate(source: Uint8Array, format: FuzzFormat, seed: number): Mutant {
  const random = new SeededRandom(seed);
  let bytes: Uint8Array = Uint8Array.from(source);
  const steps: string[] = [];
  const count = random.between(1, 3);
  for (let i = 0; i < count; i++) {
    const mutant = random.pick(MUTATORS)(bytes, format, random);
    bytes = mutant.bytes;
    steps.push(...mutant.steps);
  }
  if (format === "png" && random.chance(0.5)) {
    bytes = repairPngChecksums(bytes);
    steps.push("recompute PNG chunk checksums");
  }
  return { bytes, steps };
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

const flipBits: Mutator = (bytes, _format, random) => {
  const out = Uint8Array.from(bytes);
  const flips: string[] = [];
  // Half of the flips land in the first 64 bytes, where the signature, sizes and first chunk headers live.
  for (let n = random.between(1, 8); n > 0 && out.length > 0; n--) {
    const at = random.chance(0.5) ? random.below(Math.min(64, out.length)) : random.below(out.length);
    const bit = random.below(8);
    out[at]! ^= 1 << bit;
    flips.push(`${at}.${bit}`);
  }
  return { bytes: out, steps: [`flip bits ${flips.join(", ")}`] };
};

const overwriteBytes: Mutator = (bytes, _format, random) => {
  if (bytes.length === 0) return { bytes, steps: [] };
  const out = Uint8Array.from(bytes);
  const at = random.below(out.length);
  const length = Math.min(random.between(1, 16), out.length - at);
  const fill = random.chance(0.5) ? random.pick(INTERESTING_BYTES) : undefined;
  for (let i = 0; i < length; i++) out[at + i] = fill ?? random.below(256);
  return { bytes: out, steps: [`overwrite ${length} bytes at ${at} with ${fill === undefined ? "random bytes" : `0x${fill.toString(16)}`}`] };
};

const truncate: Mutator = (bytes, _format, random) => {
  // Mostly deep cuts (the usual interrupted download), sometimes inside the header.
  const length = random.chance(0.7) ? random.between(Math.floor(bytes.length / 2), Math.max(0, bytes.length - 1)) : random.below(Math.min(bytes.length, 96));
  return { bytes: bytes.slice(0, length), steps: [`truncate to ${length} of ${bytes.length} bytes`] };
};

const copyRange: Mutator = (bytes, _format, random) => {
  if (bytes.length === 0) return { bytes, steps: [] };
  const from = random.below(bytes.length);
  const length = Math.min(random.between(1, 512), bytes.length - from);
  const to = random.below(bytes.length + 1);
  return { bytes: splice(bytes, to, 0, bytes.subarray(from, from + length)), steps: [`copy bytes ${from}..${from + length} to ${to}`] };
};

const dropRange: Mutator = (bytes, _format, random) => {
  if (bytes.length === 0) return { bytes, steps: [] };
  const from = random.below(bytes.length);
  const length = Math.min(random.between(1, 512), bytes.length - from);
  return { bytes: splice(bytes, from, length), steps: [`drop bytes ${from}..${from + length}`] };
};

const duplicateSpan: Mutator = (bytes, format, random) => {
  const spans = structure(bytes, format);
  if (spans.length === 0) return copyRange(bytes, format, random);
  const span = random.pick(spans);
  const after = random.pick(spans);
  return {
    bytes: splice(bytes, after.end, 0, bytes.subarray(span.start, span.end)),
    steps: [`copy ${span.name} at ${span.start} to after ${after.name} at ${after.start}`],
  };
};

const dropSpan: Mutator = (bytes, format, random) => {
  const spans = structure(bytes, format);
  if (spans.length === 0) return dropRange(bytes, format, random);
  const span = random.pick(spans);
  return { bytes: splice(bytes, span.start, span.end - span.start), steps: [`drop ${span.name} at ${span.start}`] };
};

const tweakSize: Mutator = (bytes, format, random) => {
  const fields = sizeFields(bytes, format);
  if (fields.length === 0) return overwriteBytes(bytes, format, random);
  const field = random.pick(fields);
  const max = 2 ** (8 * field.bytes) - 1;
  const current = readField(bytes, field);
  const value = random.pick([0, 1, max, max >>> 1, Math.min(max, current * 2), Math.min(max, current * 64), random.below(max + 1)]);
  const out = Uint8Array.from(bytes);
  writeField(out, field, value);
  const steps = [`set ${field.name} at ${field.at} from ${current} to ${value}`];
  // A size with a bad checksum never reaches the decoder's allocation; a good one tests the size checks.
  if (format === "png" && random.chance(0.75)) return { bytes: repairPngChecksums(out), steps: [...steps, "recompute PNG chunk checksums"] };
  return { bytes: out, steps };
};

const MUTATORS: readonly Mutator[] = [flipBits, overwriteBytes, truncate, copyRange, dropRange, duplicateSpan, dropSpan, tweakSize];

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** The file's structural units, in order; parsing stops quietly at the first thing that does not fit. */
export function structure(bytes: Uint8Array, format: FuzzFormat): Span[] {
  switch (format) {
    case "png":
      return pngChunks(bytes);
    case "jpeg":
      return jpegSegments(bytes);
    case "gif":
      return gifBlocks(bytes);
    case "webp":
      return riffChunks(bytes);
    case "tiff":
      return tiffEntries(bytes);
    case "isobmff":
      return isoBoxes(bytes, 0, bytes.length, 0);
    case "bmp":
      return [];
  }
}

/** The first directory's 12-byte entries. */
function tiffEntries(bytes: Uint8Array): Span[] {
  const ifd = tiffDirectory(bytes);
  if (ifd === undefined) return [];
  const spans: Span[] = [];
  const count = tiffU16(bytes, ifd);
  for (let i = 0; i < count && ifd + 2 + (i + 1) * 12 <= bytes.length; i++) {
    const at = ifd + 2 + i * 12;
    spans.push({ name: `TIFF entry ${tiffU16(bytes, at)}`, start: at, end: at + 12 });
  }
  return spans;
}

function tiffDirectory(bytes: Uint8Array): number | undefined {
  if (bytes.length < 8) return undefined;
  const ifd = tiffU32(bytes, 4);
  return ifd + 2 <= bytes.length ? ifd : undefined;
}

function tiffU16(bytes: Uint8Array, at: number): number {
  return bytes[0] === 0x49 ? bytes[at]! | (bytes[at + 1]! << 8) : u16be(bytes, at);
}

function tiffU32(bytes: Uint8Array, at: number): number {
  return bytes[0] === 0x49 ? u32le(bytes, at) : u32be(bytes, at);
}

/** Boxes, and the boxes inside the containers a HEIF reader walks (meta, iprp, ipco), depth first. */
function isoBoxes(bytes: Uint8Array, from: number, to: number, depth: number): Span[] {
  const spans: Span[] = [];
  for (let at = from; at + 8 <= to && spans.length < 256; ) {
    const size = u32be(bytes, at);
    if (size < 8 || at + size > to) break;
    const type = ascii(bytes, at + 4, 4);
    spans.push({ name: `box ${type}`, start: at, end: at + size });
    const children = type === "meta" ? at + 12 : type === "iprp" || type === "ipco" ? at + 8 : undefined;
    if (children !== undefined && depth < 4) spans.push(...isoBoxes(bytes, children, at + size, depth + 1));
    at += size;
  }
  return spans;
}

function pngChunks(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const end = at + 12 + u32be(bytes, at);
    if (end > bytes.length) break;
    spans.push({ name: `PNG chunk ${ascii(bytes, at + 4, 4)}`, start: at, end });
    at = end;
  }
  return spans;
}

/** Segments up to the end marker; a scan's segment runs on through its entropy-coded data. */
function jpegSegments(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xd9) break;
    let end = at + 2 + u16be(bytes, at + 2);
    if (end > bytes.length) break;
    if (marker === 0xda) end = scanDataEnd(bytes, end);
    spans.push({ name: `JPEG segment ff${marker.toString(16)}`, start: at, end });
    at = end;
  }
  return spans;
}

/** Where the entropy-coded data after a scan header stops: the first marker that is not a stuffed byte or a restart. */
function scanDataEnd(bytes: Uint8Array, from: number): number {
  for (let at = from; at + 1 < bytes.length; at++) {
    const next = bytes[at + 1]!;
    if (bytes[at] === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return at;
  }
  return bytes.length;
}

function gifBlocks(bytes: Uint8Array): Span[] {
  if (bytes.length < 13) return [];
  const flags = bytes[10]!;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  if (at > bytes.length) return [];
  const spans: Span[] = [{ name: "GIF screen descriptor", start: 6, end: at }];
  while (at < bytes.length && bytes[at] !== 0x3b) {
    const start = at;
    if (bytes[at] === 0x21) {
      at = subBlocksEnd(bytes, at + 2);
    } else if (bytes[at] === 0x2c && at + 10 <= bytes.length) {
      const local = bytes[at + 9]!;
      at = subBlocksEnd(bytes, at + 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1);
    } else {
      break;
    }
    if (at > bytes.length) break;
    spans.push({ name: bytes[start] === 0x21 ? "GIF extension" : "GIF image", start, end: at });
  }
  return spans;
}

/** A GIF data run: sized sub-blocks ending with an empty one. */
function subBlocksEnd(bytes: Uint8Array, from: number): number {
  let at = from;
  while (at < bytes.length && bytes[at] !== 0) at += bytes[at]! + 1;
  return at + 1;
}

function riffChunks(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = u32le(bytes, at + 4);
    const end = at + 8 + size + (size & 1);
    if (end > bytes.length) break;
    spans.push({ name: `RIFF chunk ${ascii(bytes, at, 4)}`, start: at, end });
    at = end;
  }
  return spans;
}

/** Where this file keeps its sizes (and, for GIF frames, their placement on the canvas). */
function sizeFields(bytes: Uint8Array, format: FuzzFormat): SizeField[] {
  const spans = structure(bytes, format);
  switch (format) {
    case "png":
      return bytes.length >= 24
        ? [
            { name: "PNG width", at: 16, bytes: 4, littleEndian: false },
            { name: "PNG height", at: 20, bytes: 4, littleEndian: false },
          ]
        : [];
    case "jpeg":
      return spans
        .filter(({ start, end }) => isStartOfFrame(bytes[start + 1]!) && end - start >= 9)
        .flatMap(({ start }) => [
          { name: "JPEG frame height", at: start + 5, bytes: 2 as const, littleEndian: false },
          { name: "JPEG frame width", at: start + 7, bytes: 2 as const, littleEndian: false },
        ]);
    case "gif":
      return [
        { name: "GIF screen width", at: 6, bytes: 2, littleEndian: true },
        { name: "GIF screen height", at: 8, bytes: 2, littleEndian: true },
        ...spans
          .filter(({ start }) => bytes[start] === 0x2c)
          .flatMap(({ start }) =>
            (["left", "top", "width", "height"] as const).map((name, i) => ({ name: `GIF frame ${name}`, at: start + 1 + 2 * i, bytes: 2 as const, littleEndian: true })),
          ),
      ];
    case "webp":
      return spans.flatMap(({ name, start }): SizeField[] => {
        const data = start + 8;
        if (name.endsWith("VP8X")) {
          return [
            { name: "WebP canvas width - 1", at: data + 4, bytes: 3, littleEndian: true },
            { name: "WebP canvas height - 1", at: data + 7, bytes: 3, littleEndian: true },
          ];
        }
        if (name.endsWith("VP8L")) return [{ name: "WebP lossless size bits", at: data + 1, bytes: 4, littleEndian: true }];
        if (name.endsWith("VP8 ")) {
          return [
            { name: "WebP lossy width", at: data + 6, bytes: 2, littleEndian: true },
            { name: "WebP lossy height", at: data + 8, bytes: 2, littleEndian: true },
          ];
        }
        return [];
      });
    case "tiff": {
      const ifd = tiffDirectory(bytes);
      const little = bytes[0] === 0x49;
      const fields: SizeField[] = [{ name: "TIFF directory offset", at: 4, bytes: 4, littleEndian: little }];
      if (ifd !== undefined) fields.push({ name: "TIFF entry count", at: ifd, bytes: 2, littleEndian: little });
      for (const { name, start } of spans) {
        fields.push(
          { name: `${name} type`, at: start + 2, bytes: 2, littleEndian: little },
          { name: `${name} count`, at: start + 4, bytes: 4, littleEndian: little },
          { name: `${name} value or offset`, at: start + 8, bytes: 4, littleEndian: little },
        );
      }
      return fields;
    }
    case "isobmff":
      return spans.flatMap(({ name, start }): SizeField[] => [
        { name: `${name} size`, at: start, bytes: 4, littleEndian: false },
        ...(name === "box ispe"
          ? [
              { name: "ispe width", at: start + 12, bytes: 4 as const, littleEndian: false },
              { name: "ispe height", at: start + 16, bytes: 4 as const, littleEndian: false },
            ]
          : []),
      ]);
    case "bmp":
      return [
        { name: "BMP file size", at: 2, bytes: 4, littleEndian: true },
        { name: "BMP header size", at: 14, bytes: 4, littleEndian: true },
        { name: "BMP width", at: 18, bytes: 4, littleEndian: true },
        { name: "BMP height", at: 22, bytes: 4, littleEndian: true },
      ];
  }
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readField(bytes: Uint8Array, field: SizeField): number {
  let value = 0;
  for (let i = 0; i < field.bytes; i++) {
    const byte = bytes[field.at + (field.littleEndian ? field.bytes - 1 - i : i)] ?? 0;
    value = value * 256 + byte;
  }
  return value;
}

function writeField(bytes: Uint8Array, field: SizeField, value: number): void {
  let rest = value;
  for (let i = field.bytes - 1; i >= 0; i--) {
    const at = field.at + (field.littleEndian ? field.bytes - 1 - i : i);
    if (at < bytes.length) bytes[at] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/** Every whole chunk's checksum made valid for its (possibly mutated) type and data. */
function repairPngChecksums(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  for (const { start, end } of pngChunks(out)) view.setUint32(end - 4, crc32(out.subarray(start + 4, end - 4)));
  return out;
}

function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function u32le(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 3]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 1]! << 8) | bytes[at]!) >>> 0;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
