/**
 * The Content-Security-Policy a strict partner page sends (project issue 4), and what embedding adds to it: served
 * by `npm start` (vite.config.ts), so the demo fails the way a partner's page would, and by the browser tests.
 */

/** `blob:` in `worker-src`: the worker runs from a blob: URL of its verified bytes (workers/module-worker.browser.ts). */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:";

/**
 * The same policy on a partner page that loads our bundle from `bundleOrigin`: that origin in `script-src` (the
 * bundle) and in `connect-src` (the fetches of the worker script, the WASM modules and catalogues). The worker runs
 * from a blob: URL of its verified bytes, so `bundleOrigin` is not needed in `worker-src`.
 */
export function crossOriginCsp(bundleOrigin: string): string {
  return (
    `default-src 'self'; script-src 'self' ${bundleOrigin} 'wasm-unsafe-eval'; ` +
    `worker-src 'self' blob:; connect-src 'self' ${bundleOrigin}`
  );
}
