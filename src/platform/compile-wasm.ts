/**
 * Compiles a WebAssembly module shipped next to the code that uses it (`new URL("./wasm/x.wasm", import.meta.url)`;
 * the build copies src/**\/wasm/*.wasm into dist/): read from disk in Node, fetched in browsers and bundlers.
 * Each module is compiled once per thread; a failed compile is forgotten so a later call can retry.
 */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

export function compileModule(url: URL, what: string): Promise<WebAssembly.Module> {
  let module = compiled.get(url.href);
  if (!module) {
    module = compile(url).catch((error: unknown) => {
      compiled.delete(url.href);
      throw new Error(`could not load the ${what} from ${url.href}`, { cause: error });
    });
    compiled.set(url.href, module);
  }
  return module;
}

async function compile(url: URL): Promise<WebAssembly.Module> {
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
