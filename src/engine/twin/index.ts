/**
 * The pure-TypeScript PDQ engine: the fallback where WebAssembly is unavailable, and the baseline the WASM kernel
 * is measured and cross-checked against. Same steps, same float32 operation order, same bits.
 */
import { pdqWordsToHex } from "../../hash/pdq-hash.js";
import type { KernelOptions, PdqDigest, PdqEngine, PixelImage } from "../types.js";
import { assertPixelImage } from "../pixel-image.js";
import { decimate64, jaroszFilter, lumaPlane, MIN_HASHABLE_SIDE } from "./filter.js";
import { dct16, dihedralDcts, quality64, thresholdToWords } from "./tail.js";

const ZERO_HASH = "0".repeat(64);

function digestOf(image: PixelImage, options: KernelOptions): PdqDigest {
  assertPixelImage(image);
  const plane = lumaPlane(image, options.resize);
  if (plane.width < MIN_HASHABLE_SIDE || plane.height < MIN_HASHABLE_SIDE) {
    return options.dihedral ? { pdq: ZERO_HASH, quality: 0, dihedral: Array(8).fill(ZERO_HASH) } : { pdq: ZERO_HASH, quality: 0 };
  }
  // A 64x64 image is already at the DCT's input size: the reference skips the blur for it.
  if (plane.width !== 64 || plane.height !== 64) jaroszFilter(plane);
  const buffer = plane.width === 64 && plane.height === 64 ? plane.data : decimate64(plane);
  const quality = quality64(buffer);
  const dct = dct16(buffer);
  const pdq = pdqWordsToHex(thresholdToWords(dct));
  if (!options.dihedral) return { pdq, quality };
  return { pdq, quality, dihedral: dihedralDcts(dct).map((variant) => pdqWordsToHex(thresholdToWords(variant))) };
}

export function createTwinEngine(): PdqEngine {
  return { kind: "js", hash: digestOf };
}
