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

// Everything that runs anywhere (engine, matching, signal formats, MD5 of streams and blobs, the contracts),
// then what needs Node: files, sharp's decoder and the worker_threads pool.
export * from "./browser.js";
export { hashBytes, hashFile, hashPixels } from "../src/hash-in-thread.js";
export { md5File } from "../src/md5/md5-file.js";
export { createNodePool, type NodePoolOptions } from "../workers/node-pool.js";
