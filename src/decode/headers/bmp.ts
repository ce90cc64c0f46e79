/** BMP: a file header (with the file's size) and an info header whose length tells its generation. */
import { readI32LE, readU16LE, readU32LE } from "../bytes.js";
import type { HeaderReader } from "./types.js";

const INFO_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

export function isBmpInfoHeaderSize(size: number): boolean {
  return INFO_HEADER_SIZES.has(size);
}

export const bmpHeader: HeaderReader = {
  minBytes: 26,
  dimensions(bytes) {
    if (bytes.length < 26) return undefined;
    if (readU32LE(bytes, 14) === 12) return { width: readU16LE(bytes, 18), height: readU16LE(bytes, 20) };
    // A negative height means the rows are stored top-down.
    return { width: Math.abs(readI32LE(bytes, 18)), height: Math.abs(readI32LE(bytes, 22)) };
  },
  endsEarly: (bytes) => bytes.length < 6 || readU32LE(bytes, 2) > bytes.length,
};
