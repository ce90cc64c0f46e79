/** The Content-Security-Policy a strict partner page sends (project issue 4), and what embedding adds to it. */

export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:";

/**
 * The same policy on a partner page that loads our bundle from `bundleOrigin`: that origin in `script-src` (the
 * bundle), in `worker-src` (a module worker's imports are checked against worker-src, not script-src) and in
 * `connect-src` (the WASM fetch), plus `blob:` in `worker-src` for the one-line worker shim
 * (workers/module-worker.browser.ts).
 */
export function crossOriginCsp(bundleOrigin: string): string {
  return (
    `default-src 'self'; script-src 'self' ${bundleOrigin} 'wasm-unsafe-eval'; ` +
    `worker-src 'self' blob: ${bundleOrigin}; connect-src 'self' ${bundleOrigin}`
  );
}
