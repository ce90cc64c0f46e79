/**
 * The component speaks the language of its `lang`: in every shipped locale, each state a person can reach (idle,
 * busy, finished, low quality, video, failures, a cancelled batch, the folder and list-full notices, the live
 * region's announcements, the buttons and labels) shows only words from that locale's catalogue, none of them
 * the English one; the English rendering matches the English source. Arabic is laid out right to left without
 * overlap or sideways scrolling at 320 px. Engine-neutral: everything goes through `TestPage`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CATALOGUE_DIR, LOCALES, englishCatalogue, type Catalogue } from "../../../scripts/locales.mjs";
import { tinyMp4 } from "../../support/videos.js";
import type { TestPage } from "../support/browser-under-test.js";
import { pickFolder, recordEvents, waitForBatches, waitInPage } from "../support/component-page.js";
import { crossOriginCsp } from "../../../scripts/csp.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, DIST_DIR } from "../support/fixtures.js";
import { startStaticServer } from "../support/static-server.js";

const TEST_TIMEOUT_MS = 300_000;

/** One piece of text a person can see or hear, and where it was. */
interface Piece {
  where: string;
  text: string;
}

export function catalogueOf(locale: string): Catalogue {
  return locale === "en" ? englishCatalogue() : (JSON.parse(readFileSync(join(CATALOGUE_DIR, `${locale}.json`), "utf8")) as Catalogue);
}

/** A catalogue text as a pattern: its values (`{0}`…) may be anything (numbers, names, nested sentences). */
function pattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\\?\{\d+\\?\}/g, "(.+?)")}$`, "u");
}

/** The messages whose catalogue text `text` can be, by id, a counted message's plural forms as one ("progress"). */
function messagesOf(text: string, catalogue: Catalogue): Set<string> {
  const matching = Object.entries(catalogue).filter(([, template]) => pattern(template).test(text));
  return new Set(matching.map(([id]) => id.replace(/\.(zero|one|two|few|many|other)$/, "")));
}

/** Pieces that are no catalogue text. */
function notFromCatalogue(pieces: readonly Piece[], catalogue: Catalogue): Piece[] {
  return pieces.filter((piece) => messagesOf(piece.text, catalogue).size === 0);
}

/**
 * Every text node and label in the component, outside the file names and hashes (which are the person's own).
 * The live region is one of the text nodes.
 */
async function visibleWords(page: TestPage, state: string): Promise<Piece[]> {
  const pieces = await page.evaluate(() => {
    const root = document.querySelector("ncii-hasher")!.shadowRoot!;
    const found: { where: string; text: string }[] = [];
    const walk = (node: Node): void => {
      if (node instanceof Element) {
        if (node.matches('[part~="name"], code')) return;
        const label = node.getAttribute("aria-label");
        const where = `${node.localName}${node.getAttribute("part") ? `[${node.getAttribute("part")}]` : ""}`;
        if (label) found.push({ where: `${where}@aria-label`, text: label });
        for (const child of Array.from(node.childNodes)) walk(child);
        return;
      }
      // Markup's own line breaks and indents only: no-break spaces belong to the words (French puts them before colons).
      const text = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? "").replace(/[ \t\r\n]+/g, " ").trim() : "";
      if (text) found.push({ where: node.parentElement?.localName ?? "", text });
    };
    for (const child of Array.from(root.childNodes)) walk(child);
    return found;
  }, null);
  return pieces.map((piece) => ({ where: `${state}: ${piece.where}`, text: piece.text }));
}

/** Sets the element's `lang` and waits until it renders in that language. */
export async function speak(page: TestPage, locale: string): Promise<void> {
  await page.evaluate((lang) => {
    document.querySelector("ncii-hasher")!.lang = lang;
  }, locale);
  await waitInPage(
    page,
    // Stringified into the page: the locale arrives through the element's own attribute.
    () => {
      const hasher = document.querySelector("ncii-hasher")!;
      return hasher.shadowRoot?.querySelector(".root")?.getAttribute("lang")?.toLowerCase() === hasher.lang.toLowerCase();
    },
    `the component in ${locale}`,
  );
}

/**
 * Hands files staged outside the component to `addFiles` and reads the busy state in the same task, before any
 * worker can answer: the batch is running, nothing has finished yet. With `cancel`, stops it there.
 */
async function addAndReadBusy(page: TestPage, paths: string[], cancel: boolean): Promise<Piece[]> {
  await page.evaluate(() => {
    const input = Object.assign(document.createElement("input"), { type: "file", multiple: true, id: "staged", hidden: true });
    document.body.append(input);
  }, null);
  await page.setInputFiles("body", "#staged", paths);
  const pieces = await page.evaluate(async (stop) => {
    const input = document.querySelector<HTMLInputElement>("#staged")!;
    const hasher = document.querySelector("ncii-hasher")!;
    hasher.addFiles(Array.from(input.files ?? []));
    input.remove();
    if (stop) hasher.cancel();
    await hasher.updateComplete;
    return hasher.shadowRoot!.querySelector('[part~="cancel-button"]')?.textContent?.trim() ?? null;
  }, cancel);
  expect(pieces, "the Cancel button of a running batch").not.toBeNull();
  return visibleWords(page, cancel ? "cancelling" : "busy");
}

/** Clicks the first Copy button; the live region then says it was copied, or that this page cannot copy. */
async function copyFirst(page: TestPage): Promise<Piece[]> {
  await page.evaluate(() => {
    const root = document.querySelector("ncii-hasher")!.shadowRoot!;
    Object.assign(window, { nciiSaidBefore: root.querySelector('[role="status"]')!.textContent });
    root.querySelector<HTMLButtonElement>('[part~="copy-button"]')!.click();
  }, null);
  await waitInPage(
    page,
    () =>
      document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[role="status"]')!.textContent !==
      (window as unknown as { nciiSaidBefore: string }).nciiSaidBefore,
    "the copy announcement",
  );
  return visibleWords(page, "copied");
}

export function localisationSuite(env: BrowserEnvironment): void {
  describe("languages", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-l10n-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    const picture = join(CORPUS_DIR, "skimage-astronaut.q90.jpg");
    const plain = join(CORPUS_DIR, "synth-flat-64x64.png");
    const empty = join(scratch, "empty.png");
    const text = join(scratch, "notes.png");
    const cut = join(scratch, "cut.png");
    const bomb = join(scratch, "bomb.png");
    const video = join(scratch, "clip.mp4");
    const folder = join(scratch, "folder");
    writeFileSync(empty, new Uint8Array(0));
    writeFileSync(text, "not a picture\n");
    const png = readFileSync(join(CORPUS_DIR, "skimage-camera.png"));
    writeFileSync(cut, png.subarray(0, png.length >> 1));
    // A PNG signature and header that claim 60000 x 60000 pixels: refused before decoding.
    writeFileSync(bomb, Buffer.concat([png.subarray(0, 16), Buffer.from([0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60]), png.subarray(24, 64)]));
    writeFileSync(video, tinyMp4(4096));
    mkdirSync(folder, { recursive: true });
    copyFileSync(plain, join(folder, "a.png"));
    copyFileSync(plain, join(folder, "b.png"));
    writeFileSync(join(folder, "notes.txt"), "not a picture");

    /** Every state, in one order, as the person meets them in `locale`. */
    async function everyState(locale: string): Promise<Piece[]> {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await speak(page, locale);
        await recordEvents(page);
        const pieces = [...(await visibleWords(page, "idle"))];
        pieces.push(...(await addAndReadBusy(page, [picture, plain, video, empty, text, cut, bomb], false)));
        await waitForBatches(page, 1);
        pieces.push(...(await visibleWords(page, "finished")));
        pieces.push(...(await copyFirst(page)));
        // Room for one more file: the folder's two pictures overflow it, and its notes are left out.
        await page.evaluate(() => {
          const hasher = document.querySelector("ncii-hasher")!;
          hasher.maxFiles = hasher.results.length + 1;
        }, null);
        await pickFolder(page, folder);
        await waitForBatches(page, 2);
        pieces.push(...(await visibleWords(page, "folder")));
        await page.evaluate(() => {
          document.querySelector("ncii-hasher")!.maxFiles = 1000;
        }, null);
        pieces.push(...(await addAndReadBusy(page, [plain, plain], true)));
        await waitForBatches(page, 3);
        pieces.push(...(await visibleWords(page, "cancelled")));
        await page.evaluate(() => {
          document.querySelector("ncii-hasher")!.shadowRoot!.querySelector<HTMLButtonElement>('[part~="clear-button"]')!.click();
        }, null);
        await waitInPage(page, () => document.querySelector("ncii-hasher")!.results.length === 0, "the cleared list");
        pieces.push(...(await visibleWords(page, "cleared")));
        expect(page.errors).toEqual([]);
        return pieces;
      } finally {
        await page.close();
      }
    }

    let english: Piece[] = [];

    it("English: every word the component shows comes from the English source", async () => {
      english = await everyState("en");
      const states = new Set(english.map((piece) => piece.where.split(":")[0]));
      expect([...states]).toEqual(["idle", "busy", "finished", "copied", "folder", "cancelling", "cancelled", "cleared"]);
      expect(notFromCatalogue(english, catalogueOf("en"))).toEqual([]);
      // The failures seen are derived from their codes: empty, not a picture, cut off, too many pixels.
      const texts = english.map((piece) => piece.text);
      const source = catalogueOf("en");
      for (const id of ["failed.empty", "failed.not-an-image", "failed.truncated", "failed.too-many-pixels", "failed.cancelled",
        "low-quality", "video-ready", "save-signals", "waiting", "cancel", "cleared"]) {
        expect(texts, id).toContain(source[id]);
      }
    }, TEST_TIMEOUT_MS);

    for (const locale of LOCALES) {
      it(`${locale}: the same states, every word from the ${locale} catalogue and none left in English`, async () => {
        expect(english.length, "the English run comes first").toBeGreaterThan(0);
        const pieces = await everyState(locale);
        expect(pieces.map((piece) => piece.where)).toEqual(english.map((piece) => piece.where));
        expect(notFromCatalogue(pieces, catalogueOf(locale))).toEqual([]);
        const stillEnglish = pieces.filter((piece, index) => piece.text === english[index]!.text);
        expect(stillEnglish).toEqual([]);
        // Each the same message as in English: the bundle names messages by number, and each must find its own words.
        const source = catalogueOf("en");
        const own = catalogueOf(locale);
        const otherMessage = pieces.filter((piece, index) => {
          const meant = messagesOf(english[index]!.text, source);
          return ![...messagesOf(piece.text, own)].some((id) => meant.has(id));
        });
        expect(otherMessage).toEqual([]);
      }, TEST_TIMEOUT_MS);
    }

    it("a partner's own words, for a language not shipped and for English, reach the prebuilt bundle's elements", async () => {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await page.evaluate(() => {
          const NciiHasher = customElements.get("ncii-hasher") as unknown as {
            addTranslations(locale: string, words: Record<string, string>): void;
          };
          NciiHasher.addTranslations("nl", { pick: "Foto's kiezen" });
          NciiHasher.addTranslations("en", { "pick-folder": "Pick a whole folder" });
        }, null);
        const buttons = async () =>
          page.evaluate(() => {
            const root = document.querySelector("ncii-hasher")!.shadowRoot!;
            return [root.querySelector('[part~="pick-button"]')!.textContent!.trim(), root.querySelector('[part~="folder-button"]')!.textContent!.trim()];
          }, null);
        await speak(page, "nl");
        // An id the partner left out stays English.
        expect(await buttons()).toEqual(["Foto's kiezen", catalogueOf("en")["pick-folder"]]);
        await speak(page, "en");
        await waitInPage(
          page,
          () => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[part~="folder-button"]')!.textContent!.includes("whole folder"),
          "the partner's English",
        );
        expect(await buttons()).toEqual([catalogueOf("en")["pick"], "Pick a whole folder"]);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("a partner page on another origin, in Arabic, gets its words from the bundle's origin under the documented CSP", async () => {
      const bundle = await startStaticServer({ root: DIST_DIR, headers: { "Access-Control-Allow-Origin": "*" } });
      const partner = await startStaticServer({
        root: DIST_DIR,
        pages: {
          "/partner.html": `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>شريك</title>` +
            `<script type="module" src="${bundle.origin}/ncii-hasher.js"></script></head><body><ncii-hasher></ncii-hasher></body></html>`,
          "/favicon.ico": "",
        },
        headers: { "Content-Security-Policy": crossOriginCsp(bundle.origin) },
      });
      const page = await env.browser.newPage();
      try {
        await page.goto(`${partner.origin}/partner.html`);
        await waitInPage(
          page,
          () => document.querySelector("ncii-hasher")?.shadowRoot?.querySelector(".root")?.getAttribute("lang") === "ar",
          "the component in Arabic",
        );
        const title = await page.evaluate(() => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector("h2")!.textContent, null);
        expect(title).toBe(catalogueOf("ar")["title"]);
        expect(bundle.requests.map((request) => request.path)).toContainEqual(expect.stringMatching(/^\/assets\/ar-[\w-]+\.json$/));
        expect(partner.requests.filter((request) => request.path.endsWith(".json"))).toEqual([]);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
        await Promise.all([bundle.close(), partner.close()]);
      }
    }, TEST_TIMEOUT_MS);

    it("Arabic reads right to left at 320 px: mirrored rows, nothing overlapping, nothing wider than the screen", async () => {
      const page = await env.browser.newPage({ viewport: { width: 320, height: 900 } });
      try {
        await page.goto(`${env.site.origin}/`);
        await speak(page, "ar");
        await recordEvents(page);
        await addAndReadBusy(page, [picture, plain, text, cut], false);
        await waitForBatches(page, 1);
        const layout = await page.evaluate(() => {
          const root = document.querySelector("ncii-hasher")!.shadowRoot!;
          const box = (element: Element) => element.getBoundingClientRect();
          const overlapping = (a: DOMRect, b: DOMRect) =>
            a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
          const problems: string[] = [];
          const host = box(document.querySelector("ncii-hasher")!);
          // Siblings laid out side by side or in rows must never cover each other.
          const groups = [
            ...root.querySelectorAll(".pickers, .actions, .hash-row, li, .details, .dropzone"),
          ];
          for (const group of groups) {
            const children = Array.from(group.children).filter((child) => box(child).width > 0);
            for (let i = 0; i < children.length; i++) {
              for (let j = i + 1; j < children.length; j++) {
                if (overlapping(box(children[i]!), box(children[j]!))) {
                  problems.push(`${group.className || group.localName}: ${children[i]!.localName} covers ${children[j]!.localName}`);
                }
              }
            }
          }
          // The live region is a clipped 1 px box by design; everything else must fit.
          for (const element of root.querySelectorAll("*:not(.visually-hidden)")) {
            const rect = box(element);
            if (rect.width > 0 && (rect.left < host.left - 0.5 || rect.right > host.right + 0.5)) {
              problems.push(`${element.localName}.${element.className} sticks out: ${rect.left}-${rect.right} of ${host.left}-${host.right}`);
            }
          }
          const item = root.querySelector('[part~="item"]')!;
          const wrapper = root.querySelector(".root")!;
          // A Latin file name keeps its own order but starts where Arabic lines start, at the right.
          const name = document.createRange();
          name.selectNodeContents(item.querySelector('[part~="name"]')!);
          return {
            problems,
            direction: getComputedStyle(wrapper).direction,
            dir: wrapper.getAttribute("dir"),
            thumbnailRight: box(item.querySelector('[part~="thumbnail"]')!).right,
            detailsRight: box(item.querySelector(".details")!).right,
            nameRight: name.getBoundingClientRect().right,
            pick: box(root.querySelector('[part~="pick-button"]')!).toJSON() as DOMRect,
            folder: box(root.querySelector('[part~="folder-button"]')!).toJSON() as DOMRect,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        }, null);
        expect(layout.problems).toEqual([]);
        expect(layout.dir).toBe("rtl");
        expect(layout.direction).toBe("rtl");
        // Mirrored: the preview sits at the right, where an Arabic line starts; the first button comes first, at
        // the right of its row (or above, when the translation is too long for both to share one).
        expect(layout.thumbnailRight).toBeGreaterThan(layout.detailsRight);
        if (layout.pick.top === layout.folder.top) expect(layout.pick.right).toBeGreaterThan(layout.folder.right);
        else expect(layout.pick.bottom).toBeLessThanOrEqual(layout.folder.top);
        expect(layout.nameRight).toBeCloseTo(layout.detailsRight, 0);
        expect(layout.overflow).toBeLessThanOrEqual(0);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
