/**
 * `npm start` serves the demo page (web/index.html) with hot reload; `npm run build:web` writes it to dist/
 * beside the embeddable bundle `dist/ncii-hasher.js`, its worker and the WASM kernel under dist/assets/.
 * tsc writes the Node build into dist/ too, so the output folder is never emptied here.
 */
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { allowedDependencies } from "./scripts/allowed-dependencies.js";
import { checkBudgets } from "./scripts/bundle-budgets.mjs";
import { BUNDLE_ENTRY } from "./scripts/bundle-files.mjs";
import { STRICT_CSP } from "./scripts/csp.js";
import { writePins } from "./scripts/bundle-pins.mjs";
import { SRI_FILE, writeIntegrity } from "./scripts/bundle-sri.mjs";

const web = fileURLToPath(new URL("./web/", import.meta.url));
const dist = fileURLToPath(new URL("./dist/", import.meta.url));

/** Removes what the previous web build wrote (hashed names would otherwise pile up), and nothing of tsc's. */
function removePreviousWebBuild(): Plugin {
  return {
    name: "ncii-remove-previous-web-build",
    apply: "build",
    buildStart() {
      for (const path of ["assets", "index.html", "ncii-hasher.js", SRI_FILE]) rmSync(dist + path, { recursive: true, force: true });
    },
  };
}

/**
 * After every build, however it was started: the integrity pins written into the scripts (each checks what it
 * loads), sizes against their budgets (failing the build when over) and the integrity hashes of the files just
 * written, so the published hashes can never describe an older bundle.
 */
function bundleChecks(): Plugin {
  return {
    name: "ncii-bundle-checks",
    apply: "build",
    closeBundle() {
      writePins(dist, [BUNDLE_ENTRY, ...demoScripts()]);
      checkBudgets(dist);
      writeIntegrity(dist);
    },
  };
}

/** The demo page's own scripts (paths under dist/), pinned like the bundle's since they start the same worker. */
function demoScripts(): string[] {
  const page = readFileSync(`${dist}index.html`, "utf8");
  return [...page.matchAll(/<script[^>]* src="\.\/([^"]+)"/g)].map((match) => match[1]!);
}

export default defineConfig({
  root: web,
  // Relative URLs everywhere: the bundle must work from whatever folder or origin a partner serves it.
  base: "./",
  publicDir: false,
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: "es2022",
    // Never inline the kernel as a data: URL: a strict CSP's connect-src would block fetching it.
    assetsInlineLimit: 0,
    // The preload polyfill is only for browsers without module workers, which cannot run the hasher anyway.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { index: `${web}index.html`, "ncii-hasher": `${web}ncii-hasher.ts` },
      preserveEntrySignatures: "allow-extension",
      output: {
        entryFileNames: (chunk) => (chunk.name === "ncii-hasher" ? "ncii-hasher.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  plugins: [removePreviousWebBuild(), allowedDependencies("page"), bundleChecks()],
  worker: {
    format: "es",
    plugins: () => [allowedDependencies("worker")],
    // One worker file: the prebuilt worker runs from a blob: URL of its verified bytes, where a chunk imported on
    // demand (the HEIC decoder's glue) could neither be resolved nor verified. The glue is still evaluated only
    // when a HEIC is picked, and its 1.4 MB WASM module still loads only then.
    rolldownOptions: { output: { inlineDynamicImports: true } },
  },
  server: { headers: { "Content-Security-Policy": STRICT_CSP } },
  preview: { headers: { "Content-Security-Policy": STRICT_CSP } },
});
