/**
 * A PNG's stored samples, read without the browser's image pipeline (browser workers read every PNG this way). A 2D canvas holds premultiplied colour,
 * which loses the colour under transparent pixels that the kernel hashes, and only WebGL (not always there:
 * headless Firefox ESR has none in workers) reads an ImageBitmap back unpremultiplied; browsers also reduce
 * 16-bit samples to 8 bits in their own ways (Firefox's differs from libpng's high byte). Reading the file ourselves gives every engine the pixels the Node decoder
 * gets: stored colour (alpha dropped), palette entries looked up, 16-bit samples as their high byte.
 * Inflation uses the platform's DecompressionStream, so no zlib code ships with the component.
 */
import { HashError } from "../errors.js";
import type { PixelImage } from "../engine/types.js";
import { ascii, readU32BE } from "./bytes.js";
import { tooManyPixels, truncatedFile } from "./decode-errors.js";

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

interface PngChunks {
  header: PngHeader;
  palette?: Uint8Array;
  hasTransparency: boolean;
  compressed: Uint8Array[];
}

/** Samples per pixel for each PNG colour type: grey, RGB, palette, grey + alpha, RGBA. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const VALID_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The stored samples as 8-bit grey (1 channel) or RGB (3 channels); alpha is dropped, as the kernel ignores it. */
export async function decodePngSamples(bytes: Uint8Array, maxPixels: number): Promise<PixelImage> {
  const { header, palette, compressed } = readChunks(bytes);
  const { width, height, colourType } = header;
  if (width * height > maxPixels) throw tooManyPixels({ width, height }, maxPixels);
  if (colourType === 3 && !palette) throw damaged("a palette picture without its palette");
  const passes = header.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  const raw = await inflate(compressed, rawSize(header, passes));
  const grey = colourType === 0 || colourType === 4;
  const channels = grey ? 1 : 3;
  const out = new Uint8Array(width * height * channels);
  const place = pixelWriter(header, palette, out, channels);
  let at = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns <= 0 || rows <= 0) continue;
    const stride = Math.ceil((columns * SAMPLES[colourType]! * header.bitDepth) / 8);
    const bytesPerPixel = Math.max(1, (SAMPLES[colourType]! * header.bitDepth) >> 3);
    let previous = new Uint8Array(stride);
    for (let row = 0; row < rows; row++) {
      if (at + 1 + stride > raw.length) throw truncatedFile();
      const line = raw.slice(at + 1, at + 1 + stride);
      unfilter(raw[at]!, line, previous, bytesPerPixel);
      at += 1 + stride;
      for (let column = 0; column < columns; column++) place(line, column, (y0 + row * dy) * width + x0 + column * dx);
      previous = line;
    }
  }
  return { data: out, width, height, channels };
}

function readChunks(bytes: Uint8Array): PngChunks {
  let header: PngHeader | undefined;
  let palette: Uint8Array | undefined;
  let hasTransparency = false;
  const compressed: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = readU32BE(bytes, at);
    const type = ascii(bytes, at + 4, 4);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.length < length) throw truncatedFile();
    if (type === "IHDR") {
      if (length < 13) throw damaged("a short header");
      header = {
        width: readU32BE(bytes, at + 8),
        height: readU32BE(bytes, at + 12),
        bitDepth: data[8]!,
        colourType: data[9]!,
        interlaced: data[12] === 1,
      };
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") hasTransparency = true;
    else if (type === "IDAT") compressed.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (!header) throw damaged("no header");
  if (!VALID_DEPTHS[header.colourType]?.includes(header.bitDepth)) throw damaged("an unknown colour type or bit depth");
  if (compressed.length === 0) throw damaged("no picture data");
  return { header, palette, hasTransparency, compressed };
}

/** Bytes of filtered scanlines (a filter byte, then the row) the header's passes need. */
function rawSize(header: PngHeader, passes: readonly (readonly [number, number, number, number])[]): number {
  let size = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const columns = Math.ceil((header.width - x0) / dx);
    const rows = Math.ceil((header.height - y0) / dy);
    if (columns > 0 && rows > 0) size += rows * (1 + Math.ceil((columns * SAMPLES[header.colourType]! * header.bitDepth) / 8));
  }
  return size;
}

/**
 * Inflates into a buffer of exactly the size the header needs and stops reading there, so a small file that
 * inflates to gigabytes (a zip bomb in the IDAT chunks) costs no more than its declared picture. Less data than
 * that is left short; the scanline loop then reports the file as cut off.
 */
async function inflate(parts: readonly Uint8Array[], size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let filled = 0;
  const reader = new Blob(parts as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
  try {
    while (filled < size) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.length, size - filled);
      out.set(value.subarray(0, take), filled);
      filled += take;
    }
  } catch (error) {
    throw damaged("picture data that does not unpack", error);
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return filled === size ? out : out.subarray(0, filled);
}

/** Undoes one scanline's filter in place (PNG filter types 0-4). */
function unfilter(filter: number, line: Uint8Array, previous: Uint8Array, bpp: number): void {
  const n = line.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) line[i] = (line[i]! + line[i - bpp]!) & 255;
      return;
    case 2:
      for (let i = 0; i < n; i++) line[i] = (line[i]! + previous[i]!) & 255;
      return;
    case 3:
      for (let i = 0; i < n; i++) line[i] = (line[i]! + (((i >= bpp ? line[i - bpp]! : 0) + previous[i]!) >> 1)) & 255;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const left = i >= bpp ? line[i - bpp]! : 0;
        const up = previous[i]!;
        const upLeft = i >= bpp ? previous[i - bpp]! : 0;
        line[i] = (line[i]! + paeth(left, up, upLeft)) & 255;
      }
      return;
    default:
      throw damaged(`an unknown row filter (${filter})`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Writes pixel `column` of an unfiltered line to output pixel `index`, as 8-bit grey or RGB. */
function pixelWriter(
  header: PngHeader,
  palette: Uint8Array | undefined,
  out: Uint8Array,
  channels: number,
): (line: Uint8Array, column: number, index: number) => void {
  const { bitDepth, colourType } = header;
  const samples = SAMPLES[colourType]!;
  if (bitDepth < 8) {
    const perByte = 8 / bitDepth;
    const mask = (1 << bitDepth) - 1;
    // Low-depth grey scales up to 0-255 as libpng does (exact multiples: 1 -> 255, 2 -> 85, 4 -> 17).
    const scale = 255 / mask;
    return (line, column, index) => {
      const shift = 8 - bitDepth * ((column % perByte) + 1);
      const value = (line[Math.floor(column / perByte)]! >> shift) & mask;
      if (colourType === 3) writePaletteEntry(palette!, value, out, index);
      else out[index] = value * scale;
    };
  }
  // 16-bit samples keep their high byte (the first of the two, PNG being big-endian).
  const step = bitDepth >> 3;
  if (colourType === 3) return (line, column, index) => writePaletteEntry(palette!, line[column]!, out, index);
  return (line, column, index) => {
    const from = column * samples * step;
    for (let c = 0; c < channels; c++) out[index * channels + c] = line[from + c * step]!;
  };
}

/** An index beyond the palette reads as black rather than failing the whole picture. */
function writePaletteEntry(palette: Uint8Array, entry: number, out: Uint8Array, index: number): void {
  const at = entry * 3;
  out[index * 3] = palette[at] ?? 0;
  out[index * 3 + 1] = palette[at + 1] ?? 0;
  out[index * 3 + 2] = palette[at + 2] ?? 0;
}

function damaged(what: string, cause?: unknown): HashError {
  return new HashError(
    "decode-failed",
    `This picture could not be opened (${what}); the file may be damaged. Try saving or exporting it again.`,
    { cause },
  );
}
