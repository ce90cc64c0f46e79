/**
 * PDQ hash values: conversions and distances. A hash is 256 bits; word w (0..15) holds DCT row w, bit j of the
 * word is column j. The hex form prints words 15..0, four hex chars each, exactly as the reference does.
 */

export const PDQ_HEX_LENGTH = 64;
/** Hamming distance at or below which two PDQ hashes are treated as the same picture (ThreatExchange, HMA). */
export const PDQ_MATCH_THRESHOLD = 31;
/** Quality below this makes a hash too unreliable to match on (python-threatexchange's PdqSignal). */
export const PDQ_QUALITY_THRESHOLD = 50;

const HEX_PATTERN = /^[0-9a-f]{64}$/i;

export function isPdqHex(value: string): boolean {
  return HEX_PATTERN.test(value);
}

/** 16 words (word 0 = DCT row 0) from the reference hex. Throws on anything that is not 64 hex chars. */
export function pdqHexToWords(hex: string): Uint16Array {
  if (!isPdqHex(hex)) throw new TypeError(`not a PDQ hash (64 hex chars): ${JSON.stringify(hex.slice(0, 80))}`);
  const words = new Uint16Array(16);
  for (let w = 0; w < 16; w++) {
    const at = (15 - w) * 4;
    words[w] = parseInt(hex.slice(at, at + 4), 16);
  }
  return words;
}

export function pdqWordsToHex(words: ArrayLike<number>): string {
  if (words.length !== 16) throw new TypeError("a PDQ hash has 16 words");
  let hex = "";
  for (let w = 15; w >= 0; w--) hex += (words[w]! & 0xffff).toString(16).padStart(4, "0");
  return hex;
}

/** The 256 bits, bit k = DCT coefficient (k >> 4, k & 15); k = 0 is the last hex char's lowest bit. */
export function pdqHexToBits(hex: string): Uint8Array {
  const words = pdqHexToWords(hex);
  const bits = new Uint8Array(256);
  for (let k = 0; k < 256; k++) bits[k] = (words[k >> 4]! >> (k & 15)) & 1;
  return bits;
}

export function pdqBitsToHex(bits: ArrayLike<number>): string {
  if (bits.length !== 256) throw new TypeError("a PDQ hash has 256 bits");
  const words = new Uint16Array(16);
  for (let k = 0; k < 256; k++) if (bits[k]) words[k >> 4]! |= 1 << (k & 15);
  return pdqWordsToHex(words);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two PDQ hashes (hex). */
export function hammingDistance(a: string, b: string): number {
  const wa = pdqHexToWords(a);
  const wb = pdqHexToWords(b);
  let distance = 0;
  for (let w = 0; w < 16; w++) distance += popcount32(wa[w]! ^ wb[w]!);
  return distance;
}
