/**
 * PDQ (Meta ThreatExchange) as a WebAssembly kernel. The host streams an image's rows in and reads 16-bit hash
 * words out; only numbers and linear memory cross the boundary, so no bindings or loader are needed.
 *
 * Per image: beginImage(w, h, channels, resize512); then, while nextSourceRow() >= 0, copy that source row's
 * bytes into stagingBuffer() and call pushSourceRow(); then finish(dihedral) returns the quality and leaves the
 * hash words at hashWords() (16 u16 per hash; with dihedral, 8 hashes in the reference order).
 */
import { BUFFER64, finishStream, isHashable } from "./pipeline";
import { dct16, dihedralWords, quality64, thresholdToWords } from "./tail";

export { beginImage, nextSourceRow, pushSourceRow, stagingBuffer } from "./pipeline";

const WORDS: usize = memory.data(8 * 16 * 2, 16);
const DCT_OUT: usize = memory.data(256 * 4, 16);

/** Completes the image: returns its quality (0..100) and writes the hash (and its dihedral variants) to hashWords(). */
export function finish(dihedral: bool): i32 {
  memory.fill(WORDS, 0, 8 * 16 * 2);
  // Sides under 5 px: the reference's all-zero hash with quality 0.
  if (!isHashable()) return 0;
  finishStream();
  const quality = quality64(BUFFER64);
  dct16(BUFFER64, DCT_OUT);
  thresholdToWords(DCT_OUT, WORDS);
  if (dihedral) dihedralWords(DCT_OUT, WORDS);
  return quality;
}

export function hashWords(): usize {
  return WORDS;
}
