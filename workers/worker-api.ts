/**
 * The worker side, shared by Node worker_threads and browser Web Workers: plain async functions exposed once
 * through Comlink. Environments differ only in the decoder and in whether a file path can be read. The same
 * reading and hashing also serves a Node pool's own thread while its workers start (`createThisThreadHasher`).
 */
import { fileTooLarge } from "../src/decode/decode-errors.js";
import type { ImageDecoder } from "../src/decode/types.js";
import { createEngineCache } from "../src/engine/index.js";
import type { PdqEngine } from "../src/engine/types.js";
import { HashError, pathNotReadable, readFailed, toErrorInfo } from "../src/errors.js";
import { hashImageBytes } from "../src/hash-image.js";
import { md5Blob, md5Stream, type Md5Options } from "../src/md5/md5-stream.js";
import type { EngineKind, HashOptions } from "../src/options.js";
import { takeAssetsFrom } from "../src/platform/integrity.js";
import type { HashOutcome, HashSource, WorkerApi } from "../src/pool-contract.js";
import type { ThisThreadHasher } from "./pool.js";

export interface WorkerEnvironment {
  decoder: ImageDecoder;
  /**
   * Only where the worker can open files itself (Node): the bounded reader (src/files/read-picture.ts), which
   * refuses files over `maxBytes` before reading them. Elsewhere a path source fails with `read-failed`.
   */
  readPath?: (path: string, limits: Pick<HashOptions, "maxBytes" | "maxPixels">) => Promise<Uint8Array>;
  /** MD5 of a file read from its path in chunks (Node); elsewhere a path source fails with `read-failed`. */
  md5Path?: (path: string, options: Md5Options) => Promise<string>;
  /** Default: the real engines (src/engine); tests pass a failing one. */
  loadEngine?: (kind: EngineKind) => Promise<PdqEngine>;
}

export function createWorkerApi(environment: WorkerEnvironment): WorkerApi {
  const engineFor = createEngineCache(environment.loadEngine);

  return {
    async ready(kind, assets) {
      if (assets) takeAssetsFrom(assets);
      await engineFor(kind)
        .catch(() => engineFor(kind))
        .catch((error: unknown) => {
          // Code that failed its integrity check fails every file the same way: each file reports it (and the page
          // is told), rather than the pool replacing a worker that would fail again.
          if (error instanceof HashError && error.code === "integrity-failed") return;
          throw error;
        });
    },
    hash: (source, options) => hashSource(environment, engineFor, source, options),
    async md5(source, progress) {
      let size = 0;
      const options: Md5Options = {
        onProgress(bytesHashed) {
          size = bytesHashed;
          progress?.postMessage(bytesHashed);
        },
      };
      try {
        const md5 = await md5Source(source, options, environment.md5Path);
        return { ok: true, md5, size };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      } finally {
        progress?.close();
      }
    },
  };
}

/**
 * The pool's own thread standing in for a worker (`ThisThreadHasher`): files read, engines cached and failures
 * shaped as in `createWorkerApi`, so a file gets the same result on either side. A picture is hashed only when
 * `decodesOffThisThread(bytes)`, since no time limit can stop work that runs on the pool's own thread.
 */
export function createThisThreadHasher(
  environment: WorkerEnvironment,
  decodesOffThisThread: (bytes: Uint8Array) => boolean,
): ThisThreadHasher {
  const engineFor = createEngineCache(environment.loadEngine);
  return { hash: (source, options) => hashSource(environment, engineFor, source, options, decodesOffThisThread) };
}

type EngineCache = ReturnType<typeof createEngineCache>;

/** Reads, decodes and hashes one file; with `accept`, resolves undefined for a picture it turns down once read. */
function hashSource(
  environment: WorkerEnvironment,
  engineFor: EngineCache,
  source: HashSource,
  options: HashOptions,
): Promise<HashOutcome>;
function hashSource(
  environment: WorkerEnvironment,
  engineFor: EngineCache,
  source: HashSource,
  options: HashOptions,
  accept: (bytes: Uint8Array) => boolean,
): Promise<HashOutcome | undefined>;
async function hashSource(
  environment: WorkerEnvironment,
  engineFor: EngineCache,
  source: HashSource,
  options: HashOptions,
  accept?: (bytes: Uint8Array) => boolean,
): Promise<HashOutcome | undefined> {
  try {
    const [bytes, engine] = await Promise.all([readSource(source, options, environment.readPath), engineFor(options.engine)]);
    if (accept && !accept(bytes)) return undefined;
    return { ok: true, hash: await hashImageBytes(bytes, environment.decoder, engine, options) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

async function md5Source(source: HashSource, options: Md5Options, md5Path: WorkerEnvironment["md5Path"]): Promise<string> {
  switch (source.kind) {
    case "bytes":
      return md5Stream(oneChunk(source.bytes), options);
    case "blob":
      try {
        return await md5Blob(source.blob, options);
      } catch (error) {
        if (error instanceof HashError) throw error;
        throw readFailed(error);
      }
    case "path":
      if (!md5Path) throw pathNotReadable();
      return md5Path(source.path, options);
  }
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function readSource(source: HashSource, limits: HashOptions, readPath: WorkerEnvironment["readPath"]): Promise<Uint8Array> {
  switch (source.kind) {
    case "bytes":
      return source.bytes;
    case "blob":
      if (source.blob.size > limits.maxBytes) throw fileTooLarge(source.blob.size, limits.maxBytes);
      try {
        return new Uint8Array(await source.blob.arrayBuffer());
      } catch (error) {
        throw readFailed(error);
      }
    case "path":
      if (!readPath) throw pathNotReadable();
      return readPath(source.path, limits);
  }
}
