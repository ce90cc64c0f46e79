/** Engine selection. Everything above this module sees only `PdqEngine`, never which implementation runs. */
import type { EngineKind } from "../options.js";
import { createTwinEngine } from "./twin/index.js";
import type { PdqEngine } from "./types.js";
import { loadWasmEngine } from "./wasm-engine.js";

export type { PdqEngine, PdqDigest, PixelImage, KernelOptions, Channels } from "./types.js";
export { DIHEDRAL_NAMES } from "./types.js";

export const engineKinds: readonly EngineKind[] = ["wasm", "js"];

export async function loadEngine(kind: EngineKind): Promise<PdqEngine> {
  return kind === "wasm" ? loadWasmEngine() : createTwinEngine();
}
