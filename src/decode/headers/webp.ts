/** WebP: a RIFF file whose first chunk (VP8X, VP8L or VP8) holds the canvas size at a fixed place. */
import { ascii, readU16LE, readU24LE, readU32LE, startsWithAt } from "../bytes.js";
import type { HeaderReader } from "./types.js";

export const webpHeader: HeaderReader = {
  minBytes: 25,
  dimensions(bytes) {
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
  },
  // The RIFF header states the size of everything after its first 8 bytes.
  endsEarly: (bytes) => bytes.length < 12 || readU32LE(bytes, 4) + 8 > bytes.length,
};
