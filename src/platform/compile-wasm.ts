/**
 * Compiles a WebAssembly module shipped next to the code that uses it (`new URL("./wasm/x.wasm", import.meta.url)`;
 * the build copies src/**\/wasm/*.wasm into dist/): read from disk in Node, fetched in browsers and bundlers.
 * In the prebuilt bundle the fetched bytes are checked against the module's integrity pin (./integrity.ts) and
 * compiled from those very bytes. Each module is compiled once per thread; a failed compile is forgotten so a later
 * call can retry.
 */
import { HashError } from "../errors.js";
import { fetchVerified } from "./integrity.js";
import { sharedPromises } from "./shared-promises.js";

const compiled = sharedPromises<WebAssembly.Module>();

export function compileModule(url: URL, what: string): Promise<WebAssembly.Module> {
  return compiled(url.href, () =>
    compile(url, what).catch((error: unknown) => {
      // A failed integrity check keeps its code, so the host sees `integrity-failed` and not a load failure.
      if (error instanceof HashError) throw error;
      throw new Error(`could not load the ${what} from ${url.href}`, { cause: error });
    }),
  );
}

async function compile(url: URL, what: string): Promise<WebAssembly.Module> {
  if (url.protocol === "file:") {
    // A computed specifier keeps bundlers from pulling a Node built-in into browser builds.
    const fsModule = "node:fs/promises";
    const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import("node:fs/promises");
    return WebAssembly.compile(await readFile(url));
  }
  return WebAssembly.compile(await fetchVerified(url, what));
}
