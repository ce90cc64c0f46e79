// Writes dist/ncii-hasher.sri.json: the Subresource Integrity hash of every file of the prebuilt browser bundle,
// so a partner can pin the exact code they reviewed (`<script type="module" integrity="...">` for the entry;
// the worker and kernel hashes for checking a mirror or a CDN copy).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleFiles, DIST } from "./bundle-files.mjs";

const integrity = {};
for (const file of bundleFiles()) {
  integrity[file] = `sha384-${createHash("sha384").update(readFileSync(join(DIST, file))).digest("base64")}`;
}
const out = join(DIST, "ncii-hasher.sri.json");
writeFileSync(out, `${JSON.stringify(integrity, null, 2)}\n`);
console.log(`Subresource Integrity for ${Object.keys(integrity).length} files written to ${out}`);
