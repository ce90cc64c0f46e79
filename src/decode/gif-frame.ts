/**
 * The first frame of a GIF, as libvips (libnsgif) gives it to sharp in Node: a canvas of the logical screen's
 * size (grown to hold any frame that reaches past it), black and transparent, with the frame's pixels drawn at its
 * offset, pixels of the transparent index left untouched. Alpha is dropped (the kernel ignores it), so the result is 8-bit RGB. Pure TypeScript: the browser's
 * own GIF reader, so no browser decoder or read-back noise is involved.
 */
import type { PixelImage } from "../engine/types.js";
import { damagedPicture, tooManyPixels, truncatedFile } from "./decode-errors.js";
import { readU16LE } from "./bytes.js";
import { looksCutOff } from "./headers/index.js";

const MAX_CODES = 4096;

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  interlaced: boolean;
  palette: Uint8Array;
  transparent: number | undefined;
  minCodeSize: number;
  /** Where the frame's LZW sub-blocks start. */
  data: number;
}

export function decodeGifFirstFrame(bytes: Uint8Array, maxPixels: number): PixelImage {
  const frames = [...frameDescriptors(bytes)];
  const frame = frames[0];
  if (frame === undefined) throw damagedPicture("gif");
  let width = readU16LE(bytes, 6);
  let height = readU16LE(bytes, 8);
  for (const { left, top, width: w, height: h } of frames) {
    width = Math.max(width, left + w);
    height = Math.max(height, top + h);
  }
  if (width * height > maxPixels) throw tooManyPixels({ width, height }, maxPixels);
  const out = new Uint8Array(width * height * 3);
  const indices = decodeLzw(bytes, frame);
  const { palette, transparent } = frame;
  const rows = frameRows(frame.height, frame.interlaced);
  for (let i = 0; i < frame.height; i++) {
    const y = frame.top + rows[i]!;
    if (y >= height) continue;
    for (let x = 0; x < frame.width; x++) {
      const column = frame.left + x;
      if (column >= width) break;
      const index = indices[i * frame.width + x]!;
      if (index === transparent) continue;
      const at = (y * width + column) * 3;
      out[at] = palette[index * 3] ?? 0;
      out[at + 1] = palette[index * 3 + 1] ?? 0;
      out[at + 2] = palette[index * 3 + 2] ?? 0;
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * Every frame's descriptor, in file order. The first must be whole; a later one cut off ends the walk, since only
 * the canvas size is read from it.
 */
function* frameDescriptors(bytes: Uint8Array): Generator<Frame> {
  let at: number | undefined = 13 + globalPaletteSize(bytes);
  let frame = readFrame(bytes, at);
  while (frame !== undefined) {
    yield frame;
    try {
      at = skipSubBlocks(bytes, frame.data);
      frame = readFrame(bytes, at);
    } catch {
      return;
    }
  }
}

function globalPaletteSize(bytes: Uint8Array): number {
  const flags = need(bytes, 10);
  return flags & 0x80 ? 3 << ((flags & 7) + 1) : 0;
}

/** The next image descriptor from `from`, keeping the colour table and transparency; undefined at the trailer. */
function readFrame(bytes: Uint8Array, from: number): Frame | undefined {
  const globalPalette = slice(bytes, 13, globalPaletteSize(bytes));
  let at = from;
  let transparent: number | undefined;
  for (;;) {
    const block = need(bytes, at);
    if (block === 0x21) {
      const label = need(bytes, at + 1);
      // Graphic control extension: block size 4, flags, delay, transparent index.
      if (label === 0xf9 && need(bytes, at + 2) >= 4) transparent = need(bytes, at + 3) & 1 ? need(bytes, at + 6) : undefined;
      at = skipSubBlocks(bytes, at + 2);
    } else if (block === 0x2c) {
      const frameFlags = need(bytes, at + 9);
      let palette = globalPalette;
      let next = at + 10;
      if (frameFlags & 0x80) {
        const size = 3 << ((frameFlags & 7) + 1);
        palette = slice(bytes, next, size);
        next += size;
      }
      return {
        left: readU16LE(bytes, at + 1),
        top: readU16LE(bytes, at + 3),
        width: readU16LE(bytes, at + 5),
        height: readU16LE(bytes, at + 7),
        interlaced: (frameFlags & 0x40) !== 0,
        palette,
        transparent,
        minCodeSize: need(bytes, next),
        data: next + 1,
      };
    } else if (block === 0x3b) {
      return undefined;
    } else {
      throw damagedPicture("gif");
    }
  }
}

function skipSubBlocks(bytes: Uint8Array, from: number): number {
  let at = from;
  for (let size = need(bytes, at); size !== 0; size = need(bytes, at)) at += size + 1;
  return at + 1;
}

/** The frame's colour indices, row by row in stored order (interlaced rows are placed by the caller). */
function decodeLzw(bytes: Uint8Array, frame: Frame): Uint8Array {
  const { minCodeSize } = frame;
  if (minCodeSize < 1 || minCodeSize > 11) throw damagedPicture("gif");
  const total = frame.width * frame.height;
  const out = new Uint8Array(total);
  const prefix = new Uint16Array(MAX_CODES);
  const suffix = new Uint8Array(MAX_CODES);
  const firstByte = new Uint8Array(MAX_CODES);
  const lengths = new Uint16Array(MAX_CODES);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  for (let code = 0; code < clear; code++) {
    suffix[code] = code;
    firstByte[code] = code;
    lengths[code] = 1;
  }
  let codeSize = minCodeSize + 1;
  let next = clear + 2;
  let previous = -1;
  let written = 0;
  let bits = 0;
  let bitCount = 0;
  let at = frame.data;
  let blockLeft = 0;
  while (written < total) {
    while (bitCount < codeSize) {
      if (blockLeft === 0) {
        blockLeft = need(bytes, at++);
        // The terminating empty sub-block before the frame is complete.
        if (blockLeft === 0) throw damagedPicture("gif");
      }
      bits |= need(bytes, at++) << bitCount;
      bitCount += 8;
      blockLeft--;
    }
    const code = bits & ((1 << codeSize) - 1);
    bits >>>= codeSize;
    bitCount -= codeSize;
    if (code === clear) {
      codeSize = minCodeSize + 1;
      next = clear + 2;
      previous = -1;
      continue;
    }
    if (code === end) break;
    if (code > next || (code === next && previous < 0)) throw damagedPicture("gif");
    // A code not yet in the table (the KwKwK case) is the previous string plus its own first byte.
    const known = code < next;
    const head = known ? code : previous;
    const length = lengths[head]! + (known ? 0 : 1);
    const first = firstByte[head]!;
    let position = written + length - 1;
    if (!known) {
      if (position < total) out[position] = first;
      position--;
    }
    for (let walk = head; ; walk = prefix[walk]!) {
      if (position < total) out[position] = suffix[walk]!;
      position--;
      if (lengths[walk] === 1) break;
    }
    written += length;
    if (previous >= 0 && next < MAX_CODES) {
      prefix[next] = previous;
      suffix[next] = first;
      firstByte[next] = firstByte[previous]!;
      lengths[next] = lengths[previous]! + 1;
      next++;
      if (next === 1 << codeSize && codeSize < 12) codeSize++;
    }
    previous = code;
  }
  return out;
}

/** Stored row i of a frame of `height` rows shows at this row (GIF interlacing: every 8th, 8th, 4th, 2nd). */
function frameRows(height: number, interlaced: boolean): Uint32Array {
  const rows = new Uint32Array(height);
  if (!interlaced) {
    for (let i = 0; i < height; i++) rows[i] = i;
    return rows;
  }
  let i = 0;
  for (const [start, step] of [[0, 8], [4, 8], [2, 4], [1, 2]] as const) {
    for (let y = start; y < height; y += step) rows[i++] = y;
  }
  return rows;
}

function need(bytes: Uint8Array, at: number): number {
  if (at >= bytes.length) throw looksCutOff(bytes, "gif") ? truncatedFile() : damagedPicture("gif");
  return bytes[at]!;
}

function slice(bytes: Uint8Array, at: number, length: number): Uint8Array {
  if (at + length > bytes.length) need(bytes, bytes.length);
  return bytes.subarray(at, at + length);
}
