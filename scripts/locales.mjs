// The component's catalogues: `node scripts/locales.mjs build` runs lit-localize's runtime build on the translated
// XLIFF (web/locales/xliff/, written by `lit-localize extract`) and writes each locale's words as JSON
// (web/locales/<locale>.json: message id -> text, `{0}`… for the values), the form the component fetches.
// It fails when a message has no translation in some locale, rather than let English stand in for it.
// `node scripts/locales.mjs copy <dir>` copies the catalogues beside a tsc build of web/.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CONFIG = JSON.parse(readFileSync(join(ROOT, "lit-localize.json"), "utf8"));
export const LOCALES = CONFIG.targetLocales;
export const CATALOGUE_DIR = join(ROOT, "web/locales");

/** Runs lit-localize's build and returns every locale's catalogue; nothing is written to web/locales. */
export async function buildCatalogues() {
  const generated = join(ROOT, CONFIG.output.outputDir);
  try {
    const run = spawnSync(join(ROOT, "node_modules/.bin/lit-localize"), ["build"], { cwd: ROOT, encoding: "utf8" });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`lit-localize build failed:\n${output}`);
    const untranslated = output.split("\n").filter((line) => /is missing|does not exist/.test(line));
    if (untranslated.length > 0) throw new Error(`untranslated or unknown messages:\n${untranslated.join("\n")}`);
    const catalogues = {};
    for (const locale of LOCALES) {
      const { templates } = await import(pathToFileURL(join(generated, `${locale}.js`)).href);
      catalogues[locale] = Object.fromEntries(
        Object.entries(templates)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([id, template]) => [id, typeof template === "string" ? template : withPlaceholders(template)]),
      );
    }
    return catalogues;
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
}

/** A lit-localize `str` result of a runtime build holds, in place of each value, its index in the English source. */
function withPlaceholders({ strings, values }) {
  return strings.reduce((text, part, index) => `${text}{${values[index - 1]}}${part}`);
}

/**
 * The English source of every message, from an XLIFF file (`<source>`), in the catalogues' form: message id ->
 * text with `{0}`… for the values. lit-localize numbers a message's placeholders in source order, as the
 * catalogues do, since each of ours holds one value.
 */
export function englishCatalogue() {
  const xliff = readFileSync(join(CATALOGUE_DIR, "xliff", `${LOCALES[0]}.xlf`), "utf8");
  const entries = [...xliff.matchAll(/<trans-unit id="([^"]+)">\s*<source>([^]*?)<\/source>/g)].map(([, id, source]) => [
    id,
    unescapeXml(source.replace(/<x id="(\d+)"[^>]*\/>/g, "{$1}")),
  ]);
  return Object.fromEntries(entries);
}

function unescapeXml(text) {
  const entities = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name) => entities[name]);
}

export function catalogueText(catalogue) {
  return `${JSON.stringify(catalogue, null, 2)}\n`;
}

async function main([command, target]) {
  if (command === "build") {
    for (const [locale, catalogue] of Object.entries(await buildCatalogues())) {
      writeFileSync(join(CATALOGUE_DIR, `${locale}.json`), catalogueText(catalogue));
    }
    console.log(`Catalogues written for ${LOCALES.join(", ")} in web/locales/`);
  } else if (command === "copy" && target) {
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(CATALOGUE_DIR).filter((name) => name.endsWith(".json"))) {
      copyFileSync(join(CATALOGUE_DIR, file), join(target, file));
    }
  } else {
    throw new Error("usage: node scripts/locales.mjs build | copy <dir>");
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
