/**
 * The Node worker pool as the suites run it: the pool from the TypeScript sources, its threads on the compiled
 * worker (a worker thread loads JavaScript, outside Vitest's transform). tests/support/current-build.ts compiles
 * dist/ from the current sources before any test, so both sides are the code under test. The published pool's own
 * default (./node-worker.js beside the compiled pool) is what the CLI suites run.
 */
import { createNodePool, type NodePoolOptions } from "../../workers/node-pool.js";
import type { HashPool } from "../../src/pool-contract.js";

export const COMPILED_NODE_WORKER = new URL("../../dist/workers/node-worker.js", import.meta.url);

export function createTestPool(options: NodePoolOptions = {}): HashPool {
  return createNodePool({ workerUrl: COMPILED_NODE_WORKER, ...options });
}
