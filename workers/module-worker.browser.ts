/**
 * A module worker that runs only the code the bundle was built with, from whatever origin the bundle is served.
 *
 * In the prebuilt bundle (integrity pins present, src/platform/integrity.ts) the worker script is fetched, checked
 * against its pin, and started from a blob: URL of exactly those bytes; the script's `import.meta.url` is set to
 * its real URL first, so it finds (and verifies) its WASM next to itself as usual. Starting takes a fetch, so
 * messages wait until the verified worker exists, and a failed check is reported as `integrity-failed`.
 *
 * Without pins (the npm package, bundled by a partner), a same-origin script starts directly; a cross-origin one
 * through a one-line blob: module that imports it, since browsers refuse `new Worker(url)` for another origin.
 *
 * What the embedding page's CSP needs (README, "Security"): `blob:` in `worker-src`, and the bundle's origin in
 * `script-src` and `connect-src` (the bundle, and the fetches of the worker and WASM).
 */
import type { Endpoint } from "comlink";
import { messageOf, type HashErrorCode } from "../src/errors.js";
import { fetchVerified, pinFor } from "../src/platform/integrity.js";

/** How a worker that could not start is reported; the code is set when it failed its integrity check. */
export type StartFailure = (reason: string, code?: Extract<HashErrorCode, "integrity-failed">) => void;

export class ModuleWorker implements Endpoint {
  #worker: Worker | undefined;
  #waiting: [message: unknown, transfer: Transferable[]][] = [];
  #listeners: [type: string, listener: EventListenerOrEventListenerObject][] = [];
  #terminated = false;
  /** Told when the worker could not start; always after the constructor returned, so it can be set then. */
  onStartFailure: StartFailure = () => {};

  constructor(url: URL, options: WorkerOptions) {
    let pinned: boolean;
    try {
      pinned = pinFor(url) !== undefined;
    } catch (error) {
      queueMicrotask(() => this.onStartFailure(String(error), "integrity-failed"));
      return;
    }
    if (!pinned) {
      this.#start(startUnpinned(url, options));
      return;
    }
    verifiedScript(url)
      .then((script) => {
        if (!this.#terminated) this.#start(new Worker(script, options));
      })
      .catch((error: unknown) => {
        // A failed check, a failed fetch, or a Worker the page refuses (its CSP): each ends the start, not hangs it.
        const integrity = (error as { code?: unknown } | null)?.code === "integrity-failed";
        this.onStartFailure(messageOf(error), integrity ? "integrity-failed" : undefined);
      });
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (this.#worker) this.#worker.postMessage(message, transfer);
    else this.#waiting.push([message, transfer]);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (this.#worker) this.#worker.addEventListener(type, listener);
    else this.#listeners.push([type, listener]);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (this.#worker) this.#worker.removeEventListener(type, listener);
    else this.#listeners = this.#listeners.filter(([t, l]) => t !== type || l !== listener);
  }

  terminate(): void {
    this.#terminated = true;
    this.#worker?.terminate();
  }

  #start(worker: Worker): void {
    this.#worker = worker;
    for (const [type, listener] of this.#listeners.splice(0)) worker.addEventListener(type, listener);
    for (const [message, transfer] of this.#waiting.splice(0)) worker.postMessage(message, transfer);
  }
}

function startUnpinned(url: URL, options: WorkerOptions): Worker {
  if (url.origin === globalThis.location.origin) return new Worker(url, options);
  const start = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: "text/javascript" }));
  try {
    return new Worker(start, options);
  } finally {
    // The worker took hold of the blob when it was constructed; the URL itself is no longer needed.
    URL.revokeObjectURL(start);
  }
}

/** One fetch and check per page: every worker of every pool starts from the same verified bytes. */
const scripts = new Map<string, Promise<string>>();

function verifiedScript(url: URL): Promise<string> {
  let script = scripts.get(url.href);
  if (!script) {
    script = fetchVerified(url, "worker script").then((bytes) => {
      // The build emits `import.meta.url` only to resolve the worker's own assets; from a blob: URL it would
      // resolve nothing, so it is given the URL the verified bytes came from.
      const source = new TextDecoder().decode(bytes).replaceAll("import.meta.url", JSON.stringify(url.href));
      return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    });
    scripts.set(url.href, script);
  }
  return script;
}
