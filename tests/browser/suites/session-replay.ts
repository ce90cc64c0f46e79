/**
 * What a host page's own scripts get without asking: a session-replay recorder (rrweb, canvas recording on) during
 * a batch of distinctively named files, the events, and the thumbnail elements.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashedDetails, pickFiles, readResults, recordEvents, waitForBatches, waitInPage } from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR } from "../support/fixtures.js";

const TEST_TIMEOUT_MS = 180_000;
// The package exports only its ESM and CJS builds; the UMD one beside them is what a page loads as a script.
const RRWEB = join(dirname(createRequire(import.meta.url).resolve("rrweb")), "rrweb.umd.min.cjs");

export function sessionReplaySuite(env: BrowserEnvironment): void {
  describe("session replay and host-page scripts", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-replay-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /**
     * One batch on a fresh demo page with rrweb recording (canvas recording on), started before the files are
     * picked (it sees them arrive) or only once the thumbnails are drawn (a recorder loaded late, or on the next
     * page view: rrweb copies a canvas's pixels only when it did not watch the canvas being drawn).
     */
    async function recordBatch(names: string[], recorderStarts: "before" | "after") {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        // The recorder as a host page would load it (as a test tool it is not subject to the page's CSP).
        await page.runScript(readFileSync(RRWEB, "utf8"));
        const startRecorder = () => {
          const { rrweb } = window as unknown as { rrweb: { record: (options: object) => void } };
          const recording: unknown[] = [];
          rrweb.record({ emit: (event: unknown) => recording.push(event), recordCanvas: true });
          Object.assign(window, { recording });
        };
        if (recorderStarts === "before") await page.evaluate(startRecorder, null);
        await pickFiles(page, names.map((name) => join(scratch, name)));
        const events = await waitForBatches(page, 1);
        // Thumbnails are drawn when scrolled into view, one at a time.
        await waitInPage(
          page,
          () => {
            const thumbnails = document.querySelector("ncii-hasher")!.shadowRoot!.querySelectorAll("ncii-hasher-thumbnail");
            const undrawn = Array.from(thumbnails).find((thumbnail) => thumbnail.shadowRoot!.querySelector("canvas")!.width === 0);
            undrawn?.scrollIntoView();
            return undrawn === undefined;
          },
          "the thumbnails",
        );
        if (recorderStarts === "after") await page.evaluate(startRecorder, null);
        const recording = await page.evaluate(() => JSON.stringify((window as unknown as { recording: unknown[] }).recording), null);
        const thumbnails = await page.evaluate(() => {
          const root = document.querySelector("ncii-hasher")!.shadowRoot!;
          return Array.from(root.querySelectorAll("ncii-hasher-thumbnail"), (thumbnail) => ({
            file: (thumbnail as unknown as { file?: unknown }).file === undefined,
            keys: Object.keys(thumbnail).length,
            markers: thumbnail.classList.contains("rr-block") && thumbnail.hasAttribute("data-hj-suppress"),
          }));
        }, null);
        return { recording, events, results: await readResults(page), thumbnails };
      } finally {
        await page.close();
      }
    }

    it("an rrweb recording holds no file name and no thumbnail pixels; events carry no name or size", async () => {
      const marker = `secretname${Date.now().toString(36)}`;
      const names = [`${marker}-beach.png`, `${marker}-phone.jpg`];
      copyFileSync(join(CORPUS_DIR, "mpl-grace_hopper.png"), join(scratch, names[0]!));
      copyFileSync(join(CORPUS_DIR, "opencv-chicky_512.q90.jpg"), join(scratch, names[1]!));

      for (const recorderStarts of ["after", "before"] as const) {
        const { recording, events, results, thumbnails } = await recordBatch(names, recorderStarts);
        // The recording did see inside the component (the fingerprints are there), so leaving names and pixels
        // out was the markers' doing.
        expect(results.map((result) => result.name)).toEqual(names);
        for (const result of results) expect(recording, recorderStarts).toContain(result.pdq!.slice(0, 8));
        expect(recording, recorderStarts).not.toContain(marker);
        expect(recording, recorderStarts).not.toContain("rr_dataURL");
        expect(recording, recorderStarts).not.toMatch(/data:image\//);

        const details = hashedDetails(events);
        expect(details).toHaveLength(names.length);
        for (const detail of details) {
          expect(Object.keys(detail)).not.toContain("name");
          expect(Object.keys(detail)).not.toContain("size");
        }
        expect(JSON.stringify(events)).not.toContain(marker);
        expect(thumbnails).toEqual(names.map(() => ({ file: true, keys: 0, markers: true })));
      }
    }, TEST_TIMEOUT_MS);
  });
}
