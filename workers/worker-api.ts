/**
 * The worker side, shared by Node worker_threads and browser Web Workers: plain async functions exposed once
 * through Comlink. Environments differ only in the decoder and in whether a file path can be read.
 */
import type { ImageDecoder } from "../src/decode/types.js";
import { loadEngine } from "../src/engine/index.js";
import type { PdqEngine } from "../src/engine/types.js";
import { HashError, toErrorInfo } from "../src/errors.js";
import { hashImageBytes } from "../src/hash-image.js";
import { md5Blob, md5Stream, type Md5Options } from "../src/md5/md5-stream.js";
import type { EngineKind, HashOptions } from "../src/options.js";
import type { HashOutcome, HashSource, Md5Outcome } from "./types.js";

export interface WorkerApi {
  /**
   * Loads the engine ahead of the first file, so that start-up is not counted against that file's time. Never
   * rejects: an engine that cannot load is reported with each file by `hash`.
   */
  ready(engine: EngineKind): Promise<void>;
  /** Reads, decodes and hashes one file. Per-file failures resolve as `{ok: false}`; this never rejects. */
  hash(source: HashSource, options: HashOptions): Promise<HashOutcome>;
  /** Streams one file's bytes through MD5, never holding more than a chunk. Never rejects. */
  md5(source: HashSource): Promise<Md5Outcome>;
}

export interface WorkerEnvironment {
  decoder: ImageDecoder;
  /** Only where the worker can open files itself (Node); elsewhere a path source fails with `read-failed`. */
  readPath?: (path: string) => Promise<Uint8Array>;
  /** MD5 of a file read from its path in chunks (Node); elsewhere a path source fails with `read-failed`. */
  md5Path?: (path: string, options: Md5Options) => Promise<string>;
}

export function createWorkerApi({ decoder, readPath, md5Path }: WorkerEnvironment): WorkerApi {
  // One engine per kind for the worker's lifetime: instantiating WASM per file would dominate small images.
  const engines = new Map<EngineKind, Promise<PdqEngine>>();
  const engineFor = (kind: EngineKind): Promise<PdqEngine> => {
    let engine = engines.get(kind);
    if (!engine) {
      engine = loadEngine(kind).catch((error: unknown) => {
        if (error instanceof HashError && error.code === "integrity-failed") throw error;
        const message = `The ${kind} fingerprinting engine could not start (${describe(error)}).`;
        throw new HashError("worker-failed", message, { cause: error });
      });
      engines.set(kind, engine);
    }
    return engine;
  };

  return {
    async ready(kind) {
      await engineFor(kind).catch(() => {});
    },
    async hash(source, options) {
      try {
        const [bytes, engine] = await Promise.all([readSource(source, readPath), engineFor(options.engine)]);
        return { ok: true, hash: await hashImageBytes(bytes, decoder, engine, options) };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      }
    },
    async md5(source) {
      let size = 0;
      const options: Md5Options = { onProgress: (bytesHashed) => (size = bytesHashed) };
      try {
        const md5 = await md5Source(source, options, md5Path);
        return { ok: true, md5, size };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
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
        throw new HashError("read-failed", `This file could not be read (${describe(error)}).`, { cause: error });
      }
    case "path":
      if (!md5Path) throw new HashError("read-failed", "In a browser a file must be chosen, not named by its path.");
      return md5Path(source.path, options);
  }
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function readSource(source: HashSource, readPath: WorkerEnvironment["readPath"]): Promise<Uint8Array> {
  try {
    switch (source.kind) {
      case "bytes":
        return source.bytes;
      case "blob":
        return new Uint8Array(await source.blob.arrayBuffer());
      case "path":
        if (!readPath) throw new HashError("read-failed", "In a browser a file must be chosen, not named by its path.");
        return await readPath(source.path);
    }
  } catch (error) {
    if (error instanceof HashError) throw error;
    throw new HashError("read-failed", `This file could not be read (${describe(error)}).`, { cause: error });
  }
}

/** Node's `code` (ENOENT, EACCES, EISDIR) says what went wrong without repeating the path. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}
