/**
 * The Node worker script, and threads of it started before anything asks for one: a thread's start-up (Node's own,
 * then loading sharp) is the longest step before the CLI's first file, so the CLI starts one first thing and lets
 * its start-up run beside its own (cli/ncii-hash.ts). Only `node:worker_threads` is imported here, so starting one
 * waits for nothing else to load.
 */
import { Worker } from "node:worker_threads";

/** One bundled file (scripts/bundle-node.mjs): a thread loads it several times faster than ~40 modules. */
export const NODE_WORKER_URL = new URL("./bundled/node-worker.cjs", import.meta.url);

/** Threads from `startNodeWorkerEarly` that are alive and not yet taken by a pool. */
const startedEarly = new Set<Worker>();

/**
 * Starts a thread of the default worker script now, for the next pool that needs one and runs that script without
 * `resourceLimits`. Until a pool takes it, it does not keep the process alive; one that fails before is dropped.
 */
export function startNodeWorkerEarly(): void {
  const worker = new Worker(NODE_WORKER_URL);
  worker.unref();
  startedEarly.add(worker);
  const drop = () => startedEarly.delete(worker);
  worker.on("error", drop);
  worker.once("exit", drop);
}

/** Stops the threads no pool has taken, for a command that turns out to need none; settles once they have ended. */
export async function stopEarlyWorkers(): Promise<void> {
  const stopping = [...startedEarly].map((worker) => worker.terminate());
  startedEarly.clear();
  await Promise.all(stopping);
}

/** A thread started early, now kept alive by its caller; undefined when there is none. */
export function takeEarlyWorker(): Worker | undefined {
  const [worker] = startedEarly;
  if (!worker) return undefined;
  startedEarly.delete(worker);
  worker.ref();
  return worker;
}
