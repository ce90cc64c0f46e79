// What localisation costs a page in English (issue 19: "the English bundle's size is unchanged within 1 kB").
// `node scripts/localisation-cost.mjs` builds the component bundle three ways into a scratch folder, integrity
// pins written as in dist/, and prints raw and gzip sizes:
//   as built      the source and build plugins as they are;
//   English only  the same, with the catalogue lookup taken out: language.ts and element-language.ts replaced by
//                 English-only stand-ins, the message ids dropped (the English words themselves stay) and no
//                 languages index (scripts/languages-index.ts) to number them or to address;
//   before        English only, built without the template compaction that came in to pay for the lookup: the
//                 bundle as it would be had the component never learnt other languages.
// "as built" - "English only" is what the lookup adds; "as built" - "before" is what an English page pays.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, loadConfigFromFile } from "vite";
import { BUNDLE_ENTRY } from "./bundle-files.mjs";
import { writePins } from "./bundle-pins.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WEB = join(ROOT, "web/");

const ENGLISH_ONLY = {
  "language.ts": `
    export const ENGLISH = { tag: "en", dir: "ltr" };
    export const addTranslations = () => {};
    export const msg = (template) =>
      typeof template === "string" ? template : template.strings.reduce((text, part, i) => text + template.values[i - 1] + part);
    export const str = (strings, ...values) => ({ strings, values });
    export const plural = (count, one, other) => (count === 1 ? one : other)();
    export const formatNumber = String;
    export const isolate = (text) => text;`,
  "element-language.ts": `
    import { ENGLISH } from "./language.js";
    export class ElementLanguage {
      language = ENGLISH;
      follow() {}
      firstWords() {}
      speak(words) { return words(); }
    }`,
};

/** The component without the lookup of other languages' words. */
function englishOnly() {
  return {
    name: "ncii-english-only",
    enforce: "pre",
    load(id) {
      return id.startsWith(WEB) ? ENGLISH_ONLY[id.slice(WEB.length)] : undefined;
    },
    transform(code, id) {
      return id.startsWith(WEB) && id.endsWith(".ts") ? code.replace(/,\s*\{\s*id:\s*"[^"]*"\s*\}/g, "") : undefined;
    },
  };
}

/** Plugins of vite.config.ts that are about the page's bundle itself, not dist/ or its checks. */
const BUNDLE_PLUGINS = ["ncii-languages-index", "ncii-compact-templates", "ncii-single-asset-urls", "ncii-allowed-dependencies-page"];
const LOOKUP_PLUGINS = ["ncii-languages-index"];
const COMPACTING_PLUGINS = ["ncii-compact-templates", "ncii-single-asset-urls"];

async function bundleSize(config, { english, compact }) {
  const outDir = mkdtempSync(join(tmpdir(), "ncii-l10n-cost-"));
  try {
    const plugins = config.plugins
      .flat()
      .filter((plugin) => BUNDLE_PLUGINS.includes(plugin.name))
      .filter((plugin) => (!english || !LOOKUP_PLUGINS.includes(plugin.name)) && (compact || !COMPACTING_PLUGINS.includes(plugin.name)));
    await build({
      configFile: false,
      logLevel: "error",
      root: config.root,
      base: config.base,
      publicDir: false,
      worker: config.worker,
      plugins: english ? [englishOnly(), ...plugins] : plugins,
      build: {
        ...config.build,
        outDir,
        emptyOutDir: true,
        rolldownOptions: { ...config.build.rolldownOptions, input: { "ncii-hasher": join(WEB, "ncii-hasher.ts") } },
      },
    });
    writePins(outDir, [BUNDLE_ENTRY]);
    const bytes = readFileSync(join(outDir, BUNDLE_ENTRY));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Sizes in bytes of the three builds described above. */
export async function localisationCost() {
  const { config } = await loadConfigFromFile({ command: "build", mode: "production" }, join(ROOT, "vite.config.ts"));
  return {
    asBuilt: await bundleSize(config, { english: false, compact: true }),
    englishOnly: await bundleSize(config, { english: true, compact: true }),
    before: await bundleSize(config, { english: true, compact: false }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { asBuilt, englishOnly, before } = await localisationCost();
  const diff = (a, b) => `${a.raw - b.raw} raw, ${a.gzip - b.gzip} gzip`;
  console.table({ "as built": asBuilt, "English only": englishOnly, before });
  console.log(`The lookup of other languages adds ${diff(asBuilt, englishOnly)} bytes.`);
  console.log(`An English page pays ${diff(asBuilt, before)} bytes for it.`);
}
