import { compileModule } from "../platform/compile-wasm.js";

/** The hash-index kernel (assembly/hash-index/), one instance per caller. */
const KERNEL_URL = new URL("./wasm/hash-index.wasm", import.meta.url);

export interface HashIndexExports {
  memory: WebAssembly.Memory;
  heapStart(): number;
  scan(
    hashes: number,
    count: number,
    start: number,
    end: number,
    queries: number,
    variants: number,
    threshold: number,
    out: number,
  ): number;
}

export async function instantiateHashIndexKernel(): Promise<HashIndexExports> {
  const instance = await WebAssembly.instantiate(await compileModule(KERNEL_URL, "hash-index kernel"), {});
  return instance.exports as unknown as HashIndexExports;
}
