/**
 * Compiles the hash-index kernel once per thread. The .wasm sits next to this module (the build copies
 * src/**\/wasm/*.wasm into dist/): read from disk in Node, fetched in browsers and bundlers.
 */
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

let compiled: Promise<WebAssembly.Module> | undefined;

export async function instantiateHashIndexKernel(): Promise<HashIndexExports> {
  compiled ??= compileKernel(KERNEL_URL).catch((error: unknown) => {
    compiled = undefined;
    throw new Error(`could not load the hash-index kernel from ${KERNEL_URL.href}`, { cause: error });
  });
  const instance = await WebAssembly.instantiate(await compiled, {});
  return instance.exports as unknown as HashIndexExports;
}

async function compileKernel(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol === "file:") {
    // A computed specifier keeps bundlers from pulling a Node built-in into browser builds.
    const fsModule = "node:fs/promises";
    const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import("node:fs/promises");
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (response.headers.get("content-type")?.startsWith("application/wasm")) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
