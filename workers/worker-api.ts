/**
 * The worker side, shared by Node worker_threads and browser Web Workers: plain async functions exposed once
 * through Comlink. Environments differ only in the decoder and in whether a file path can be read.
 */
import { fileTooLarge } from "../src/decode/decode-errors.js";
import type { ImageDecoder } from "../src/decode/types.js";
import { createEngineCache, loadEngine } from "../src/engine/index.js";
import type { PdqEngine } from "../src/engine/types.js";
import { HashError, pathNotReadable, readFailed, toErrorInfo } from "../src/errors.js";
import { hashImageBytes } from "../src/hash-image.js";
import { md5Blob, md5Stream, type Md5Options } from "../src/md5/md5-stream.js";
import type { EngineKind, HashOptions } from "../src/options.js";
import { takeAssetsFrom } from "../src/platform/integrity.js";
import type { HashSource, WorkerApi } from "../src/pool-contract.js";

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

export function createWorkerApi({ decoder, readPath, md5Path, loadEngine: load = loadEngine }: WorkerEnvironment): WorkerApi {
  const engineFor = createEngineCache(load);

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
    async hash(source, options) {
      try {
        const [bytes, engine] = await Promise.all([readSource(source, options, readPath), engineFor(options.engine)]);
        return { ok: true, hash: await hashImageBytes(bytes, decoder, engine, options) };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      }
    },
    async md5(source, progress) {
      let size = 0;
      const options: Md5Options = {
        onProgress(bytesHashed) {
          size = bytesHashed;
          progress?.postMessage(bytesHashed);
        },
      };
      try {
        const md5 = await md5Source(source, options, md5Path);
        return { ok: true, md5, size };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      } finally {
        progress?.close();
      }
    },
  };
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
