/**
 * Paths in, results out, in the order they finish: on a pool of worker threads, or in this thread for
 * `--workers 0`. Results stream; nothing is collected, so a folder of 100,000 photos runs in bounded memory.
 */
import { availableParallelism } from "node:os";
import { toErrorInfo } from "../src/errors.js";
import { hashFile } from "../src/index.js";
import type { HashOptions } from "../src/options.js";
import { createNodePool } from "../workers/node-pool.js";
import { streamResults, type SubmitTask } from "../workers/stream-results.js";
import type { HashOutcome, HashTask, PoolResult, RunOptions } from "../workers/types.js";

export interface HashPathsOptions extends RunOptions {
  hashOptions: HashOptions;
  /** Worker threads; 0 runs in this thread. */
  workers: number;
}

export async function* hashPaths(paths: AsyncIterable<string>, options: HashPathsOptions): AsyncGenerator<PoolResult> {
  const { hashOptions, workers, ...run } = options;
  const tasks = toTasks(paths);
  if (workers === 0) {
    // sharp decodes on libuv's threads, so a few files in flight still overlap reading, decoding and hashing.
    const stopSignals = run.signal ? [run.signal] : [];
    yield* streamResults(tasks, inThisThread(hashOptions), availableParallelism() + 1, { stopSignals, onProgress: run.onProgress });
    return;
  }
  const pool = createNodePool({ size: workers, hashOptions });
  try {
    yield* pool.hashAll(tasks, run);
  } finally {
    await pool.close();
  }
}

async function* toTasks(paths: AsyncIterable<string>): AsyncGenerator<HashTask> {
  for await (const path of paths) yield { name: path, source: { kind: "path", path } };
}

/** The task's name is its path (see `toTasks`). A cancelled task resolves at once; its result is dropped. */
function inThisThread(hashOptions: HashOptions): SubmitTask {
  return (task, signal) =>
    new Promise<HashOutcome>((resolve) => {
      const onAbort = () => resolve({ ok: false, error: { code: "cancelled", message: "Cancelled before this file was fingerprinted." } });
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      hashFile(task.name, hashOptions)
        .then((hash): HashOutcome => ({ ok: true, hash }), (error: unknown): HashOutcome => ({ ok: false, error: toErrorInfo(error) }))
        .then((outcome) => {
          signal.removeEventListener("abort", onAbort);
          resolve(outcome);
        });
    });
}
