import { emptyFile, fileTooLarge } from "./decode/decode-errors.js";
import type { DecodeOptions, ImageDecoder } from "./decode/types.js";
import type { KernelOptions, PdqDigest, PdqEngine } from "./engine/types.js";
import { FAST_MIN_SHORT_SIDE, kernelResizeMode, type HashOptions } from "./options.js";

/** A hashed picture: the digest plus the size of the image that was hashed (after orientation, before any resize). */
export interface ImageHash extends PdqDigest {
  width: number;
  height: number;
}

/** bytes -> decode -> pixels -> kernel. The one path every front end (CLI, library, workers, component) takes. */
export async function hashImageBytes(
  bytes: Uint8Array,
  decoder: ImageDecoder,
  engine: PdqEngine,
  options: HashOptions,
): Promise<ImageHash> {
  if (bytes.byteLength === 0) throw emptyFile();
  // Readers refuse such files before reading them; bytes handed over whole get the same verdict.
  if (bytes.byteLength > options.maxBytes) throw fileTooLarge(bytes.byteLength, options.maxBytes);
  const image = await decoder.decode(bytes, decodeOptions(options));
  const digest = engine.hash(image, kernelOptions(options));
  const { width, height } = image.fullSize ?? image;
  return { ...digest, width, height };
}

/** Fast mode is a decoding choice: the decoder may reduce the picture, and the kernel then hashes it as in full. */
function decodeOptions({ orientation, maxPixels, resize }: HashOptions): DecodeOptions {
  return resize === "fast" ? { orientation, maxPixels, minShortSide: FAST_MIN_SHORT_SIDE } : { orientation, maxPixels };
}

export function kernelOptions({ resize, dihedral }: HashOptions): KernelOptions {
  return { resize: kernelResizeMode(resize), dihedral };
}
