// Writes the integrity pins into the built scripts (src/platform/integrity.ts reads them): each script that loads
// assets gets the SHA-384 of each, innermost first (WASM and catalogues, then the worker, then the entry), so the
// one hash a partner pins on the entry covers every byte that later runs. Runs before bundle-sri.mjs, which then
// hashes the final files.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { referencesOf } from "./bundle-files.mjs";

export const PIN_TOKEN = "__NCII_INTEGRITY_PINS__";

export function sri(bytes) {
  return `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
}

/** Pins every script reachable from `entries` (paths relative to `dist`); returns how many scripts were pinned. */
export function writePins(dist, entries) {
  const pinned = new Map();
  const visiting = new Set();
  const finish = (file) => {
    if (pinned.has(file)) return pinned.get(file);
    if (visiting.has(file)) throw new Error(`${file} loads itself through its own references`);
    visiting.add(file);
    const targets = referencesOf(dist, file);
    // Hash the referenced files only once they hold their own pins.
    const table = targets.map((target) => `${basename(target)} ${finish(target)}`).join(" ");
    let bytes = readFileSync(join(dist, file));
    if (targets.length > 0) {
      const source = bytes.toString("utf8");
      // A script that loads files but has no table would load them unchecked: the bundle must not ship.
      if (!source.includes(PIN_TOKEN)) throw new Error(`${file} loads ${targets.join(", ")} but carries no integrity pins`);
      bytes = Buffer.from(source.replaceAll(PIN_TOKEN, table));
      writeFileSync(join(dist, file), bytes);
    }
    visiting.delete(file);
    const hash = sri(bytes);
    pinned.set(file, hash);
    return hash;
  };
  for (const entry of entries) finish(entry);
  return [...pinned.keys()].filter((file) => referencesOf(dist, file).length > 0).length;
}
