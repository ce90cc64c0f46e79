// tsc keeps string literals as written, so the compiled browser pool would still start its worker from the
// TypeScript source (`./browser-worker.browser.ts`, which Vite needs in this repo). Published code must name the
// compiled module instead; bundlers then follow `new Worker(new URL("./browser-worker.browser.js", import.meta.url))`.
import { readFileSync, writeFileSync } from "node:fs";

const file = "dist/workers/browser-pool.browser.js";
const source = readFileSync(file, "utf8");
const written = /new URL\("\.\/browser-worker\.browser\.ts", import\.meta\.url\)/g;
const count = source.match(written)?.length ?? 0;
if (count !== 1) {
  // Zero means the source changed shape; the package would ship a worker URL nobody checked, so stop the build.
  throw new Error(`${file}: expected one worker URL naming browser-worker.browser.ts, found ${count}`);
}
writeFileSync(file, source.replace(written, 'new URL("./browser-worker.browser.js", import.meta.url)'));
