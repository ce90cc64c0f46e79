/**
 * The Node worker pool as the suites run it: the pool from the TypeScript sources, its threads on the compiled and
 * bundled worker, the published pool's own default (a worker thread loads JavaScript, outside Vitest's transform).
 * tests/support/current-build.ts compiles and bundles dist/ from the current sources before any test, so both
 * sides are the code under test.
 */
import { createNodePool, type NodePoolOptions } from "../../workers/node-pool.js";
import type { HashPool } from "../../src/pool-contract.js";

export const COMPILED_NODE_WORKER = new URL("../../dist/workers/bundled/node-worker.cjs", import.meta.url);

export function createTestPool(options: NodePoolOptions = {}): HashPool {
  return createNodePool({ workerUrl: COMPILED_NODE_WORKER, ...options });
}
