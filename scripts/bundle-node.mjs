// The CLI and its worker thread, each as one CommonJS file (plus the chunks they load on demand): dist/cli/bundled/
// and dist/workers/bundled/. Node's ES module loader reads, links and evaluates each compiled module one by one, and
// a thread whose entry is an ES module first sets the loader up: in a worker, ~40 modules took 45-50 ms before the
// first file (issue 15) against ~10 ms for one CommonJS file, and in the CLI's own thread the loader alone took ~12
// ms before the CLI's code could run. Our code and comlink are bundled (comlink's Node adapter is published only as
// an ES module, which Node 20 cannot require); other packages (sharp, hash-wasm, libheif-js, cli-progress) and
// Node's modules stay imports, resolved from node_modules as for the unbundled files, and modules imported on demand
// (the HEIC decoder, MD5, sharp's decoder and the hashing in the CLI's own thread) stay separate chunks, loaded only
// when a run needs them.
// Runs after tsc (npm run tsbuild, and the tests' global set-up): the inputs are tsc's output in dist/.
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";
import { applyEdits, fileUrls } from "./source-edits.mjs";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

/** Each bundle: tsc's entry module, and the folder its bundle and chunks are written to. */
export const NODE_BUNDLES = [
  { input: join(DIST, "workers/node-worker.js"), outDir: join(DIST, "workers/bundled") },
  { input: join(DIST, "cli/ncii-hash.js"), outDir: join(DIST, "cli/bundled") },
];

/**
 * Modules find their files (WASM, the worker script) with `new URL("./x", import.meta.url)`, relative to where tsc
 * put them; in a bundle `import.meta.url` is the bundle's own address, so each such path is rewritten relative to
 * the bundle's folder, pointing at the same file in dist/.
 */
function fileUrlsFromBundle(outDir) {
  return {
    name: "ncii-file-urls-from-bundle",
    transform(code, id) {
      if (!code.includes("import.meta.url")) return undefined;
      const rewritten = applyEdits(
        code,
        fileUrls(code, id).map(({ start, end, path }) => {
          const target = relative(outDir, resolve(dirname(id), path)).split("\\").join("/");
          return { start, end, text: `new URL(${JSON.stringify(target.startsWith(".") ? target : `./${target}`)}, import.meta.url)` };
        }),
      );
      // Only the addresses change, never a line: the modules' own source maps still hold.
      return { code: rewritten, map: null };
    },
  };
}

async function bundle({ input, outDir }) {
  const build = await rolldown({
    input,
    platform: "node",
    logLevel: "warn",
    // Other bare specifiers are packages or Node's own modules: left to Node's resolution.
    external: (id) => !id.startsWith(".") && !id.startsWith("/") && !/^[A-Za-z]:/.test(id) && !/^comlink(\/|$)/.test(id),
    plugins: [fileUrlsFromBundle(outDir)],
  });
  try {
    await build.write({
      dir: outDir,
      format: "cjs",
      sourcemap: true,
      entryFileNames: "[name].cjs",
      chunkFileNames: "[name]-[hash].cjs",
      cleanDir: true,
    });
  } finally {
    await build.close();
  }
}

export async function bundleNode() {
  for (const entry of NODE_BUNDLES) await bundle(entry);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleNode();
