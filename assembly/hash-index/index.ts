/**
 * PDQ hash-list scan: Hamming distance from 1..8 query variants (a hash and its dihedral variants) to every
 * stored hash, reporting the stored hashes whose best variant is within the threshold.
 *
 * Memory is laid out by the host (src/match/wasm-scanner.ts), which owns it; this module never allocates.
 * A hash is 32 bytes: eight little-endian u32 holding PDQ words 0..15 in order (src/match/packed-hashes.ts).
 * Stored hashes are padded with zeros to a multiple of 8; padding lanes are masked out, never reported.
 *
 * Semantics (the TypeScript twin, src/match/js-scanner.ts, gives the same answers): for each stored hash the
 * distance is the minimum over the query variants, the variant is the first one reaching that minimum, and
 * matches are written in stored order as two u32: the stored index, then `variant << 16 | distance`.
 */

const HASH_BYTES: usize = 32;
const GROUP: u32 = 8;

/** First byte the host may use: the end of this module's static data, rounded up to 16. */
export function heapStart(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * Scans stored hashes [start, end) (start a multiple of 8; `count` is the real number of hashes, so lanes at or
 * past it are ignored) and writes matches to `out`. Returns how many were written: at most end - start.
 */
export function scan(
  hashes: usize,
  count: u32,
  start: u32,
  end: u32,
  queries: usize,
  variants: u32,
  threshold: u32,
  out: usize,
): u32 {
  const limit = i16x8.splat(<i16>min<u32>(threshold, 0x7fff));
  let written: u32 = 0;
  for (let group = start; group < end; group += GROUP) {
    const base = hashes + <usize>group * HASH_BYTES;
    // The first 128 bits of each of the 8 stored hashes: their distance is a lower bound of the full one, and
    // for unrelated hashes (about 64 bits apart on 128) it already rules out any threshold in practical use.
    const h0 = v128.load(base);
    const h1 = v128.load(base, 32);
    const h2 = v128.load(base, 64);
    const h3 = v128.load(base, 96);
    const h4 = v128.load(base, 128);
    const h5 = v128.load(base, 160);
    const h6 = v128.load(base, 192);
    const h7 = v128.load(base, 224);
    let best = i16x8.splat(-1);
    for (let v: u32 = 0; v < variants; v++) {
      const q = v128.load(queries + <usize>v * HASH_BYTES);
      const d = sumBytes8(
        i8x16.popcnt(v128.xor(h0, q)),
        i8x16.popcnt(v128.xor(h1, q)),
        i8x16.popcnt(v128.xor(h2, q)),
        i8x16.popcnt(v128.xor(h3, q)),
        i8x16.popcnt(v128.xor(h4, q)),
        i8x16.popcnt(v128.xor(h5, q)),
        i8x16.popcnt(v128.xor(h6, q)),
        i8x16.popcnt(v128.xor(h7, q)),
      );
      best = i16x8.min_u(best, d);
    }
    let candidates = i16x8.bitmask(i16x8.le_u(best, limit));
    if (candidates == 0) continue;
    if (group + GROUP > count) candidates &= (1 << (count - group)) - 1;
    while (candidates != 0) {
      const lane = <u32>ctz(candidates);
      candidates &= candidates - 1;
      const index = group + lane;
      const found = bestVariant(hashes + <usize>index * HASH_BYTES, queries, variants);
      if ((found & 0xffff) <= threshold) {
        const slot = out + <usize>written * 8;
        store<u32>(slot, index);
        store<u32>(slot, found, 4);
        written++;
      }
    }
  }
  return written;
}

/**
 * Lane i of the result is the sum of the 16 bytes of vector i (bytes at most 8, so every step fits): the eight
 * horizontal sums done together, halving the lanes per step instead of reducing each vector on its own.
 */
@inline
function sumBytes8(p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, p6: v128, p7: v128): v128 {
  const a01 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(p0), i16x8.extadd_pairwise_i8x16_u(p1));
  const a23 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(p2), i16x8.extadd_pairwise_i8x16_u(p3));
  const a45 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(p4), i16x8.extadd_pairwise_i8x16_u(p5));
  const a67 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(p6), i16x8.extadd_pairwise_i8x16_u(p7));
  const b0123 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(a01), i16x8.extadd_pairwise_i8x16_u(a23));
  const b4567 = i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(a45), i16x8.extadd_pairwise_i8x16_u(a67));
  return i16x8.extadd_pairwise_i8x16_u(
    i8x16.narrow_i16x8_u(i16x8.extadd_pairwise_i8x16_u(b0123), i16x8.extadd_pairwise_i8x16_u(b4567)),
  );
}

/** Full 256-bit distance to each variant: `variant << 16 | distance` of the first variant at the minimum. */
function bestVariant(hash: usize, queries: usize, variants: u32): u32 {
  const w0 = load<u64>(hash);
  const w1 = load<u64>(hash, 8);
  const w2 = load<u64>(hash, 16);
  const w3 = load<u64>(hash, 24);
  let bestDistance: u32 = 0xffff;
  let bestIndex: u32 = 0;
  for (let v: u32 = 0; v < variants; v++) {
    const q = queries + <usize>v * HASH_BYTES;
    const distance = <u32>(
      popcnt(w0 ^ load<u64>(q)) +
      popcnt(w1 ^ load<u64>(q, 8)) +
      popcnt(w2 ^ load<u64>(q, 16)) +
      popcnt(w3 ^ load<u64>(q, 24))
    );
    if (distance < bestDistance) {
      bestDistance = distance;
      bestIndex = v;
    }
  }
  return (bestIndex << 16) | bestDistance;
}
