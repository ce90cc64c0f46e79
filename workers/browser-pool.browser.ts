/** The pool on Web Workers: one module worker per core, bundled by Vite from ./browser-worker.browser.ts. */
import * as Comlink from "comlink";
import { fetchAsset } from "../src/platform/integrity.js";
import { sharedPromises } from "../src/platform/shared-promises.js";
import { ModuleWorker as Worker } from "./module-worker.browser.js";
import { createPool } from "./pool.js";
import type { HashPool, PoolOptions } from "../src/pool-contract.js";

/** Used when the browser does not say how many cores it has. */
const FALLBACK_SIZE = 4;

/** Each asset fetched once per page. */
const assets = sharedPromises<ArrayBuffer>();

/** Each worker gets its own copy, transferred, and verifies it against its own pins. */
async function pageAsset(href: string): Promise<ArrayBuffer> {
  const copy = (await assets(href, () => fetchAsset(href))).slice(0);
  return Comlink.transfer(copy, [copy]);
}

export function createBrowserPool(options: PoolOptions = {}): HashPool {
  return createPool(
    {
      defaultSize: navigator.hardwareConcurrency || FALLBACK_SIZE,
      sharedAssets: pageAsset,
      createWorker(onFailure) {
        // Vite only bundles a worker written exactly as `new Worker(new URL("...", import.meta.url), {...})`;
        // `Worker` here is ModuleWorker, which also starts when this bundle is embedded from another origin.
        // It verifies the script against the bundle's integrity pin first, where the bundle carries pins.
        const worker = new Worker(new URL("./browser-worker.browser.ts", import.meta.url), { type: "module" });
        worker.onStartFailure = onFailure;
        worker.addEventListener("error", (event: Event) => {
          event.preventDefault();
          const { message } = event as ErrorEvent;
          onFailure(message ? `failed (${message})` : "could not start");
        });
        worker.addEventListener("messageerror", () => onFailure("sent a message that could not be read"));
        return { endpoint: worker, terminate: () => worker.terminate() };
      },
    },
    options,
  );
}
