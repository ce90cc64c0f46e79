/**
 * The worker pool's contract: what callers submit and get back, and the messages between the pool and its
 * workers. Types only, in the base, so the pool (workers/), the worker side (workers/worker-api.ts), the CLI, the
 * component and the public entries all import the one definition.
 */
import type { HashErrorInfo } from "./errors.js";
import type { ImageHash } from "./hash-image.js";
import type { EngineKind, HashOptions } from "./options.js";
import type { AssetSource } from "./platform/integrity.js";

/**
 * What a worker is asked to hash. The worker fetches the bytes itself, so the page or main thread never holds
 * more than the in-flight files: a path (Node: the worker reads it), a Blob/File (browser: posting it copies a
 * handle, not the bytes), or bytes the caller already has (transferred, not copied).
 */
export type HashSource =
  | { kind: "path"; path: string }
  | { kind: "blob"; blob: Blob }
  | { kind: "bytes"; bytes: Uint8Array };

/** One file submitted to the pool. `name` is what results and errors are labelled with. */
export interface HashTask {
  name: string;
  source: HashSource;
}

/** How every task that did not give a digest ends. */
export type FailedOutcome = { ok: false; error: HashErrorInfo };

export type HashOutcome = { ok: true; hash: ImageHash } | FailedOutcome;

/** Every submitted task ends in exactly one of these. `index` is the task's position in the submitted sequence. */
export type PoolResult = HashOutcome & { index: number; name: string };

/** MD5 of a file's bytes (what hash lists use for videos), and how many bytes were read. */
export type Md5Outcome = { ok: true; md5: string; size: number } | FailedOutcome;

export type Md5Result = Md5Outcome & { index: number; name: string };

/** `pdq` decodes and fingerprints a picture; `md5` streams the file's bytes through MD5 (videos, any file). */
export type DigestKind = "pdq" | "md5";

export type DigestTask = HashTask & { digest: DigestKind };

/** A `DigestTask`'s result: a successful one holds `hash` (pdq) or `md5` and `size` (md5). */
export type DigestResult = PoolResult | Md5Result;

export interface PoolProgress {
  /** Tasks finished so far (hashed or failed). */
  done: number;
  failed: number;
  /** Tasks submitted so far; grows while an iterable input is still being read. */
  submitted: number;
  /** True once the input iterable is exhausted, so `submitted` is the final total. */
  inputComplete: boolean;
}

export interface PoolOptions {
  /** Number of workers; default: available cores. */
  size?: number;
  /** Most tasks dispatched or waiting at once (backpressure); default 2 x size. */
  maxInFlight?: number;
  /** A picture taking longer than this is treated as a hung worker: the worker is replaced. Default 60 s. */
  taskTimeoutMs?: number;
  /**
   * A worker that has not loaded its modules and engine within this is replaced (and its file tried on another
   * worker). Counted apart from the file's own time. Default 30 s.
   */
  startTimeoutMs?: number;
  /** An MD5 read that makes no progress (not one more chunk) for this long is stopped as `timeout`. Default 60 s. */
  stallTimeoutMs?: number;
  hashOptions?: Partial<HashOptions>;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PoolProgress) => void;
}

export interface HashPool {
  /** Hash one file. Never rejects: failures, and cancellation through `signal`, resolve as `{ok: false}`. */
  hash(task: HashTask, options?: { signal?: AbortSignal }): Promise<PoolResult>;
  /**
   * Results in completion order, one per task, streamed while the input is still being read. On abort, tasks
   * already taken from the input end as `cancelled` and no further tasks are read.
   */
  hashAll(tasks: Iterable<HashTask> | AsyncIterable<HashTask>, options?: RunOptions): AsyncIterable<PoolResult>;
  /**
   * MD5 of one file, streamed in a worker in 1 MiB chunks, so a 2 GB video never sits in memory. Never rejects.
   * Not subject to the task timeout (reading is linear in the file's size), only to `stallTimeoutMs`.
   */
  md5(task: HashTask, options?: { signal?: AbortSignal }): Promise<Md5Result>;
  /** `hashAll` for a mix of pictures and files to MD5, each task saying which digest it wants. */
  digestAll(tasks: Iterable<DigestTask> | AsyncIterable<DigestTask>, options?: RunOptions): AsyncIterable<DigestResult>;
  /** Terminates the workers. Pending work settles as `cancelled`. */
  close(): Promise<void>;
}

/** The end of a MessageChannel the pool listens on (Node's and the browser's MessagePort both fit). */
export interface ProgressPort {
  postMessage(bytesHashed: number): void;
  close(): void;
}

/** What each worker exposes to the pool (through Comlink), in Node worker_threads and in Web Workers alike. */
export interface WorkerApi {
  /**
   * Loads the engine ahead of the first file, so that start-up is not counted against that file's time. A failed
   * load is tried once more; if that fails too this rejects, and the pool replaces the worker. `assets`, where
   * given, is where this worker gets the bytes of its WASM modules from (a browser pool's page-wide fetches).
   */
  ready(engine: EngineKind, assets?: AssetSource): Promise<void>;
  /** Reads, decodes and hashes one file. Per-file failures resolve as `{ok: false}`; this never rejects. */
  hash(source: HashSource, options: HashOptions): Promise<HashOutcome>;
  /**
   * Streams one file's bytes through MD5, never holding more than a chunk. Never rejects. The bytes hashed so far
   * are posted to `progress` after each chunk (the pool's stall watchdog listens); the port is closed at the end.
   */
  md5(source: HashSource, progress?: ProgressPort): Promise<Md5Outcome>;
}
