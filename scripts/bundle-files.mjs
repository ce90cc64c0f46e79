// The prebuilt browser bundle is dist/ncii-hasher.js plus whatever it loads through
// `new URL("...", import.meta.url)` (the worker, the languages index) or `import("./...")` (chunks loaded on demand,
// such as the HEIC decoder's glue), and whatever that loads in turn (the WASM modules; the catalogues the index names
// in its `files`). Following the references, rather than listing names, keeps the budgets and integrity hashes on the
// files that actually run or are shown.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const BUNDLE_ENTRY = "ncii-hasher.js";

const ASSET_URL = /new URL\(\s*(?:`([^`$]+)`|"([^"]+)"|'([^']+)')\s*,\s*import\.meta\.url\s*\)/g;
const DYNAMIC_IMPORT = /\bimport\(\s*(?:`(\.[^`$]+)`|"(\.[^"]+)"|'(\.[^']+)')\s*\)/g;

/**
 * What a built script or index loads, as paths relative to `dist`, each once; nothing for other files. An index is
 * a JSON object with a `pins` string (the integrity token, then the pins) and the names of the files it loads, beside
 * it, as the values of `files` (scripts/languages-index.ts writes one).
 */
export function referencesOf(dist, file) {
  const text = file.endsWith(".js") || file.endsWith(".json") ? readFileSync(join(dist, file), "utf8") : "";
  const names = file.endsWith(".js") ? scriptReferences(text) : file.endsWith(".json") ? indexReferences(text) : [];
  const targets = [];
  for (const name of names) {
    const target = relative(dist, join(dist, dirname(file), name));
    if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

function scriptReferences(code) {
  return [...code.matchAll(ASSET_URL), ...code.matchAll(DYNAMIC_IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]);
}

function indexReferences(text) {
  const json = JSON.parse(text);
  const isIndex = typeof json?.pins === "string" && typeof json.files === "object" && json.files !== null;
  return isIndex ? Object.values(json.files) : [];
}

/** Paths relative to `dist`, entry first, each once. */
export function bundleFiles(dist, entry = BUNDLE_ENTRY) {
  const found = [entry];
  for (let i = 0; i < found.length; i++) {
    for (const target of referencesOf(dist, found[i])) if (!found.includes(target)) found.push(target);
  }
  return found;
}
