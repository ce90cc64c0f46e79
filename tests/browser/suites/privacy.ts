/** Nothing leaves the device: the network log over a whole session, and file names rendered only as text. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pickFiles, readRows, recordEvents, waitForBatches } from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, builtWebAssets } from "../support/fixtures.js";

const TEST_TIMEOUT_MS = 180_000;
const NETWORK_SCHEMES = new Set(["http:", "https:", "ws:", "wss:", "ftp:"]);

export function privacySuite(env: BrowserEnvironment): void {
  describe("privacy", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-privacy-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("a whole session makes only GET requests for the component's own assets", async () => {
      // Distinctive names: if any of them, or the bytes behind them, left the page, the log would show it.
      const marker = `private-${Date.now().toString(36)}`;
      const names = [`${marker}-beach.png`, `${marker}-phone.jpg`, `${marker}-notes.txt`];
      copyFileSync(join(CORPUS_DIR, "skimage-astronaut.png"), join(scratch, names[0]!));
      copyFileSync(join(CORPUS_DIR, "skimage-astronaut.q90.jpg"), join(scratch, names[1]!));
      writeFileSync(join(scratch, names[2]!), "a file that is not a picture");

      const page = await env.browser.newPage();
      const servedBefore = env.site.requests.length;
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        await pickFiles(page, names.map((name) => join(scratch, name)));
        await waitForBatches(page, 1);
        // Everything a person might press after hashing: show a whole hash, save both exports, ask for hashes.
        await page.evaluate(() => {
          const root = document.querySelector("ncii-hasher")!.shadowRoot!;
          root.querySelector<HTMLElement>('[part~="full-hash"] summary')!.click();
          root.querySelector<HTMLButtonElement>('[part~="export-json-button"]')!.click();
          root.querySelector<HTMLButtonElement>('[part~="export-csv-button"]')!.click();
          return document.querySelector("ncii-hasher")!.hashes().length;
        }, null);
        // Thumbnails are drawn after hashing; give them time to be made (they must not cause requests either).
        await new Promise((resolve) => setTimeout(resolve, 500));

        const ownAssets = builtWebAssets();
        const network = page.requests.filter((request) => NETWORK_SCHEMES.has(new URL(request.url).protocol));
        // The log must include what the workers fetched, or it would prove nothing about them.
        expect(network.some((request) => request.url.endsWith(".wasm"))).toBe(true);
        const unexpected = network.filter((request) => {
          const url = new URL(request.url);
          return (
            request.method !== "GET" ||
            request.bodyBytes > 0 ||
            url.origin !== env.site.origin ||
            url.search !== "" ||
            !ownAssets.has(url.pathname)
          );
        });
        expect(unexpected).toEqual([]);
        const all = JSON.stringify(page.requests);
        expect(all).not.toContain(marker);

        // The server's own log agrees: GETs without bodies, of built assets only.
        const served = env.site.requests.slice(servedBefore);
        expect(served.filter((request) => request.method !== "GET" || request.bodyBytes > 0 || !ownAssets.has(request.path))).toEqual([]);
        expect(JSON.stringify(served)).not.toContain(marker);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("file names are shown as text, never as markup", async () => {
      const names = ["<img src=x onerror=alert(1)>.png", "<b onmouseover=alert(2)>bold<b>&amp;.txt"];
      copyFileSync(join(CORPUS_DIR, "opencv-home.png"), join(scratch, names[0]!));
      writeFileSync(join(scratch, names[1]!), "<script>alert(2)</script>");
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        await pickFiles(page, names.map((name) => join(scratch, name)));
        await waitForBatches(page, 1);
        const rows = await readRows(page);
        expect(rows.map((row) => [row.name, row.status])).toEqual([
          [names[0], "hashed"],
          [names[1], "failed"],
        ]);
        for (const row of rows) {
          expect(row.nameHtml).not.toContain("<");
        }
        expect(rows[1]!.errorCode).toBe("not-an-image");
        const markupFound = await page.evaluate(() => {
          const root = document.querySelector("ncii-hasher")!.shadowRoot!;
          return root.querySelectorAll('img, b, script, [part~="name"] *').length;
        }, null);
        expect(markupFound).toBe(0);
        // Give a dialog every chance to have fired.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(page.dialogs).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
