/** Engine selection. Everything above this module sees only `PdqEngine`, never which implementation runs. */
import { engineFailed, HashError } from "../errors.js";
import type { EngineKind } from "../options.js";
import { sharedPromises } from "../platform/shared-promises.js";
import { createTwinEngine } from "./twin/index.js";
import type { PdqEngine } from "./types.js";
import { loadWasmEngine } from "./wasm-engine.js";

export type { PdqEngine, PdqDigest, PixelImage, KernelOptions, Channels } from "./types.js";
export { DIHEDRAL_NAMES } from "./types.js";

export async function loadEngine(kind: EngineKind): Promise<PdqEngine> {
  return kind === "wasm" ? loadWasmEngine() : createTwinEngine();
}

/**
 * One engine per kind for the life of a thread (the calling thread, or each worker): instantiating the WASM
 * module per picture would cost more than hashing a small one. A failed load is forgotten, so the next call tries
 * again rather than failing every later file, and is reported the same way on every path: an integrity failure
 * as it is, anything else as `worker-failed` naming the engine.
 */
export function createEngineCache(load: (kind: EngineKind) => Promise<PdqEngine> = loadEngine): (kind: EngineKind) => Promise<PdqEngine> {
  const engines = sharedPromises<PdqEngine>();
  return (kind) =>
    engines(kind, () =>
      load(kind).catch((error: unknown) => {
        if (error instanceof HashError && error.code === "integrity-failed") throw error;
        throw engineFailed(kind, error);
      }),
    );
}
