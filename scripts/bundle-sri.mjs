// dist/ncii-hasher.sri.json: the Subresource Integrity hash of every file of the prebuilt browser bundle, so a
// partner can pin the exact code they reviewed (`<script type="module" integrity="...">` for the entry; the
// worker, WASM and catalogue hashes for checking a mirror or CDN copy; the entry carries them too, and checks
// each file against them before it runs: scripts/bundle-pins.mjs).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleFiles } from "./bundle-files.mjs";
import { sri } from "./bundle-pins.mjs";

export const SRI_FILE = "ncii-hasher.sri.json";

export function writeIntegrity(dist) {
  const integrity = {};
  for (const file of bundleFiles(dist)) {
    integrity[file] = sri(readFileSync(join(dist, file)));
  }
  writeFileSync(join(dist, SRI_FILE), `${JSON.stringify(integrity, null, 2)}\n`);
  console.log(`Subresource Integrity for ${Object.keys(integrity).length} files written to ${SRI_FILE}`);
}
