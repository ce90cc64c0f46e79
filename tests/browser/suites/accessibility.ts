/**
 * The demo page is usable by everyone: axe-core finds no violations idle, busy or finished, also in Arabic (right
 * to left) and Japanese; it works at 320 px; the controls are reachable by keyboard with a visible focus, in every
 * direction; Cancel stops a batch. In the engine that owns them, also takes the README's screenshot
 * (docs/demo.png) and one of the component in each direction (docs/component-ltr-es.png, docs/component-rtl-ar.png),
 * written to docs/ only by `npm run docs:screenshots` (support/readme-screenshot.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { TestPage } from "../support/browser-under-test.js";
import {
  doneDetails,
  pickFiles,
  readRows,
  recordEvents,
  waitForBatches,
  waitInPage,
} from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { updateScreenshot } from "../support/readme-screenshot.js";
import { CORPUS_DIR, DIST_DIR, corpusExpectations } from "../support/fixtures.js";
import { STRICT_CSP } from "../../../scripts/csp.js";
import { startStaticServer } from "../support/static-server.js";
import { catalogueOf, speak } from "./localisation.js";

const TEST_TIMEOUT_MS = 180_000;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SCREENSHOT = fileURLToPath(new URL("../../../docs/demo.png", import.meta.url));
const DIRECTION_SCREENSHOTS = {
  es: fileURLToPath(new URL("../../../docs/component-ltr-es.png", import.meta.url)),
  ar: fileURLToPath(new URL("../../../docs/component-rtl-ar.png", import.meta.url)),
};

/** The component alone on a page, in `lang`, as a partner would embed it. */
function componentPage(lang: string): string {
  const dir = lang === "ar" ? "rtl" : "ltr";
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>ncii-hasher</title>` +
    `<script type="module" src="/ncii-hasher.js"></script></head><body><main><ncii-hasher></ncii-hasher></main></body></html>`;
}

/** Each violation as "rule: help (where)", so a failure reads as a to-do list. */
async function axeViolations(page: TestPage): Promise<string[]> {
  await page.runScript(AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(context: Document, options: object): Promise<{
          violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((node) => JSON.stringify(node.target)).join(", ")})`);
  }, null);
}

function isBusy(page: TestPage): Promise<boolean> {
  return page.evaluate(
    () => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[part~="cancel-button"]') !== null,
    null,
  );
}

export interface AccessibilityOptions {
  /** Whether this engine's rendering is the one the README shows (docs/demo.png); one engine owns the picture. */
  readmeScreenshot: boolean;
}

export function accessibilitySuite(env: BrowserEnvironment, { readmeScreenshot }: AccessibilityOptions): void {
  describe("accessibility", () => {
    const corpus = corpusExpectations();
    const scratch = mkdtempSync(join(tmpdir(), "ncii-a11y-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("axe finds nothing while idle and busy, and Cancel stops the batch", async () => {
      // Four copies of the corpus on one worker: long enough to inspect the page mid-batch.
      const many: string[] = [];
      for (const copy of [1, 2, 3, 4]) {
        const folder = join(scratch, `copy-${copy}`);
        mkdirSync(folder, { recursive: true });
        for (const want of corpus) {
          copyFileSync(join(CORPUS_DIR, want.file), join(folder, want.file));
          many.push(join(folder, want.file));
        }
      }
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        expect(await axeViolations(page)).toEqual([]);

        await recordEvents(page);
        await page.evaluate(() => {
          document.querySelector("ncii-hasher")!.workers = 1;
        }, null);
        await pickFiles(page, many);
        await waitInPage(
          page,
          () => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[data-status="hashed"]') !== null,
          "the first result",
        );
        expect(await isBusy(page)).toBe(true);
        expect(await axeViolations(page)).toEqual([]);
        // Still busy after axe ran, so what it checked really was the busy page.
        expect(await isBusy(page)).toBe(true);

        await page.evaluate(() => {
          document.querySelector("ncii-hasher")!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="cancel-button"]')!.click();
        }, null);
        const events = await waitForBatches(page, 1);
        const [done] = doneDetails(events);
        expect(done!.cancelled).toBe(true);
        expect(done!.results).toHaveLength(many.length);
        const rows = await readRows(page);
        const cancelled = rows.filter((row) => row.status === "cancelled").length;
        expect(cancelled).toBeGreaterThan(0);
        expect(rows.filter((row) => row.status === "hashed").length + cancelled).toBe(many.length);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    const finishedTitle = "axe finds nothing when finished, at full width and at 320 px";
    it(readmeScreenshot ? `${finishedTitle}; the README screenshot` : finishedTitle, async () => {
      writeFileSync(join(scratch, "notes.txt"), "not a picture");
      const files = [
        join(CORPUS_DIR, "skimage-astronaut.png"),
        join(CORPUS_DIR, "opencv-butterfly.q90.jpg"),
        join(CORPUS_DIR, "synth-flat-64x64.png"),
        join(scratch, "notes.txt"),
      ];
      for (const width of [1000, 320]) {
        const page = await env.browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.goto(`${env.site.origin}/`);
          await recordEvents(page);
          await pickFiles(page, files);
          await waitForBatches(page, 1);
          await page.evaluate(() => {
            document.querySelector<HTMLInputElement>("#consent")!.click();
            document.querySelector<HTMLButtonElement>("#show-payload")!.click();
          }, null);
          // Previews are drawn once scrolled into view: scroll to each in turn, so the page reaches its final state.
          await waitInPage(
            page,
            () => {
              const thumbnails = document.querySelector("ncii-hasher")!.shadowRoot!.querySelectorAll(
                '[data-status="hashed"] ncii-hasher-thumbnail',
              );
              const waiting = Array.from(thumbnails).find((thumbnail) => thumbnail.shadowRoot!.querySelector("canvas")!.width === 0);
              waiting?.scrollIntoView();
              if (!waiting) window.scrollTo(0, 0);
              return waiting === undefined;
            },
            "the previews",
          );
          expect(await axeViolations(page)).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth, null);
          expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
          const payload = await page.evaluate(() => document.querySelector("#payload")!.textContent ?? "", null);
          expect(JSON.parse(payload)).toEqual({
            hashes: expect.arrayContaining([expect.objectContaining({ pdq: corpus.find((c) => c.file === "skimage-astronaut.png")!.pdq })]),
          });
          expect(payload).not.toMatch(/astronaut|butterfly|notes/);
          if (width === 1000 && readmeScreenshot) {
            const fresh = join(scratch, "demo.png");
            await page.screenshot(fresh);
            await updateScreenshot(fresh, SCREENSHOT);
          }
        } finally {
          await page.close();
        }
      }
    }, TEST_TIMEOUT_MS);

    for (const lang of ["en", "ar", "ja"]) {
      it(`every control is reached with Tab and shows where the focus is (${lang})`, async () => {
        const page = await env.browser.newPage();
        try {
          await page.goto(`${env.site.origin}/`);
          await speak(page, lang);
          const reached: string[] = [];
          for (let i = 0; i < 6; i++) {
            await page.press("Tab");
            reached.push(
              await page.evaluate(() => {
                let active = document.activeElement;
                while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
                const outline = active ? getComputedStyle(active).outlineStyle : "none";
                const name = active?.localName === "select" ? "select" : active?.textContent?.replace(/\s+/g, " ").trim().slice(0, 30);
                return `${name}|${outline}`;
              }, null),
            );
          }
          // Skip link, the page's language switcher, the drop zone (focusable so a picture can be pasted into it),
          // then its two buttons.
          const words = catalogueOf(lang);
          expect(reached.slice(0, 5).map((entry) => entry.split("|")[0])).toEqual([
            "Skip to adding pictures",
            "select",
            expect.stringMatching(new RegExp(`^${words["title"]}`)),
            words["pick"],
            words["pick-folder"],
          ]);
          for (const entry of reached.slice(2, 5)) expect(entry.split("|")[1], entry).not.toBe("none");
        } finally {
          await page.close();
        }
      }, TEST_TIMEOUT_MS);
    }

    it("axe finds nothing in Arabic (right to left) and Japanese, idle and finished, at 320 px", async () => {
      const files = [
        join(CORPUS_DIR, "skimage-astronaut.png"),
        join(CORPUS_DIR, "synth-flat-64x64.png"),
        join(scratch, "notes.txt"),
      ];
      writeFileSync(join(scratch, "notes.txt"), "not a picture");
      for (const lang of ["ar", "ja"]) {
        const page = await env.browser.newPage({ viewport: { width: 320, height: 900 } });
        try {
          await page.goto(`${env.site.origin}/`);
          await speak(page, lang);
          expect(await axeViolations(page), `${lang}, idle`).toEqual([]);
          await recordEvents(page);
          await pickFiles(page, files);
          await waitForBatches(page, 1);
          expect(await axeViolations(page), `${lang}, finished`).toEqual([]);
        } finally {
          await page.close();
        }
      }
    }, TEST_TIMEOUT_MS);

    if (readmeScreenshot) {
      it("the screenshots of each direction: Spanish left to right, Arabic right to left", async () => {
        const site = await startStaticServer({
          root: DIST_DIR,
          // The browser's own favicon request would otherwise log a 404 as a console error.
          pages: { "/es.html": componentPage("es"), "/ar.html": componentPage("ar"), "/favicon.ico": "" },
          headers: { "Content-Security-Policy": STRICT_CSP },
        });
        writeFileSync(join(scratch, "notes.txt"), "not a picture");
        try {
          for (const [lang, committed] of Object.entries(DIRECTION_SCREENSHOTS)) {
            const page = await env.browser.newPage({ viewport: { width: 560, height: 600 } });
            try {
              await page.goto(`${site.origin}/${lang}.html`);
              await recordEvents(page);
              await pickFiles(page, [
                join(CORPUS_DIR, "skimage-astronaut.png"),
                join(CORPUS_DIR, "synth-flat-64x64.png"),
                join(scratch, "notes.txt"),
              ]);
              await waitForBatches(page, 1);
              await waitInPage(
                page,
                () => Array.from(
                  document.querySelector("ncii-hasher")!.shadowRoot!.querySelectorAll('[data-status="hashed"] ncii-hasher-thumbnail'),
                ).every((thumbnail) => thumbnail.shadowRoot!.querySelector("canvas")!.width > 0),
                "the previews",
              );
              const fresh = join(scratch, `component-${lang}.png`);
              await page.screenshot(fresh);
              await updateScreenshot(fresh, committed);
              expect(page.errors).toEqual([]);
            } finally {
              await page.close();
            }
          }
        } finally {
          await site.close();
        }
      }, TEST_TIMEOUT_MS);
    }
  });
}
