// dist/ncii-hasher.sri.json: the Subresource Integrity hash of every file of the prebuilt browser bundle, so a
// partner can pin the exact code they reviewed (`<script type="module" integrity="...">` for the entry; the
// worker and kernel hashes for checking a mirror or CDN copy).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleFiles } from "./bundle-files.mjs";

export const SRI_FILE = "ncii-hasher.sri.json";

export function writeIntegrity(dist) {
  const integrity = {};
  for (const file of bundleFiles(dist)) {
    integrity[file] = `sha384-${createHash("sha384").update(readFileSync(join(dist, file))).digest("base64")}`;
  }
  writeFileSync(join(dist, SRI_FILE), `${JSON.stringify(integrity, null, 2)}\n`);
  console.log(`Subresource Integrity for ${Object.keys(integrity).length} files written to ${SRI_FILE}`);
}
