/** The pool on Node worker_threads: one thread per core, each running the bundled worker script (or `workerUrl`). */
import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createPool, type ThisThreadHasher } from "./pool.js";
import type { HashPool, PoolOptions } from "../src/pool-contract.js";

/** One bundled file (scripts/bundle-node.mjs): a thread loads it several times faster than ~40 modules. */
const NODE_WORKER_URL = new URL("./bundled/node-worker.cjs", import.meta.url);

export interface NodePoolOptions extends PoolOptions {
  /** Worker script; default: the bundled ./bundled/node-worker.cjs beside this module. */
  workerUrl?: URL;
  /** V8 heap limits per worker: a worker that exceeds them is stopped and counted as crashed, not the process. */
  resourceLimits?: ResourceLimits;
  /**
   * Hash in this thread too until the first worker has started (~0.15 s: the thread's own start, then sharp), so
   * a run of a few files does not wait for it. sharp decodes on libuv's threads; this thread loads sharp and runs
   * the kernel, a few milliseconds per picture, and leaves HEIC to the workers. The CLI does; default false, so a
   * server's event loop never waits on a kernel.
   */
  startInThisThread?: boolean;
}

export function createNodePool(options: NodePoolOptions = {}): HashPool {
  const { workerUrl = NODE_WORKER_URL, resourceLimits, startInThisThread = false, ...poolOptions } = options;
  return createPool(
    {
      defaultSize: availableParallelism(),
      thisThread: startInThisThread ? loadedOnFirstUse() : undefined,
      createWorker(onFailure) {
        const worker = new Worker(workerUrl, { resourceLimits });
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

/** The hashing code loads in this thread only when a first file comes (and sharp only for a picture it decodes). */
function loadedOnFirstUse(): ThisThreadHasher {
  let loading: Promise<ThisThreadHasher> | undefined;
  return {
    async hash(source, options) {
      loading ??= import("./node-this-thread.js").then((module) => module.thisThreadHasher);
      return (await loading).hash(source, options);
    },
  };
}
