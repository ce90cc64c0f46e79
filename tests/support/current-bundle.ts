/**
 * Global set-up of the browser project, after current-build.ts: the browser suites and the packed package load the
 * bundle Vite wrote (dist/ncii-hasher.js and its assets) and the browser pool tsc wrote for it. Rebuilding them
 * takes minutes, so a bundle older than any source it is made from stops the run with the command that rebuilds
 * it (`npm test` always builds first).
 */
import { existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { newestFile, REPO } from "./current-build.js";

/** Written last by `npm run build`'s two browser steps (tsbuild:browser, then build:web). */
const BUNDLE_OUTPUTS = ["dist/workers/browser-pool.browser.js", "dist/ncii-hasher.sri.json"];
const BUNDLE_SOURCES = ["src", "workers", "web", "scripts", "vite.config.ts", "tsconfig.browser.json", "package.json"];

export function setup(): void {
  const missing = BUNDLE_OUTPUTS.filter((output) => !existsSync(join(REPO, output)));
  if (missing.length > 0) throw new Error(`${missing.join(", ")} missing: run \`npm run build\` first (npm test does).`);
  const built = Math.min(...BUNDLE_OUTPUTS.map((output) => statSync(join(REPO, output)).mtimeMs));
  const newest = newestFile(BUNDLE_SOURCES);
  if (newest.mtimeMs > built) {
    throw new Error(`the bundle in dist/ is older than ${relative(REPO, newest.path)}: run \`npm run build\` first (npm test does).`);
  }
}
