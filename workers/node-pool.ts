/** The pool on Node worker_threads: one thread per core, each running ./node-worker.js (or `workerUrl`). */
import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createPool } from "./pool.js";
import type { HashPool, PoolOptions } from "../src/pool-contract.js";

export interface NodePoolOptions extends PoolOptions {
  /** Worker script; default: the compiled ./node-worker.js next to this module. */
  workerUrl?: URL;
  /** V8 heap limits per worker: a worker that exceeds them is stopped and counted as crashed, not the process. */
  resourceLimits?: ResourceLimits;
}

const DEFAULT_WORKER_URL = new URL("./node-worker.js", import.meta.url);

/** Threads from `startNodeWorkerEarly` that are alive and not yet taken by a pool. */
const startedEarly = new Set<Worker>();

/**
 * Starts a thread of the default worker script now, for the next pool that needs one and runs that script without
 * `resourceLimits`: its start-up (Node's own, then loading sharp) overlaps whatever this thread does meanwhile.
 * Until a pool takes it, it does not keep the process alive; one that fails before is dropped.
 */
export function startNodeWorkerEarly(): void {
  const worker = new Worker(DEFAULT_WORKER_URL);
  worker.unref();
  startedEarly.add(worker);
  const drop = () => startedEarly.delete(worker);
  worker.on("error", drop);
  worker.once("exit", drop);
}

function takeEarlyWorker(): Worker | undefined {
  const [worker] = startedEarly;
  if (!worker) return undefined;
  startedEarly.delete(worker);
  worker.ref();
  return worker;
}

export function createNodePool(options: NodePoolOptions = {}): HashPool {
  const { workerUrl = DEFAULT_WORKER_URL, resourceLimits, ...poolOptions } = options;
  const mayTakeEarly = workerUrl.href === DEFAULT_WORKER_URL.href && resourceLimits === undefined;
  return createPool(
    {
      defaultSize: availableParallelism(),
      createWorker(onFailure) {
        const worker = (mayTakeEarly && takeEarlyWorker()) || new Worker(workerUrl, { resourceLimits });
        worker.on("error", (error: NodeJS.ErrnoException) =>
          onFailure(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "ran out of memory" : `failed (${error.message})`),
        );
        worker.on("messageerror", () => onFailure("sent a message that could not be read"));
        worker.on("exit", (code) => onFailure(`stopped unexpectedly (exit code ${code})`));
        return {
          endpoint: nodeEndpoint(worker),
          async terminate() {
            await worker.terminate();
          },
        };
      },
    },
    poolOptions,
  );
}
