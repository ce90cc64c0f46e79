/**
 * HEIF and AVIF: ISO base media files (a chain of size-prefixed boxes), told apart from MP4/MOV video by the
 * brands in `ftyp`. The size is in `ispe` properties under meta/iprp/ipco. Every walk visits at most
 * `MAX_BOXES` boxes per level, and each box moves it at least 8 bytes, so work stays linear in the bytes given.
 */
import { ascii, readU32BE } from "../bytes.js";
import type { HeaderReader, ImageDimensions } from "./types.js";

const AVIF_BRANDS = new Set(["avif", "avis"]);
const HEIC_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "mif2"]);
/** `ftyp` lists a handful of compatible brands in practice; a longer list is not read past this many. */
const MAX_BRANDS = 64;
/** Real files hold a few top-level boxes and at most a few hundred item properties. */
const MAX_BOXES = 1 << 16;

interface Box {
  type: string;
  /** Where the payload starts and ends (exclusive), clamped to the bytes we have. */
  start: number;
  end: number;
}

/** Which still-image brand an ISO base media file carries, or undefined (video, or not ISOBMFF at all). */
export function sniffIsoBmffImage(bytes: Uint8Array): "avif" | "heic" | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== "ftyp") return undefined;
  const end = Math.min(readU32BE(bytes, 0), bytes.length, 16 + 4 * MAX_BRANDS);
  // The major brand, then (after the minor version) the compatible brands; any AVIF brand makes it AVIF.
  const major = ascii(bytes, 8, 4);
  let heic = HEIC_BRANDS.has(major);
  if (AVIF_BRANDS.has(major)) return "avif";
  for (let at = 16; at + 4 <= end; at += 4) {
    const brand = ascii(bytes, at, 4);
    if (AVIF_BRANDS.has(brand)) return "avif";
    heic ||= HEIC_BRANDS.has(brand);
  }
  return heic ? "heic" : undefined;
}

export const isoBmffHeader: HeaderReader = {
  minBytes: 0,
  dimensions: largestImageExtent,
  endsEarly: (bytes) => !boxesFitIn(bytes),
};

/**
 * The largest `ispe` (image spatial extent) property in meta/iprp/ipco. A file can hold several (thumbnail,
 * grid tiles, the full picture); the largest bounds what a decoder would allocate. Empty extents are passed
 * over, so the head of a file never reports "no pixels" for a file whose real extent comes later.
 */
function largestImageExtent(bytes: Uint8Array): ImageDimensions | undefined {
  const meta = findBox(bytes, 0, bytes.length, "meta");
  // `meta` is a full box: 4 bytes of version and flags precede its children.
  const iprp = meta && findBox(bytes, meta.start + 4, meta.end, "iprp");
  const ipco = iprp && findBox(bytes, iprp.start, iprp.end, "ipco");
  if (ipco === undefined) return undefined;
  let largest: ImageDimensions | undefined;
  for (const box of boxes(bytes, ipco.start, ipco.end)) {
    if (box.type !== "ispe" || box.start + 12 > box.end) continue;
    const candidate = { width: readU32BE(bytes, box.start + 4), height: readU32BE(bytes, box.start + 8) };
    if (candidate.width * candidate.height === 0) continue;
    if (largest === undefined || candidate.width * candidate.height > largest.width * largest.height) largest = candidate;
  }
  return largest;
}

/** Whether the top-level boxes tile the file exactly; a box running past the end means it was cut. */
function boxesFitIn(bytes: Uint8Array): boolean {
  let at = 0;
  for (let visited = 0; at < bytes.length; visited++) {
    if (visited === MAX_BOXES) return true;
    const box = boxAt(bytes, at, bytes.length);
    if (box === undefined || box.size < box.header) return false;
    at += box.size;
  }
  return at === bytes.length;
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
  for (let visited = 0; visited < MAX_BOXES; visited++) {
    const box = boxAt(bytes, at, to);
    if (box === undefined || box.size < box.header) return;
    yield { type: ascii(bytes, at + 4, 4), start: at + box.header, end: Math.min(at + box.size, to) };
    at += box.size;
  }
}

function findBox(bytes: Uint8Array, from: number, to: number, type: string): Box | undefined {
  for (const box of boxes(bytes, from, to)) if (box.type === type) return box;
  return undefined;
}
