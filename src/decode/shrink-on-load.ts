/**
 * Fast mode's JPEG sizing through sharp. libjpeg can decode a JPEG at 1/2, 1/4 or 1/8 scale inside the DCT, which
 * skips most of the inverse transform, chroma upsampling and colour conversion; sharp (libvips) does so when asked
 * to resize ("shrink-on-load"). But sharp 0.35 loads at 1/N only when the requested size is at least N+1 times
 * smaller (9 times for 1/8), keeping clear of libjpeg's rounding of scaled sizes (src/pipeline.cc, "Lower
 * shrink-on-load for known libjpeg rounding errors"): asking for exactly 1/N makes it decode at 1/(N/2) and then
 * resample by 2, which for 1/2 means a full decode. So fast mode asks for 1/(N+1) (1/9): libjpeg decodes at 1/N,
 * and libvips' reduce takes the remaining 1.5x, 1.25x or 1.125x on the already small picture.
 * tests/fast-mode.test.ts checks this pixel for pixel against libjpeg's own 1/N decode.
 */
import type { ResizeOptions } from "sharp";

export type DctScale = 2 | 4 | 8;

/**
 * How to ask sharp for a `shrinkOnLoadSize` decode. fastShrinkOnLoad is what lets it decode at 1/N at all (without
 * it, sharp keeps a further 2x for its own resampling); of its reduce kernels, lanczos3 left the hashes closest to
 * full resolution on the bench photo set.
 */
export const SHRINK_ON_LOAD_RESIZE: Readonly<ResizeOptions> = { fit: "fill", fastShrinkOnLoad: true, kernel: "lanczos3" };

export interface ShrinkOnLoad {
  /** libjpeg decodes at 1/scale. */
  scale: DctScale;
  /** The size to ask sharp for, in the same orientation as the size it was computed from. */
  width: number;
  height: number;
}

/** For each DCT scale, the smallest whole shrink sharp must be asked for before it decodes at that scale. */
const REQUESTED_SHRINK: Readonly<Record<DctScale, number>> = { 8: 9, 4: 5, 2: 3 };

const SCALES_SMALLEST_FIRST: readonly DctScale[] = [8, 4, 2];

/**
 * The smallest decode whose shorter side stays at or above `minShortSide`, or undefined when even 1/2 would go
 * below it (then the picture is decoded in full). With a floor of 16 px or more the requested shrink stays under
 * 2N, so sharp picks exactly 1/N and no smaller scale.
 */
export function shrinkOnLoadSize(width: number, height: number, minShortSide: number): ShrinkOnLoad | undefined {
  for (const scale of SCALES_SMALLEST_FIRST) {
    const shrink = REQUESTED_SHRINK[scale];
    const target = { width: Math.floor(width / shrink), height: Math.floor(height / shrink) };
    if (Math.min(target.width, target.height) >= minShortSide) return { scale, ...target };
  }
  return undefined;
}
