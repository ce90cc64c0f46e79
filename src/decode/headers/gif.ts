/** GIF: the logical screen size is at a fixed place; the file ends with the trailer byte 0x3B. */
import { readU16LE } from "../bytes.js";
import type { HeaderReader } from "./types.js";

export const gifHeader: HeaderReader = {
  minBytes: 10,
  dimensions: (bytes) => (bytes.length >= 10 ? { width: readU16LE(bytes, 6), height: readU16LE(bytes, 8) } : undefined),
  endsEarly: (bytes) => bytes[bytes.length - 1] !== 0x3b,
};
