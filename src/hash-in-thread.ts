/**
 * Fingerprinting in the calling thread (Node): the library's `hashFile`, `hashBytes` and `hashPixels`, and the
 * CLI's `--workers 0`. Files are read by the same bounded reader, and engines cached and failing the same way, as in
 * the pool's workers (workers/worker-api.ts), so a file gets the same result and message on either path.
 */
import { sharpDecoder } from "./decode/node-sharp.js";
import { createEngineCache } from "./engine/index.js";
import type { PixelImage } from "./engine/types.js";
import { readPictureFile } from "./files/read-picture.js";
import { hashImageBytes, kernelOptions, type ImageHash } from "./hash-image.js";
import { resolveHashOptions, type HashOptions } from "./options.js";

const engineFor = createEngineCache();

/** Fingerprints an encoded picture (JPEG, PNG, WebP, GIF, AVIF, TIFF; HEIC where sharp's build can read it). */
export async function hashBytes(bytes: Uint8Array, options: Partial<HashOptions> = {}): Promise<ImageHash> {
  const resolved = resolveHashOptions(options);
  return hashImageBytes(bytes, sharpDecoder, await engineFor(resolved.engine), resolved);
}

/**
 * Reads and fingerprints one file. The file is refused before it is read when it is larger than `maxBytes`
 * (`file-too-large`) or is not a regular file; one that cannot be opened throws `HashError` with `read-failed`.
 */
export async function hashFile(path: string, options: Partial<HashOptions> = {}): Promise<ImageHash> {
  const resolved = resolveHashOptions(options);
  return hashImageBytes(await readPictureFile(path, resolved), sharpDecoder, await engineFor(resolved.engine), resolved);
}

/**
 * Fingerprints pixels already decoded: 8-bit, rows top to bottom, channels interleaved (1 grey, 2 grey + alpha,
 * 3 RGB, 4 RGBA; alpha is ignored). Only `resize`, `dihedral` and `engine` apply; the picture is taken as given,
 * so `fast`, which only changes decoding, hashes it as `full` does.
 */
export async function hashPixels(image: PixelImage, options: Partial<HashOptions> = {}): Promise<ImageHash> {
  const resolved = resolveHashOptions(options);
  const digest = (await engineFor(resolved.engine)).hash(image, kernelOptions(resolved));
  return { ...digest, width: image.width, height: image.height };
}
