/**
 * HEIC in the component: the decoder (heic.wasm, 1.4 MB; its JavaScript glue sits in the worker, evaluated only for
 * HEIC) is fetched only when a HEIC is picked, never for people who pick JPEGs and PNGs, and HEIC files hash
 * exactly as in the CLI.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hashWithCli, outcome } from "../support/agreement.js";
import { pickFiles, readResults, recordEvents, waitForBatches } from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR } from "../support/fixtures.js";

const TEST_TIMEOUT_MS = 180_000;
const HEIC_DIR = fileURLToPath(new URL("../../fixtures/heic/", import.meta.url));
const HEIC_DECODER = /\/assets\/(heic-[\w-]+\.wasm)$/;

export function heicSuite(env: BrowserEnvironment): void {
  describe("HEIC", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-heic-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("loads the HEIC decoder only once a HEIC is picked, and hashes HEIC as the CLI does", async () => {
      const others = ["skimage-astronaut.q90.jpg", "opencv-board.q90.jpg", "skimage-coffee.png"].map((file) => join(CORPUS_DIR, file));
      const heic = readdirSync(HEIC_DIR)
        .filter((file) => file.endsWith(".heic"))
        .map((file) => {
          copyFileSync(join(HEIC_DIR, file), join(scratch, file));
          return join(scratch, file);
        });
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        await pickFiles(page, others);
        await waitForBatches(page, 1);
        // The JPEG decoder was fetched, so the log does show what workers load; the HEIC decoder was not.
        expect(page.requests.some((request) => /\/assets\/jpeg-[\w-]+\.wasm$/.test(request.url))).toBe(true);
        expect(page.requests.filter((request) => HEIC_DECODER.test(request.url))).toEqual([]);

        await pickFiles(page, heic);
        await waitForBatches(page, 2);
        const fetched = new Set(page.requests.flatMap((request) => HEIC_DECODER.exec(request.url)?.[1]?.split("-")[0] ?? []));
        expect([...fetched]).toEqual(["heic"]);
        const cli = await hashWithCli(heic);
        const names = new Set(heic.map((path) => path.slice(scratch.length + 1)));
        const browser = new Map(
          (await readResults(page)).filter((result) => names.has(result.name)).map((result) => [result.name, outcome(result)]),
        );
        expect(browser).toEqual(cli);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
