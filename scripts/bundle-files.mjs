// The prebuilt browser bundle is dist/ncii-hasher.js plus whatever it loads through
// `new URL("...", import.meta.url)` (the worker) or `import("./...")` (chunks loaded on demand, such as the HEIC
// decoder's glue), and whatever that loads in turn (the WASM modules). Following the
// references, rather than listing names, keeps the budgets and integrity hashes on the files that actually run.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const BUNDLE_ENTRY = "ncii-hasher.js";

const ASSET_URL = /new URL\(\s*(?:`([^`$]+)`|"([^"]+)"|'([^']+)')\s*,\s*import\.meta\.url\s*\)/g;
const DYNAMIC_IMPORT = /\bimport\(\s*(?:`(\.[^`$]+)`|"(\.[^"]+)"|'(\.[^']+)')\s*\)/g;

/** Paths relative to `dist`, entry first, each once. */
export function bundleFiles(dist) {
  const found = [BUNDLE_ENTRY];
  for (let i = 0; i < found.length; i++) {
    const file = found[i];
    if (!file.endsWith(".js")) continue;
    const code = readFileSync(join(dist, file), "utf8");
    for (const match of [...code.matchAll(ASSET_URL), ...code.matchAll(DYNAMIC_IMPORT)]) {
      const target = relative(dist, join(dist, dirname(file), match[1] ?? match[2] ?? match[3]));
      if (!found.includes(target)) found.push(target);
    }
  }
  return found;
}
