/** Hamming distances between packed hashes (packed-hashes.ts) in plain TypeScript. */
import { PACKED_WORDS } from "./packed-hashes.js";

/** Bits set in each 16-bit value: two lookups per u32 beat bit-twiddling popcount in V8. */
const POPCOUNT16 = (() => {
  const table = new Uint8Array(1 << 16);
  for (let i = 1; i < table.length; i++) table[i] = (i & 1) + table[i >>> 1]!;
  return table;
})();

function popcount32(x: number): number {
  return POPCOUNT16[x & 0xffff]! + POPCOUNT16[x >>> 16]!;
}

/** Distance over words 0..3 (the first 128 bits), a lower bound of the full distance. */
function leadingDistance(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number): number {
  return (
    popcount32(a[aAt]! ^ b[bAt]!) +
    popcount32(a[aAt + 1]! ^ b[bAt + 1]!) +
    popcount32(a[aAt + 2]! ^ b[bAt + 2]!) +
    popcount32(a[aAt + 3]! ^ b[bAt + 3]!)
  );
}

function trailingDistance(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number): number {
  return (
    popcount32(a[aAt + 4]! ^ b[bAt + 4]!) +
    popcount32(a[aAt + 5]! ^ b[bAt + 5]!) +
    popcount32(a[aAt + 6]! ^ b[bAt + 6]!) +
    popcount32(a[aAt + 7]! ^ b[bAt + 7]!)
  );
}

/** Full distance if it is at most `threshold`, otherwise some number above it. */
export function boundedDistance(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number, threshold: number): number {
  const leading = leadingDistance(a, aAt, b, bAt);
  return leading > threshold ? leading : leading + trailingDistance(a, aAt, b, bAt);
}

export interface NearestVariant {
  distance: number;
  variant: number;
}

/**
 * The first of the `variants` packed queries at the smallest distance from the hash at `hashes[at]`, if that
 * distance is at most `threshold`.
 */
export function nearestVariant(
  hashes: Uint32Array,
  at: number,
  queries: Uint32Array,
  variants: number,
  threshold: number,
): NearestVariant | undefined {
  let distance = threshold + 1;
  let variant = -1;
  for (let v = 0; v < variants; v++) {
    const d = boundedDistance(hashes, at, queries, v * PACKED_WORDS, threshold);
    if (d < distance) {
      distance = d;
      variant = v;
    }
  }
  return variant < 0 ? undefined : { distance, variant };
}
