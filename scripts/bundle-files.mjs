// The prebuilt browser bundle is dist/ncii-hasher.js plus whatever it loads through
// `new URL("...", import.meta.url)` (the worker, the catalogues) or `import("./...")` (chunks loaded on demand, such
// as the HEIC decoder's glue), and whatever that loads in turn (the WASM modules). Following the references, rather
// than listing names, keeps the budgets and integrity hashes on the files that actually run.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const BUNDLE_ENTRY = "ncii-hasher.js";

export const ASSET_URL = /new URL\(\s*(?:`([^`$]+)`|"([^"]+)"|'([^']+)')\s*,\s*import\.meta\.url\s*\)/g;
const DYNAMIC_IMPORT = /\bimport\(\s*(?:`(\.[^`$]+)`|"(\.[^"]+)"|'(\.[^']+)')\s*\)/g;

/** What a built script loads, as paths relative to `dist`, each once; nothing for other files. */
export function referencesOf(dist, file) {
  if (!file.endsWith(".js")) return [];
  const targets = [];
  const code = readFileSync(join(dist, file), "utf8");
  for (const match of [...code.matchAll(ASSET_URL), ...code.matchAll(DYNAMIC_IMPORT)]) {
    const target = relative(dist, join(dist, dirname(file), match[1] ?? match[2] ?? match[3]));
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/** Paths relative to `dist`, entry first, each once. */
export function bundleFiles(dist, entry = BUNDLE_ENTRY) {
  const found = [entry];
  for (let i = 0; i < found.length; i++) {
    for (const target of referencesOf(dist, found[i])) if (!found.includes(target)) found.push(target);
  }
  return found;
}
