/** PNG: the size sits in IHDR, the first chunk; the file is a chain of length-prefixed chunks ending with IEND. */
import { ascii, readU32BE } from "../bytes.js";
import type { HeaderReader } from "./types.js";

export const pngHeader: HeaderReader = {
  minBytes: 24,
  dimensions(bytes) {
    return bytes.length >= 24 && ascii(bytes, 12, 4) === "IHDR"
      ? { width: readU32BE(bytes, 16), height: readU32BE(bytes, 20) }
      : undefined;
  },
  endsEarly: (bytes) => !pngReachesEnd(bytes),
};

/** Each step moves at least 12 bytes, so the walk is linear in the file. */
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
