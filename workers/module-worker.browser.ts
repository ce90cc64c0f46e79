/**
 * A module `Worker` that also starts when our bundle was loaded from another origin (a partner page embedding
 * `ncii-hasher.js` from our host). Browsers refuse `new Worker(url)` for a cross-origin `url`, so in that case a
 * one-line same-origin blob: module is started that imports the real worker script; the script keeps its own
 * URL as `import.meta.url`, so it finds its WASM next to itself as usual.
 *
 * What the embedding page's CSP needs for that (README, "Embedding"): `blob:` and our origin in `worker-src` (the
 * shim, and the worker modules it imports, which are checked against worker-src), our origin in `script-src` and
 * `connect-src` (the bundle, and the kernel fetch); and our server must send `Access-Control-Allow-Origin`.
 */
export class ModuleWorker extends Worker {
  constructor(url: URL, options: WorkerOptions) {
    const sameOrigin = url.origin === globalThis.location.origin;
    const start = sameOrigin ? url : URL.createObjectURL(importerOf(url));
    try {
      super(start, options);
    } finally {
      // The worker took hold of the blob when it was constructed; the URL itself is no longer needed.
      if (!sameOrigin) URL.revokeObjectURL(start as string);
    }
  }
}

function importerOf(url: URL): Blob {
  return new Blob([`import ${JSON.stringify(url.href)};\n`], { type: "text/javascript" });
}
