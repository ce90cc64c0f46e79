// The Node worker thread's script as one file (plus the chunks it loads on demand): dist/workers/bundled/.
// A worker thread starts with an empty module cache, and Node's ES module loader reads, links and evaluates each of
// the ~40 compiled modules one by one: 45-50 ms of every CLI run before the first file (issue 15), against ~10 ms
// for one bundled CommonJS file (an ES module bundle takes ~5 ms more: a worker whose entry is an ES module sets up
// the ES module loader first). Our code and comlink are bundled (comlink's Node adapter is published only as an ES
// module, which Node 20 cannot require); other packages (sharp, hash-wasm, libheif-js) and Node's modules stay
// imports, resolved from node_modules as for the unbundled files, and modules imported on demand (the HEIC decoder,
// MD5) stay separate chunks, loaded only when a file needs them.
// Runs after tsc (npm run tsbuild, and the tests' global set-up): the input is dist/workers/node-worker.js.
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";
import { ASSET_URL } from "./bundle-files.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const NODE_WORKER_INPUT = join(ROOT, "dist/workers/node-worker.js");
export const NODE_WORKER_BUNDLE_DIR = join(ROOT, "dist/workers/bundled");

/**
 * Modules find their WASM with `new URL("./wasm/x.wasm", import.meta.url)`, relative to where tsc put them; in the
 * bundle `import.meta.url` is the bundle's own address, so each such path is rewritten relative to the bundle's
 * folder, pointing at the same file in dist/ (scripts/copy-wasm.mjs put it there).
 */
function assetUrlsFromBundle(outDir) {
  return {
    name: "ncii-asset-urls-from-bundle",
    transform(code, id) {
      if (!code.includes("import.meta.url")) return undefined;
      const rewritten = code.replace(ASSET_URL, (whole, ...groups) => {
        const at = groups.at(-2);
        // Doc comments that show the pattern stay as written.
        if (/^\s*(\*|\/\/)/.test(code.slice(code.lastIndexOf("\n", at) + 1, at))) return whole;
        const path = groups.slice(0, 3).find((candidate) => candidate !== undefined);
        const target = relative(outDir, resolve(dirname(id), path)).split("\\").join("/");
        return `new URL(${JSON.stringify(target.startsWith(".") ? target : `./${target}`)}, import.meta.url)`;
      });
      // Only string literals change, never a line: the modules' own source maps still hold.
      return { code: rewritten, map: null };
    },
  };
}

export async function bundleNodeWorker() {
  const bundle = await rolldown({
    input: NODE_WORKER_INPUT,
    platform: "node",
    logLevel: "warn",
    // Other bare specifiers are packages or Node's own modules: left to Node's resolution.
    external: (id) => !id.startsWith(".") && !id.startsWith("/") && !/^[A-Za-z]:/.test(id) && !/^comlink(\/|$)/.test(id),
    plugins: [assetUrlsFromBundle(NODE_WORKER_BUNDLE_DIR)],
  });
  try {
    await bundle.write({
      dir: NODE_WORKER_BUNDLE_DIR,
      format: "cjs",
      sourcemap: true,
      entryFileNames: "[name].cjs",
      chunkFileNames: "[name]-[hash].cjs",
      cleanDir: true,
    });
  } finally {
    await bundle.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleNodeWorker();
