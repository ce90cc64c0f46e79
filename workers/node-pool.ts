/** The pool on Node worker_threads: one thread per core, each running the bundled worker script (or `workerUrl`). */
import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { NODE_WORKER_URL, takeEarlyWorker } from "./early-worker.js";
import { createPool } from "./pool.js";
import type { HashPool, PoolOptions } from "../src/pool-contract.js";

export interface NodePoolOptions extends PoolOptions {
  /** Worker script; default: the bundled ./bundled/node-worker.cjs beside this module. */
  workerUrl?: URL;
  /** V8 heap limits per worker: a worker that exceeds them is stopped and counted as crashed, not the process. */
  resourceLimits?: ResourceLimits;
}

export function createNodePool(options: NodePoolOptions = {}): HashPool {
  const { workerUrl = NODE_WORKER_URL, resourceLimits, ...poolOptions } = options;
  const mayTakeEarly = workerUrl.href === NODE_WORKER_URL.href && resourceLimits === undefined;
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

export { startNodeWorkerEarly, stopEarlyWorkers } from "./early-worker.js";
