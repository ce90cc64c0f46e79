/**
 * `npm start` serves the demo page (web/index.html) with hot reload; `npm run build:web` writes it to dist/
 * beside the embeddable bundle `dist/ncii-hasher.js`, its worker and the WASM kernel under dist/assets/.
 * tsc writes the Node build into dist/ too, so the output folder is never emptied here.
 */
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, parseSync, Visitor, type Plugin } from "vite";
import { allowedDependencies } from "./scripts/allowed-dependencies.js";
import { checkBudgets } from "./scripts/bundle-budgets.mjs";
import { BUNDLE_ENTRY } from "./scripts/bundle-files.mjs";
import { STRICT_CSP } from "./scripts/csp.js";
import { writePins } from "./scripts/bundle-pins.mjs";
import { languagesIndex } from "./scripts/languages-index.js";
import { applyEdits, type SourceEdit } from "./scripts/source-edits.mjs";
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

/**
 * Takes the layout out of the component's html`` and css`` templates: a line break with its indentation becomes
 * one space (HTML and CSS read any run of white space as one, and no template holds <pre>, a <textarea> or
 * `white-space: pre`); CSS also loses its comments and the spaces around its punctuation. Only the source's
 * layout goes: about 2 kB of the bundle, which pays for the catalogue lookup (issue 19: English pages pay nothing).
 */
function compactTemplates(): Plugin {
  return {
    name: "ncii-compact-templates",
    apply: "build",
    transform(code, id) {
      return id.startsWith(web) && id.endsWith(".ts") ? compactTaggedTemplates(code, id) : null;
    },
  };
}

const compactors: Record<string, (text: string) => string> = {
  html: (text) => text.replace(/\s*\n\s*/g, " "),
  css: (text) =>
    text
      .replace(/\/\*[^]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/ ?([{};,>]) ?/g, "$1")
      .replace(/: /g, ":")
      .replace(/;}/g, "}")
      .replace(/\b0\.(\d)/g, ".$1")
      .trim(),
};

export function compactTaggedTemplates(code: string, id: string): string {
  const edits: SourceEdit[] = [];
  new Visitor({
    TaggedTemplateExpression(node) {
      const compact = node.tag.type === "Identifier" ? compactors[node.tag.name] : undefined;
      if (!compact) return;
      for (const quasi of node.quasi.quasis) {
        // A quasi's span includes the delimiters around its text (the backtick, `}`, `${`).
        const start = quasi.start + 1;
        const end = start + quasi.value.raw.length;
        if (code.slice(start, end) !== quasi.value.raw) throw new Error(`${id}: template text not where the parser says`);
        edits.push({ start, end, text: compact(quasi.value.raw) });
      }
    },
  }).visit(parseSync(id, code, { lang: "ts" }).program);
  return applyEdits(code, edits);
}

/**
 * With a relative base, Vite writes each `new URL("./file", import.meta.url)` as
 * `new URL(new URL("assets/file-hash", import.meta.url).href, "" + import.meta.url)`: the same address resolved
 * twice. The inner form alone is that address (and the form scripts/bundle-files.mjs follows); 35 bytes a file.
 */
function singleAssetUrls(): Plugin {
  const twice =
    /new URL\(\s*new URL\(\s*(`[^`$]+`|"[^"]+"|'[^']+')\s*,\s*import\.meta\.url\s*\)\.href\s*,\s*(?:(?:``|""|'')\s*\+\s*)?import\.meta\.url\s*\)/g;
  return {
    name: "ncii-single-asset-urls",
    apply: "build",
    // After Vite has put in the worker's address, which it does last.
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === "chunk") chunk.code = chunk.code.replace(twice, "new URL($1,import.meta.url)");
      }
    },
  };
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
  plugins: [removePreviousWebBuild(), languagesIndex(web), compactTemplates(), singleAssetUrls(), allowedDependencies("page"), bundleChecks()],
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
