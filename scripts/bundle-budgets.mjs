// Prints the size of every file a partner's page downloads (and of the Node kernels), and fails the build when
// one outgrows its budget. Budgets sit a few percent above the sizes measured when they were set (0.1.0), so
// growth is a visible decision: raise the number here in the same commit that explains why.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { bundleFiles, DIST } from "./bundle-files.mjs";

/** [what, pattern matched against the path, budget in bytes (uncompressed)]. */
const BUDGETS = [
  ["PDQ kernel (WASM)", /(^|\/)pdq(-[\w-]+)?\.wasm$/, 15_500],
  ["hash-list scanner (WASM)", /(^|\/)hash-index\.wasm$/, 1_000],
  ["<ncii-hasher> component bundle", /^ncii-hasher\.js$/, 50_000],
  ["hashing worker bundle", /browser-worker\.browser-[\w-]+\.js$/, 50_000],
];

const files = [...bundleFiles(), "src/match/wasm/hash-index.wasm"];
const rows = [];
let over = 0;
for (const [what, pattern, budget] of BUDGETS) {
  const matches = files.filter((file) => pattern.test(file));
  if (matches.length !== 1) {
    throw new Error(`size budget "${what}": expected one file, found ${matches.length} (${matches.join(", ")})`);
  }
  const bytes = readFileSync(join(DIST, matches[0]));
  const ok = bytes.length <= budget;
  if (!ok) over++;
  rows.push([what, matches[0], bytes.length, gzipSync(bytes, { level: 9 }).length, budget, ok ? "ok" : "OVER BUDGET"]);
}

console.log("Size budgets (bytes):");
console.table(rows.map(([what, file, size, gzip, budget, verdict]) => ({ what, file, size, gzip, budget, verdict })));
if (over > 0) {
  console.error(`${over} file(s) over budget; see scripts/bundle-budgets.mjs`);
  process.exit(1);
}
