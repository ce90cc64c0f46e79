// The size of every file a partner's page downloads (and of the Node-side hash-list kernel), against budgets.
// Budgets sit about 10% above the sizes measured when they were set (0.1.0, kernel and component still moving),
// so growth is a visible decision: raise the number here in the same commit that says why.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { bundleFiles } from "./bundle-files.mjs";

/**
 * [what, pattern matched against the path under dist/, budget in bytes (uncompressed), how many files match].
 * The component grew from 52.1 to 58.9 kB when it learnt other languages: the catalogue lookup and message ids,
 * the addresses of the locale catalogues, and failure words of its own instead of the worker's English messages.
 * A page downloads one locale catalogue at most, with the languages index, and only when its language is not
 * English. Its templates' layout taken out at build time (vite.config.ts) brought it to 63.2 kB, and the languages
 * index (scripts/languages-index.ts: catalogue addresses, pins and message ids out of the bundle) to 61.8 kB;
 * `node scripts/localisation-cost.mjs` prints what the other languages cost an English page.
 */
const BUDGETS = [
  ["PDQ kernel (WASM)", /(^|\/)pdq(-[\w-]+)?\.wasm$/, 17_500, 1],
  ["hash-list scanner (WASM)", /(^|\/)hash-index\.wasm$/, 1_000, 1],
  ["<ncii-hasher> component bundle", /^ncii-hasher\.js$/, 64_500, 1],
  // 0.2.0: the worker decodes JPEG, PNG, WebP and GIF itself (codec loader, PNG and GIF readers, EXIF orientation)
  // and proves canvas read-back before trusting it; it checks sizes and headers with bounded readers.
  // 0.3.0: + libheif-js's Emscripten glue (88 kB, evaluated only when a HEIC is picked), inlined because the
  // prebuilt worker runs from its verified bytes, where a separate chunk could be neither resolved nor verified.
  ["hashing worker bundle", /browser-worker\.browser-[\w-]+\.js$/, 165_000, 1],
  // Loaded by a worker only when a JPEG is picked: libjpeg-turbo's decompressor, clang -O2.
  ["JPEG decoder (WASM, on demand)", /(^|\/)jpeg(-[\w-]+)?\.wasm$/, 185_000, 1],
  // Loaded only when a WebP is picked: libwebp's decoding library (lossy, lossless, alpha), clang -O2.
  ["WebP decoder (WASM, on demand)", /(^|\/)webp(-[\w-]+)?\.wasm$/, 212_000, 1],
  // Loaded only when a HEIC is picked: libheif-js 1.23.2's libheif + libde265 module as the package ships it. Not
  // ours to shrink, so the budget only catches an unplanned upgrade.
  ["HEIC decoder (WASM, on demand)", /(^|\/)heic(-[\w-]+)?\.wasm$/, 1_450_000, 1],
  ["locale catalogue", /^assets\/(?!languages-)[\w-]+-[\w-]{8}\.json$/, 10_000, 9],
  // Fetched with the first catalogue a page needs: each catalogue's file name and pin, and the message ids.
  ["languages index", /^assets\/languages-[\w-]{8}\.json$/, 2_250, 1],
];

/** Prints the sizes; throws when a file is over budget (or missing, or a pattern matches an unexpected number). */
export function checkBudgets(dist) {
  const files = [...bundleFiles(dist), "src/match/wasm/hash-index.wasm"];
  const rows = BUDGETS.flatMap(([what, pattern, budget, count]) => {
    const matches = files.filter((file) => pattern.test(file));
    if (matches.length !== count) {
      throw new Error(`size budget "${what}": expected ${count} files, found ${matches.length} (${matches.join(", ")})`);
    }
    return matches.map((file) => {
      const bytes = readFileSync(join(dist, file));
      const gzip = gzipSync(bytes, { level: 9 }).length;
      return { what, file, size: bytes.length, gzip, budget, verdict: bytes.length <= budget ? "ok" : "OVER" };
    });
  });
  console.log("Size budgets (bytes; see scripts/bundle-budgets.mjs):");
  console.table(rows);
  const over = rows.filter((row) => row.verdict !== "ok");
  if (over.length > 0) {
    throw new Error(`over the size budget: ${over.map((row) => `${row.what} ${row.size} > ${row.budget}`).join("; ")}`);
  }
}
