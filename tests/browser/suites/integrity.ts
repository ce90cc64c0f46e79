/**
 * A tampered asset host: the partner page pins `ncii-hasher.js` by its SRI hash, and the host serves that entry
 * unchanged but a modified worker, PDQ kernel or JPEG decoder. Nothing modified may run (the host never hears from
 * tampered code), no hash may come out, and the page must be told. The untampered host must still hash right and
 * be sent no referrer. A tampered catalogue of words, or languages index, is not used either: the element stays in
 * English.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  doneDetails,
  indexResults,
  pickFiles,
  readResults,
  readRows,
  recordEvents,
  recordedEvents,
  waitForBatches,
  waitInPage,
} from "../support/component-page.js";
import { crossOriginCsp } from "../../../scripts/csp.js";
import type { TestPage } from "../support/browser-under-test.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, DIST_DIR, corpusExpectations } from "../support/fixtures.js";
import { startStaticServer, type StaticServer } from "../support/static-server.js";
import { partnerPage } from "./embedding.js";
import { hashMismatches } from "./hashing.js";

const TEST_TIMEOUT_MS = 180_000;
/** What the tampered worker would POST to the asset host the moment it ran. */
const TAMPER_BEACON = "/tampered-code-ran";

/** A WebAssembly custom section (id 0) named "tamper": the module stays valid and compiles; only its bytes differ. */
const CUSTOM_SECTION = Buffer.from([0x00, 0x07, 0x06, ...Buffer.from("tamper")]);

interface Tampering {
  what: string;
  /** The built file (under dist/assets/) to modify, and how. */
  file: RegExp;
  tamper(bytes: Buffer, hostOrigin: string): Buffer;
  /** Pictures that make the component load that file (paths under tests/fixtures/). */
  pictures: string[];
}

const FIXTURES_DIR = join(CORPUS_DIR, "..");

const TAMPERINGS: Tampering[] = [
  {
    what: "worker script",
    file: /^browser-worker\.browser-[\w-]+\.js$/,
    tamper: (bytes, host) =>
      Buffer.concat([Buffer.from(`fetch(${JSON.stringify(host + TAMPER_BEACON)}, { method: "POST" }).catch(() => {});\n`), bytes]),
    pictures: ["corpus/mpl-grace_hopper.png", "corpus/opencv-chicky_512.png"],
  },
  {
    what: "PDQ kernel (a valid module with one more section)",
    file: /^pdq-[\w-]+\.wasm$/,
    tamper: (bytes) => Buffer.concat([bytes, CUSTOM_SECTION]),
    pictures: ["corpus/mpl-grace_hopper.png", "corpus/opencv-chicky_512.png"],
  },
  {
    what: "JPEG decoder (a valid module with one more section)",
    file: /^jpeg-[\w-]+\.wasm$/,
    tamper: (bytes) => Buffer.concat([bytes, CUSTOM_SECTION]),
    pictures: ["corpus/opencv-board.q90.jpg", "corpus/opencv-chicky_512.q90.jpg"],
  },
  {
    what: "HEIC decoder (a valid module with one more section)",
    file: /^heic-[\w-]+\.wasm$/,
    tamper: (bytes) => Buffer.concat([bytes, CUSTOM_SECTION]),
    pictures: ["heic/coffee.heic", "heic/astronaut.heic"],
  },
];

/** A built file of words (under dist/assets/), modified in a copy; the file the element must fetch, and one it must not. */
interface WordsTampering {
  what: string;
  tamper(assets: string): { tampered: string; neverFetched?: string };
}

function assetNamed(assets: string, pattern: RegExp): string {
  return readdirSync(assets).find((file) => pattern.test(file))!;
}

/** German words with the Choose button's replaced, for a tampered host to serve. */
function tamperedGerman(assets: string): string {
  const words = JSON.parse(readFileSync(join(assets, assetNamed(assets, /^de-[\w-]+\.json$/)), "utf8")) as Record<string, string>;
  return JSON.stringify({ ...words, pick: "TAMPERED WORDS" });
}

const WORDS_TAMPERINGS: WordsTampering[] = [
  {
    what: "catalogue of words",
    tamper(assets) {
      const tampered = assetNamed(assets, /^de-[\w-]+\.json$/);
      writeFileSync(join(assets, tampered), tamperedGerman(assets));
      return { tampered };
    },
  },
  {
    // The index names a catalogue of the tamperer's, with that catalogue's true SHA-384: only the bundle's pin of
    // the index can stop it, before anything the index names is fetched.
    what: "languages index (naming other words, with their true pin)",
    tamper(assets) {
      const tampered = assetNamed(assets, /^languages-[\w-]+\.json$/);
      const neverFetched = "de-tampered.json";
      const words = tamperedGerman(assets);
      writeFileSync(join(assets, neverFetched), words);
      const index = JSON.parse(readFileSync(join(assets, tampered), "utf8")) as { pins: string; files: Record<string, string> };
      index.pins = `${index.pins} ${neverFetched} sha384-${createHash("sha384").update(words).digest("base64")}`;
      index.files["de"] = neverFetched;
      writeFileSync(join(assets, tampered), JSON.stringify(index));
      return { tampered, neverFetched };
    },
  },
];

export function integritySuite(env: BrowserEnvironment): void {
  describe("integrity of everything the bundle runs", () => {
    const entrySri = (JSON.parse(readFileSync(join(DIST_DIR, "ncii-hasher.sri.json"), "utf8")) as Record<string, string>)[
      "ncii-hasher.js"
    ]!;
    const copies: string[] = [];
    const servers: StaticServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.close()));
      for (const copy of copies) rmSync(copy, { recursive: true, force: true });
    });

    /** An asset host serving `root`, and a partner page on another origin that pins our entry. */
    async function embedFrom(root: string): Promise<{ host: StaticServer; partner: StaticServer }> {
      const host = await startStaticServer({ root, headers: { "Access-Control-Allow-Origin": "*" } });
      const pages = { "/partner.html": partnerPage(host.origin, entrySri), "/favicon.ico": "" };
      const partner = await startStaticServer({ root, pages, headers: { "Content-Security-Policy": crossOriginCsp(host.origin) } });
      servers.push(host, partner);
      return { host, partner };
    }

    it("the tampered files are still valid, so only the pins can stop them", async () => {
      for (const name of readdirSync(join(DIST_DIR, "assets")).filter((file) => file.endsWith(".wasm"))) {
        const tampered = Buffer.concat([readFileSync(join(DIST_DIR, "assets", name)), CUSTOM_SECTION]);
        expect(WebAssembly.validate(tampered), name).toBe(true);
      }
    });

    /** Hashes `expected` on a fresh partner page with an asset host of its own, then lets `inspect` look. */
    async function hashOnPartnerPage(
      expected: ReturnType<typeof corpusExpectations>,
      inspect: (page: TestPage, host: StaticServer) => Promise<void>,
    ): Promise<void> {
      const { host, partner } = await embedFrom(DIST_DIR);
      const page = await env.browser.newPage();
      try {
        await page.goto(`${partner.origin}/partner.html`);
        await recordEvents(page);
        await pickFiles(page, expected.map((want) => join(CORPUS_DIR, want.file)));
        await waitForBatches(page, 1);
        expect(hashMismatches(expected, indexResults(await readResults(page)))).toEqual([]);
        await inspect(page, host);
      } finally {
        await page.close();
      }
    }

    it("the untampered bundle hashes right from a pinning partner page, with no referrer on any asset", async () => {
      const expected = corpusExpectations().filter((want) => /grace_hopper\.png|board\.q90/.test(want.file));
      await hashOnPartnerPage(expected, async (page, host) => {
        const assets = host.requests.filter((request) => request.path.startsWith("/assets/"));
        expect(assets.some((request) => request.path.endsWith(".wasm"))).toBe(true);
        expect(assets.some((request) => /\/browser-worker[^/]*\.js$/.test(request.path))).toBe(true);
        expect(assets.filter((request) => request.headers.referer !== undefined).map((request) => request.path)).toEqual([]);
        expect((await recordedEvents(page)).filter((event) => event.type === "ncii-integrity-failed")).toEqual([]);
      });
    }, TEST_TIMEOUT_MS);

    it("the asset host cannot count the pictures: one JPEG and seven make the same requests", async () => {
      const jpegs = corpusExpectations().filter((want) => want.file.endsWith(".jpg")).slice(0, 7);
      expect(jpegs).toHaveLength(7);
      const assetRequests: string[][] = [];
      // A host of its own per batch, so neither batch is served from what the other left in a cache.
      for (const batch of [jpegs.slice(0, 1), jpegs]) {
        await hashOnPartnerPage(batch, async (_page, host) => {
          assetRequests.push(host.requests.map((request) => request.path).filter((path) => path.startsWith("/assets/")).sort());
        });
      }
      const [one, seven] = assetRequests;
      expect(one!.filter((path) => path.endsWith(".wasm")).map((path) => path.replace(/-[\w-]+\.wasm$/, ""))).toEqual([
        "/assets/jpeg",
        "/assets/pdq",
      ]);
      expect(seven).toEqual(one);
    }, TEST_TIMEOUT_MS);

    for (const tampering of WORDS_TAMPERINGS) {
      it(`a tampered ${tampering.what} is not shown: the element stays in English and still hashes`, async () => {
        const root = mkdtempSync(join(tmpdir(), "ncii-tampered-"));
        copies.push(root);
        cpSync(DIST_DIR, root, { recursive: true });
        const { host, partner } = await embedFrom(root);
        const { tampered, neverFetched } = tampering.tamper(join(root, "assets"));
        const expected = corpusExpectations().filter((want) => /grace_hopper\.png/.test(want.file));

        const page = await env.browser.newPage();
        try {
          await page.goto(`${partner.origin}/partner.html`);
          await recordEvents(page);
          await page.evaluate(() => {
            document.querySelector("ncii-hasher")!.lang = "de";
          }, null);
          await waitInPage(page, () => document.querySelector("ncii-hasher")!.lang === "de", "the lang attribute");
          while (!host.requests.some((request) => request.path === `/assets/${tampered}`)) await new Promise((r) => setTimeout(r, 50));
          // A batch takes far longer than checking words that have already arrived.
          await pickFiles(page, expected.map((want) => join(CORPUS_DIR, want.file)));
          await waitForBatches(page, 1);
          expect(hashMismatches(expected, indexResults(await readResults(page)))).toEqual([]);
          const shown = await page.evaluate(() => {
            const root = document.querySelector("ncii-hasher")!.shadowRoot!;
            return { lang: root.querySelector(".root")!.getAttribute("lang"), text: root.textContent ?? "" };
          }, null);
          expect(shown.text).not.toContain("TAMPERED");
          expect(shown.lang).toBe("en");
          expect(shown.text).toContain("Choose pictures");
          if (neverFetched) expect(host.requests.filter((request) => request.path === `/assets/${neverFetched}`)).toEqual([]);
        } finally {
          await page.close();
        }
      }, TEST_TIMEOUT_MS);
    }

    for (const tampering of TAMPERINGS) {
      it(`a tampered ${tampering.what} never runs: every file fails with integrity-failed and the page is told`, async () => {
        const root = mkdtempSync(join(tmpdir(), "ncii-tampered-"));
        copies.push(root);
        cpSync(DIST_DIR, root, { recursive: true });
        const { host, partner } = await embedFrom(root);
        const name = readdirSync(join(root, "assets")).find((file) => tampering.file.test(file))!;
        const path = join(root, "assets", name);
        writeFileSync(path, tampering.tamper(readFileSync(path), host.origin));

        const page = await env.browser.newPage();
        try {
          await page.goto(`${partner.origin}/partner.html`);
          await recordEvents(page);
          await pickFiles(page, tampering.pictures.map((picture) => join(FIXTURES_DIR, picture)));
          await waitForBatches(page, 1);
          const rows = await readRows(page);
          expect(rows.map((row) => [row.status, row.errorCode, row.pdq])).toEqual(
            tampering.pictures.map(() => ["failed", "integrity-failed", null]),
          );
          const events = await recordedEvents(page);
          const alarms = events.filter((event) => event.type === "ncii-integrity-failed");
          expect(alarms).toHaveLength(1);
          expect(alarms[0]!.detail.message).toContain(name);
          expect(doneDetails(events).map((done) => done.cancelled)).toEqual([false]);
          expect((await readResults(page)).every((result) => result.pdq === undefined)).toBe(true);
          // The host served the tampered file (so the check really met it) and never heard from it.
          expect(host.requests.some((request) => request.path === `/assets/${name}`)).toBe(true);
          expect(host.requests.filter((request) => request.path === TAMPER_BEACON)).toEqual([]);
          expect(page.requests.filter((request) => request.url.endsWith(TAMPER_BEACON))).toEqual([]);
        } finally {
          await page.close();
        }
      }, TEST_TIMEOUT_MS);
    }
  });
}
