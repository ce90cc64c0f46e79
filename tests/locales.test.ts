/**
 * The component's catalogues: up to date with the source and the translators' XLIFF, complete in every locale,
 * never English in disguise; the words for each error code and each plural form; how a `lang` finds its words,
 * including partners' own. The browser suite (tests/browser/suites/localisation.ts) shows them on screen.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CATALOGUE_DIR, LOCALES, buildCatalogues, catalogueText, englishCatalogue, type Catalogue } from "../scripts/locales.mjs";
import { failureAdvice, failureHeadline, startSentence, summarySentence } from "../web/human-words.js";
import { ENGLISH, addTranslations, languageFor, speaking } from "../web/language.js";
import { ERROR_CODES } from "./support/error-codes.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TIMEOUT_MS = 120_000;

function shipped(locale: string): Catalogue {
  return JSON.parse(readFileSync(join(CATALOGUE_DIR, `${locale}.json`), "utf8")) as Catalogue;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\d+\}/g)].map(([placeholder]) => placeholder).sort();
}

/** A catalogue text with its values filled in, as the component fills them. */
function filled(template: string, ...values: string[]): string {
  return template.replace(/\{(\d+)\}/g, (_, index: string) => values[Number(index)]!);
}

describe("catalogues", () => {
  it("the XLIFF files hold every message of the source as it is now (npm run locales:extract changes nothing)", { tags: ["e2e"], timeout: TIMEOUT_MS }, () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-xliff-"));
    try {
      cpSync(join(CATALOGUE_DIR, "xliff"), scratch, { recursive: true });
      const config = JSON.parse(readFileSync(join(ROOT, "lit-localize.json"), "utf8"));
      config.inputFiles = config.inputFiles.map((glob: string) => join(ROOT, glob));
      config.interchange.xliffDir = scratch;
      writeFileSync(join(scratch, "lit-localize.json"), JSON.stringify(config));
      const run = spawnSync(join(ROOT, "node_modules/.bin/lit-localize"), ["extract", "--config", join(scratch, "lit-localize.json")], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      for (const file of readdirSync(join(CATALOGUE_DIR, "xliff"))) {
        expect(readFileSync(join(scratch, file), "utf8"), file).toBe(readFileSync(join(CATALOGUE_DIR, "xliff", file), "utf8"));
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("web/locales/*.json are lit-localize's build of the XLIFF, with a translation for every message", { tags: ["e2e"], timeout: TIMEOUT_MS }, async () => {
    const built = await buildCatalogues();
    expect(Object.keys(built)).toEqual([...LOCALES]);
    for (const locale of LOCALES) {
      expect(readFileSync(join(CATALOGUE_DIR, `${locale}.json`), "utf8"), locale).toBe(catalogueText(built[locale]!));
    }
  });

  it("every translation differs from the English and keeps all of its values", () => {
    const english = englishCatalogue();
    expect(Object.keys(english).length).toBeGreaterThan(50);
    for (const locale of LOCALES) {
      const words = shipped(locale);
      expect(Object.keys(words).sort(), locale).toEqual(Object.keys(english).sort());
      for (const [id, text] of Object.entries(words)) {
        expect(text, `${locale} ${id}`).not.toBe(english[id]);
        expect(placeholders(text), `${locale} ${id}`).toEqual(placeholders(english[id]!));
      }
    }
  });
});

describe("words", () => {
  beforeAll(() => {
    // The shipped catalogues are addressed with `new URL(..., import.meta.url)`: here, files beside the source.
    vi.stubGlobal("fetch", async (url: URL) => new Response(readFileSync(fileURLToPath(url))));
  });
  afterAll(() => vi.unstubAllGlobals());

  it("each error code has a headline and advice of its own language, never the English message of the error", async () => {
    const english = englishCatalogue();
    for (const locale of ["en", ...LOCALES]) {
      const language = await languageFor(locale);
      const catalogue = locale === "en" ? english : shipped(locale);
      const texts = new Set(Object.values(catalogue));
      for (const code of ERROR_CODES) {
        const headline = speaking(language, () => failureHeadline(code));
        expect(headline, `${locale} ${code}`).toBe(catalogue[`failed.${code}`]);
        const advice = speaking(language, () => failureAdvice(code));
        if (code === "cancelled") {
          expect(advice).toBeUndefined();
        } else {
          expect(texts.has(advice!), `${locale} ${code}: ${advice}`).toBe(true);
          if (locale !== "en") expect(Object.values(english), `${locale} ${code}`).not.toContain(advice);
        }
      }
    }
  });

  it("plural forms follow each language's rules (Intl.PluralRules), numbers its digits (Intl.NumberFormat)", async () => {
    const say = async (locale: string, count: number) => speaking(await languageFor(locale), () => startSentence(count));
    expect(await say("en", 1)).toBe("Fingerprinting 1 picture…");
    expect(await say("en", 1200)).toBe("Fingerprinting 1,200 pictures…");
    const arabic = shipped("ar");
    const arabicNumber = (value: number) => new Intl.NumberFormat("ar").format(value);
    for (const [count, category] of [[0, "zero"], [1, "one"], [2, "two"], [3, "few"], [11, "many"], [100, "other"]] as const) {
      expect(await say("ar", count), `ar ${count}`).toBe(filled(arabic[`starting.${category}`]!, arabicNumber(count)));
    }
    // French counts 0 as singular; Japanese has one form; German groups thousands with a dot.
    expect(await say("fr", 0)).toBe(filled(shipped("fr")["starting.one"]!, "0"));
    expect(await say("ja", 1)).toBe(filled(shipped("ja")["starting.other"]!, "1"));
    expect(await say("de", 1200)).toBe(filled(shipped("de")["starting.other"]!, "1.200"));
    // A sentence made of sentences: each part in the same language.
    const german = shipped("de");
    expect(speaking(await languageFor("de"), () => summarySentence(2, 1, false))).toBe(
      filled(german["finished-with-failures"]!, filled(german["ready.other"]!, "2"), filled(german["not-ready.one"]!, "1")),
    );
  });

  it("a lang finds the nearest catalogue: region and script variants, Portuguese and simplified Chinese, else English", async () => {
    const spanish = shipped("es");
    const mexican = await languageFor("es-MX");
    expect(mexican.tag).toBe("es-MX");
    expect(mexican.words?.["pick"]).toBe(spanish["pick"]);
    expect((await languageFor("pt")).words?.["pick"]).toBe(shipped("pt-BR")["pick"]);
    expect((await languageFor("zh-Hans-CN")).words?.["pick"]).toBe(shipped("zh-CN")["pick"]);
    expect(await languageFor("zh-TW")).toBe(ENGLISH);
    expect(await languageFor("nl")).toBe(ENGLISH);
    expect(await languageFor("")).toBe(ENGLISH);
    expect(await languageFor("not a tag")).toBe(ENGLISH);
    expect((await languageFor("ar-EG")).dir).toBe("rtl");
    expect((await languageFor("de")).dir).toBe("ltr");
  });

  it("partners add words for any locale, override shipped ones id by id, and may load them lazily", async () => {
    addTranslations("es", { pick: "Escoger fotos" });
    const spanish = (await languageFor("es")).words!;
    expect(spanish["pick"]).toBe("Escoger fotos");
    expect(spanish["pick-folder"]).toBe(shipped("es")["pick-folder"]);

    let asked = 0;
    addTranslations("nl", async () => {
      asked++;
      return { pick: "Foto's kiezen", "starting.one": "{0} foto wordt verwerkt…", "starting.other": "{0} foto's worden verwerkt…" };
    });
    expect(asked).toBe(0);
    const dutch = await languageFor("nl-BE");
    expect(asked).toBe(1);
    expect(dutch.tag).toBe("nl-BE");
    expect(speaking(dutch, () => startSentence(3))).toBe("3 foto's worden verwerkt…");
    // An id the partner left out is shown in English rather than not at all.
    expect(speaking(dutch, () => failureHeadline("empty"))).toBe(englishCatalogue()["failed.empty"]);

    addTranslations("fa", { pick: "انتخاب عکس‌ها" });
    expect((await languageFor("fa")).dir).toBe("rtl");
    addTranslations("ko", async () => {
      throw new Error("offline");
    });
    expect((await languageFor("ko")).words?.["pick"]).toBe(shipped("ko")["pick"]);
  });

  it("a catalogue that cannot be fetched leaves the element in English", async () => {
    vi.stubGlobal("fetch", async () => new Response("", { status: 404 }));
    addTranslations("it", {});
    expect(await languageFor("it")).toBe(ENGLISH);
  });
});
