/**
 * Paths in, results out, in the order they finish: on a pool of worker threads, or in this thread for
 * `--workers 0`. Results stream; nothing is collected, so a folder of 100,000 photos runs in bounded memory.
 */
import { availableParallelism } from "node:os";
import { cancelled, toErrorInfo } from "../src/errors.js";
import type { HashOptions } from "../src/options.js";
import { createNodePool } from "../workers/node-pool.js";
import { streamResults, type SubmitTask } from "../workers/stream-results.js";
import type { DigestKind, DigestResult, DigestTask, HashOutcome, Md5Outcome, PoolResult, RunOptions } from "../src/pool-contract.js";

export interface HashPathsOptions extends RunOptions {
  hashOptions: HashOptions;
  /** Worker threads; 0 runs in this thread. */
  workers: number;
}

export interface DigestPathsOptions extends HashPathsOptions {
  /** Which digest each path gets: a picture's PDQ, or the MD5 of the file's bytes. */
  digestOf(path: string): Promise<DigestKind>;
}

/** PDQ of each picture. */
export function hashPaths(paths: AsyncIterable<string>, options: HashPathsOptions): AsyncGenerator<PoolResult> {
  // Every task asks for a PDQ, so every result is a PoolResult.
  return digestPaths(paths, { ...options, digestOf: async () => "pdq" }) as AsyncGenerator<PoolResult>;
}

/** PDQ or MD5 of each file, as `digestOf` says; MD5s are streamed, so a video of any size runs in flat memory. */
export async function* digestPaths(paths: AsyncIterable<string>, options: DigestPathsOptions): AsyncGenerator<DigestResult> {
  const { hashOptions, workers, digestOf, ...run } = options;
  const tasks = toTasks(paths, digestOf);
  if (workers === 0) {
    // sharp decodes on libuv's threads, so a few files in flight still overlap reading, decoding and hashing.
    const stopSignals = run.signal ? [run.signal] : [];
    yield* streamResults(tasks, inThisThread(hashOptions), availableParallelism() + 1, { stopSignals, onProgress: run.onProgress });
    return;
  }
  const pool = createNodePool({ size: workers, hashOptions, startInThisThread: true });
  try {
    yield* pool.digestAll(tasks, run);
  } finally {
    await pool.close();
  }
}

async function* toTasks(paths: AsyncIterable<string>, digestOf: DigestPathsOptions["digestOf"]): AsyncGenerator<DigestTask> {
  for await (const path of paths) yield { name: path, source: { kind: "path", path }, digest: await digestOf(path) };
}

/** The task's name is its path (see `toTasks`). A cancelled task resolves at once; its result is dropped. */
function inThisThread(hashOptions: HashOptions): SubmitTask<DigestTask, HashOutcome | Md5Outcome> {
  return (task, signal) =>
    new Promise<HashOutcome | Md5Outcome>((resolve) => {
      const onAbort = () => resolve({ ok: false, error: cancelled().toJSON() });
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      const work = task.digest === "md5" ? md5InThisThread(task.name, signal) : hashInThisThread(task.name, hashOptions);
      work
        .catch((error: unknown): HashOutcome | Md5Outcome => ({ ok: false, error: toErrorInfo(error) }))
        .then((outcome) => {
          signal.removeEventListener("abort", onAbort);
          resolve(outcome);
        });
    });
}

// Loaded on first use: with workers, this thread never decodes or hashes, and sharp alone takes a good part of
// the start-up before the first file.
async function hashInThisThread(path: string, hashOptions: HashOptions): Promise<HashOutcome> {
  const { hashFile } = await import("../src/hash-in-thread.js");
  return { ok: true, hash: await hashFile(path, hashOptions) };
}

async function md5InThisThread(path: string, signal: AbortSignal): Promise<Md5Outcome> {
  const { md5File } = await import("../src/md5/md5-file.js");
  let size = 0;
  const md5 = await md5File(path, { signal, onProgress: (bytesHashed) => (size = bytesHashed) });
  return { ok: true, md5, size };
}
