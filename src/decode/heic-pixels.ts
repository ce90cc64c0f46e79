/**
 * HEIC/HEIF pictures, in Node and in browser workers alike (src/decode/codecs/heic.ts): the primary image, its
 * `irot`/`imir` transforms applied unless orientation is "ignore" (HEIF's rotation is these boxes; an EXIF
 * orientation tag inside a HEIC is informative only), alpha ignored, 10-bit samples reduced to their high byte.
 * Same checks, codes and messages as every other format.
 */
import type { PixelImage } from "../engine/types.js";
import { CodecFailure } from "./codecs/codec-instance.js";
import { decodeHeic, loadHeicDecoder } from "./codecs/heic.js";
import { damagedPicture, tooManyPixels, truncatedFile, unsupportedFormat } from "./decode-errors.js";
import { looksCutOff } from "./headers/index.js";
import type { DecodeOptions } from "./types.js";

export async function decodeHeicPixels(bytes: Uint8Array, options: DecodeOptions): Promise<PixelImage> {
  // A decoder that cannot load, or fails its integrity check, is not the file's fault: its error goes on as the
  // other decoders' do (src/platform/compile-wasm.ts), not as a damaged picture.
  await loadHeicDecoder();
  let decoded;
  try {
    decoded = await decodeHeic(bytes, { transforms: options.orientation === "apply", maxPixels: options.maxPixels });
  } catch (error) {
    if (looksCutOff(bytes, "heic") || (error instanceof CodecFailure && error.kind === "truncated")) throw truncatedFile(error);
    if (error instanceof CodecFailure && error.kind === "unsupported") throw unsupportedFormat("heic", error);
    throw damagedPicture("heic", error);
  }
  if (decoded === "too-many-pixels") throw tooManyPixels(undefined, options.maxPixels);
  return decoded;
}
