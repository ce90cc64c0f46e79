/**
 * MD5 of a file's bytes, streamed: what hash lists use for videos (StopNCII, Take It Down), where a
 * perceptual hash of a frame would not be the agreed signal. Memory stays at one chunk whatever the size, so
 * a 2 GB video hashes in a worker or a browser tab. Each call has its own hasher, so calls can overlap.
 */
import { cancelled, HashError } from "../errors.js";
import { byteChunks, type ByteSource } from "../formats/streams.js";

export interface Md5Options {
  signal?: AbortSignal;
  /** Called after each chunk with the bytes hashed so far. */
  onProgress?: (bytesHashed: number) => void;
}

/**
 * 32 lowercase hex chars. Aborting through `signal` fails with a `cancelled` HashError, also when the source
 * itself stops on the abort (as Node's file streams do).
 */
export async function md5Stream(source: ByteSource, options: Md5Options = {}): Promise<string> {
  const { signal, onProgress } = options;
  // Loaded on first use: every worker imports this module, and most runs hash no video, while hash-wasm (all of
  // its algorithms in one module) is a good part of a Node worker's start-up.
  const { createMD5 } = await import("./md5-hasher.js");
  const hasher = await createMD5();
  hasher.init();
  let bytesHashed = 0;
  try {
    signal?.throwIfAborted();
    for await (const chunk of byteChunks(source)) {
      signal?.throwIfAborted();
      hasher.update(chunk);
      bytesHashed += chunk.byteLength;
      onProgress?.(bytesHashed);
    }
    signal?.throwIfAborted();
  } catch (error) {
    if (signal?.aborted) {
      throw cancelled(error);
    }
    throw error;
  }
  return hasher.digest("hex");
}

/** A browser File or Blob, read through its stream rather than as one ArrayBuffer. */
export function md5Blob(blob: Blob, options: Md5Options = {}): Promise<string> {
  return md5Stream(blob.stream(), options);
}
