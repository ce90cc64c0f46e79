import type { ImageDecoder } from "./decode/types.js";
import type { PdqDigest, PdqEngine } from "./engine/types.js";
import { HashError } from "./errors.js";
import type { HashOptions } from "./options.js";

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
  if (bytes.byteLength === 0) throw new HashError("empty", "This file is empty (0 bytes), so there is no picture to fingerprint.");
  const image = await decoder.decode(bytes, options);
  const digest = engine.hash(image, options);
  return { ...digest, width: image.width, height: image.height };
}
