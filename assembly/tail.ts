/**
 * From the 64x64 buffer to the hash: quality, the 16x64 DCT, Torben's median, bits and dihedral variants
 * (docs/pdq-algorithm.md sections 6-9). float32 throughout, the reference's operation order, no fused multiply-add.
 */
import { DCT_MATRIX_F32_BITS } from "../src/engine/dct-matrix";

/** D (16x64, row-major) and its transpose (64x16), so both products read contiguous rows of four lanes. */
const DCT: usize = memory.data(16 * 64 * 4, 16);
const DCT_T: usize = memory.data(64 * 16 * 4, 16);
const TEMP: usize = memory.data(16 * 64 * 4, 16);

for (let i = 0; i < 16; i++) {
  for (let k = 0; k < 64; k++) {
    const bits = <u32>DCT_MATRIX_F32_BITS[i * 64 + k];
    store<u32>(DCT + ((i * 64 + k) << 2), bits);
    store<u32>(DCT_T + ((k * 16 + i) << 2), bits);
  }
}

@inline function at(buffer: usize, index: i32): f32 {
  return load<f32>(buffer + (<usize>index << 2));
}

/** The reference's gradient quality, 0..100. */
export function quality64(buffer: usize): i32 {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d: f32 = ((at(buffer, i * 64 + j) - at(buffer, (i + 1) * 64 + j)) * 100) / 255;
      gradientSum += abs<i32>(<i32>d);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d: f32 = ((at(buffer, i * 64 + j) - at(buffer, i * 64 + j + 1)) * 100) / 255;
      gradientSum += abs<i32>(<i32>d);
    }
  }
  return min<i32>(100, gradientSum / 90);
}

/**
 * out (16x16) = D A D^T. Four output columns per vector: each lane accumulates over k in order from 0, exactly
 * the reference's scalar sum, with separate multiply and add.
 */
export function dct16(buffer: usize, out: usize): void {
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j += 4) {
      let sum = f32x4.splat(0);
      for (let k = 0; k < 64; k++) {
        const d = f32x4.splat(at(DCT, i * 64 + k));
        sum = f32x4.add(sum, f32x4.mul(d, v128.load(buffer + (<usize>(k * 64 + j) << 2))));
      }
      v128.store(TEMP + (<usize>(i * 64 + j) << 2), sum);
    }
  }
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j += 4) {
      let sum = f32x4.splat(0);
      for (let k = 0; k < 64; k++) {
        const t = f32x4.splat(at(TEMP, i * 64 + k));
        sum = f32x4.add(sum, f32x4.mul(t, v128.load(DCT_T + (<usize>(k * 16 + j) << 2))));
      }
      v128.store(out + (<usize>(i * 16 + j) << 2), sum);
    }
  }
}

/** Torben Mogensen's median of 256 float32 values (the reference's torben.cpp): the 128th smallest. */
function torbenMedian(values: usize): f32 {
  const n = 256;
  const half = (n + 1) >> 1;
  let lo = at(values, 0);
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const v = at(values, i);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  while (true) {
    const guess: f32 = (lo + hi) / 2;
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxBelow = lo;
    let minAbove = hi;
    for (let i = 0; i < n; i++) {
      const v = at(values, i);
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) {
      if (less >= half) return maxBelow;
      if (less + equal >= half) return guess;
      return minAbove;
    }
    if (less > greater) hi = maxBelow;
    else lo = minAbove;
  }
  return 0;
}

/** Bit 16i+j of the 16 words at `words` is set iff B[i][j] > median (the reference's setBit layout). */
export function thresholdToWords(dct: usize, words: usize): void {
  const median = torbenMedian(dct);
  for (let w = 0; w < 16; w++) {
    let word: u32 = 0;
    for (let j = 0; j < 16; j++) if (at(dct, w * 16 + j) > median) word |= 1 << j;
    store<u16>(words + (<usize>w << 1), <u16>word);
  }
}

const VARIANT: usize = memory.data(256 * 4, 16);

/**
 * The seven non-identity dihedral variants' words, written after the original's at `words` (16 words each), in
 * the reference order rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1. Derived from the one DCT: a
 * flip negates odd frequencies (even indices here, frequency = index + 1) and a rotation also transposes.
 */
export function dihedralWords(dct: usize, words: usize): void {
  for (let variant = 1; variant < 8; variant++) {
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const v = at(dct, i * 16 + j);
        const iOdd = (i & 1) == 1;
        const jOdd = (j & 1) == 1;
        const sumOdd = ((i + j) & 1) == 1;
        let transposed = false;
        let keep = true;
        if (variant == 1) { transposed = true; keep = jOdd; }
        else if (variant == 2) { keep = !sumOdd; }
        else if (variant == 3) { transposed = true; keep = iOdd; }
        else if (variant == 4) { keep = iOdd; }
        else if (variant == 5) { keep = jOdd; }
        else if (variant == 6) { transposed = true; }
        else { transposed = true; keep = !sumOdd; }
        const index = transposed ? j * 16 + i : i * 16 + j;
        store<f32>(VARIANT + (<usize>index << 2), keep ? v : -v);
      }
    }
    thresholdToWords(VARIANT, words + (<usize>variant << 5));
  }
}
