/**
 * ncii-hasher for Node: PDQ fingerprints of pictures, computed in this process. Only the hash needs to leave the
 * device; nothing here sends anything anywhere.
 *
 * ```ts
 * import { hashFile, hammingDistance, PDQ_MATCH_THRESHOLD } from "ncii-hasher";
 * const { pdq, quality } = await hashFile("photo.jpg");
 * ```
 * Failures throw `HashError` with a stable `code` (see `HashErrorCode`). Many files at once, off the main thread:
 * `createNodePool()`. Matching against hash lists: `HashIndex`, `parseHashList`, `findDuplicateGroups`.
 */
import { sharpDecoder } from "./decode/node-sharp.js";
import { loadEngine } from "./engine/index.js";
import type { PdqEngine, PixelImage } from "./engine/types.js";
import { readPictureFile } from "./files/read-picture.js";
import { hashImageBytes, kernelOptions, type ImageHash } from "./hash-image.js";
import { resolveHashOptions, type EngineKind, type HashOptions } from "./options.js";

// Everything that runs anywhere (engine, matching, signal formats, MD5 of streams and blobs, the contracts),
// then what needs Node: files, sharp's decoder and the worker_threads pool.
export * from "./browser.js";
export { md5File } from "./md5/md5-file.js";
export { createNodePool, type NodePoolOptions } from "../workers/node-pool.js";

// One engine per kind for the life of the process: instantiating the WASM module per picture would cost more
// than hashing a small one.
const engines = new Map<EngineKind, Promise<PdqEngine>>();

function engineFor(kind: EngineKind): Promise<PdqEngine> {
  let engine = engines.get(kind);
  if (!engine) {
    engine = loadEngine(kind);
    // A failed load is not cached, so a later call can try again.
    engine.catch(() => engines.delete(kind));
    engines.set(kind, engine);
  }
  return engine;
}

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
