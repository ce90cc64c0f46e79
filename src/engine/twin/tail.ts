/**
 * The resolution-independent tail of PDQ, shared by both engines: quality, the 16x64 DCT, Torben's median, the
 * 256 bits and the dihedral variants. Every value is float32 with the reference's operation order
 * (docs/pdq-algorithm.md sections 6-9): each `fround` below is a float32 operation of the C++ code.
 */
import { DCT_MATRIX_F32_BITS } from "../dct-matrix.js";

const fround = Math.fround;

/** D, 16 rows (frequencies 1..16) x 64 columns, row-major. */
export const DCT_MATRIX = new Float32Array(new Uint32Array(DCT_MATRIX_F32_BITS).buffer);

/** min(100, sum of truncated |neighbour differences| * 100 / 255, over / 90): the reference's gradient quality. */
export function quality64(buffer: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const u = buffer[i * 64 + j]!;
      const v = buffer[(i + 1) * 64 + j]!;
      gradientSum += Math.abs(Math.trunc(fround(fround(fround(u - v) * 100) / 255)));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const u = buffer[i * 64 + j]!;
      const v = buffer[i * 64 + j + 1]!;
      gradientSum += Math.abs(Math.trunc(fround(fround(fround(u - v) * 100) / 255)));
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

/** B = D A D^T (16x16) from the 64x64 buffer A, accumulating over k in order from 0, as the reference does. */
export function dct16(buffer: Float32Array): Float32Array {
  const temp = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = fround(sum + fround(DCT_MATRIX[i * 64 + k]! * buffer[k * 64 + j]!));
      temp[i * 64 + j] = sum;
    }
  }
  const out = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = fround(sum + fround(temp[i * 64 + k]! * DCT_MATRIX[j * 64 + k]!));
      out[i * 16 + j] = sum;
    }
  }
  return out;
}

/** Torben Mogensen's median (the reference's torben.cpp): for 256 values, the 128th smallest. */
export function torbenMedian(values: Float32Array): number {
  const n = values.length;
  let min = values[0]!;
  let max = values[0]!;
  for (let i = 1; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const half = (n + 1) >> 1;
  for (;;) {
    const guess = fround(fround(min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxLessThanGuess = min;
    let minGreaterThanGuess = max;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v < guess) {
        less++;
        if (v > maxLessThanGuess) maxLessThanGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGreaterThanGuess) minGreaterThanGuess = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) {
      if (less >= half) return maxLessThanGuess;
      if (less + equal >= half) return guess;
      return minGreaterThanGuess;
    }
    if (less > greater) max = maxLessThanGuess;
    else min = minGreaterThanGuess;
  }
}

/** Bit 16i+j set iff B[i][j] > median; word i holds row i (the reference's setBit layout). */
export function thresholdToWords(dct: Float32Array): Uint16Array {
  const median = torbenMedian(dct);
  const words = new Uint16Array(16);
  for (let k = 0; k < 256; k++) if (dct[k]! > median) words[k >> 4]! |= 1 << (k & 15);
  return words;
}

/**
 * The 8 dihedral DCTs derived from the original's coefficients (docs/pdq-algorithm.md section 9), in the reference order
 * orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1. Coefficient (i, j) has frequency (i+1, j+1),
 * so "odd index" below is an even frequency, whose sign a flip keeps.
 */
export function dihedralDcts(dct: Float32Array): Float32Array[] {
  const variants = Array.from({ length: 8 }, () => new Float32Array(256));
  const [orig, rot90, rot180, rot270, flipX, flipY, flipPlus1, flipMinus1] = variants as [
    Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array,
  ];
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = dct[i * 16 + j]!;
      const iOdd = (i & 1) === 1;
      const jOdd = (j & 1) === 1;
      const sumOdd = ((i + j) & 1) === 1;
      orig[i * 16 + j] = v;
      rot90[j * 16 + i] = jOdd ? v : -v;
      rot180[i * 16 + j] = sumOdd ? -v : v;
      rot270[j * 16 + i] = iOdd ? v : -v;
      flipX[i * 16 + j] = iOdd ? v : -v;
      flipY[i * 16 + j] = jOdd ? v : -v;
      flipPlus1[j * 16 + i] = v;
      flipMinus1[j * 16 + i] = sumOdd ? -v : v;
    }
  }
  return variants;
}
