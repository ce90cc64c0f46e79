/**
 * The compact form of a PDQ hash used by the index: eight u32 (32 bytes), u32 k holding PDQ words 2k (low half)
 * and 2k + 1 (high half). Any fixed bijection would do for Hamming distance; this one keeps the words in order
 * so the first 16 bytes are DCT rows 0..7, which the scanners use as a cheap lower bound.
 */
import { pdqHexToWords, pdqWordsToHex } from "../hash/pdq-hash.js";

export const PACKED_WORDS = 8;
export const PACKED_BYTES = PACKED_WORDS * 4;

export function packHex(hex: string, target: Uint32Array, at: number): void {
  const words = pdqHexToWords(hex);
  const offset = at * PACKED_WORDS;
  for (let k = 0; k < PACKED_WORDS; k++) target[offset + k] = (words[2 * k]! | (words[2 * k + 1]! << 16)) >>> 0;
}

export function unpackHex(source: Uint32Array, at: number): string {
  const words = new Uint16Array(16);
  const offset = at * PACKED_WORDS;
  for (let k = 0; k < PACKED_WORDS; k++) {
    const value = source[offset + k]!;
    words[2 * k] = value & 0xffff;
    words[2 * k + 1] = value >>> 16;
  }
  return pdqWordsToHex(words);
}

/** Packs a list of hex hashes (a query and its variants) into one array. */
export function packHexList(hexes: readonly string[]): Uint32Array {
  const packed = new Uint32Array(hexes.length * PACKED_WORDS);
  hexes.forEach((hex, i) => packHex(hex, packed, i));
  return packed;
}

/** Accumulates hashes of a list whose length is not known up front (a streamed file). */
export class PackedHashBuilder {
  private words = new Uint32Array(PACKED_WORDS * 1024);
  private used = 0;

  get count(): number {
    return this.used;
  }

  add(hex: string): void {
    if ((this.used + 1) * PACKED_WORDS > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    packHex(hex, this.words, this.used++);
  }

  /** The packed hashes, exactly `count * 8` words long. */
  finish(): Uint32Array {
    return this.words.slice(0, this.used * PACKED_WORDS);
  }
}
