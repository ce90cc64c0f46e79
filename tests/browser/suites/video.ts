/**
 * Videos given to the component get an MD5 of the whole file, streamed from the Blob in a worker, equal to
 * Node's crypto; pictures next to them still get their PDQ; the exchange records read back with the formats
 * parser. Engine-neutral: everything goes through `TestPage`.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { SignalRecord } from "../../../src/formats/signal-record.js";
import { parseSignals } from "../../../src/formats/signals.js";
import { seededBytes, tinyMp4, tinyWebm } from "../../support/videos.js";
import type { TestPage } from "../support/browser-under-test.js";
import {
  askForFileDetails,
  handOverFiles,
  hashedDetails,
  indexResults,
  readResults,
  recordEvents,
  waitForBatches,
  type ResultRecord,
} from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, corpusExpectations } from "../support/fixtures.js";

const TEST_TIMEOUT_MS = 180_000;
const PICTURE = "skimage-astronaut.png";

type VideoRecord = ResultRecord & { md5?: string };

function nodeMd5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

async function md5Cells(page: TestPage): Promise<Record<string, string | null>> {
  return page.evaluate(() => {
    const root = document.querySelector("ncii-hasher")!.shadowRoot!;
    return Object.fromEntries(
      Array.from(root.querySelectorAll('[part~="item"]'), (item) => [
        item.querySelector('[part~="name"]')!.textContent ?? "",
        item.querySelector('[part~="hash"]')?.getAttribute("data-md5") ?? null,
      ]),
    );
  }, null);
}

export function videoSuite(env: BrowserEnvironment): void {
  describe("videos", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-browser-video-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("a dropped video gets Node's MD5 (streamed over several chunks); a picture beside it keeps its PDQ", async () => {
      // Over 2 MiB, so the Blob is read as a stream of many chunks, not in one piece.
      const videos = {
        "clip.mp4": tinyMp4(2 * 1024 * 1024 + 4321),
        "holiday.webm": tinyWebm(70_000),
        "phone.mov": seededBytes(1000, 9),
      };
      for (const [name, bytes] of Object.entries(videos)) writeFileSync(join(scratch, name), bytes);
      copyFileSync(join(CORPUS_DIR, PICTURE), join(scratch, PICTURE));

      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        await askForFileDetails(page);
        await handOverFiles(page, "drop", [...Object.keys(videos), PICTURE].map((name) => join(scratch, name)));
        const events = await waitForBatches(page, 1);
        expect(page.errors).toEqual([]);

        const byName = indexResults(hashedDetails(events)) as Map<string, VideoRecord>;
        for (const [name, bytes] of Object.entries(videos)) {
          const detail = byName.get(name);
          expect(detail, name).toBeDefined();
          expect(Object.keys(detail!).sort(), name).toEqual(["md5", "name", "size", "type"]);
          expect(detail, name).toMatchObject({ name, size: bytes.length, md5: nodeMd5(bytes) });
        }
        const picture = corpusExpectations().find((want) => want.file === PICTURE)!;
        expect(byName.get(PICTURE)).toMatchObject({ pdq: picture.pdq, quality: picture.quality });

        // The list shows each video's MD5 like a hash, and the results property agrees with the events.
        const cells = await md5Cells(page);
        for (const [name, bytes] of Object.entries(videos)) expect(cells[name], name).toBe(nodeMd5(bytes));
        expect(cells[PICTURE]).toBeNull();
        expect(indexResults(await readResults(page))).toEqual(byName);

        // What "Save for sharing services" writes: exchange records that read back, with no names in them.
        const exported = await page.evaluate(() => {
          const hasher = document.querySelector("ncii-hasher")!;
          const button = hasher.shadowRoot!.querySelector<HTMLButtonElement>('[part~="export-signals-button"]')!;
          return { records: JSON.parse(JSON.stringify(hasher.signals())) as unknown[], enabled: !button.disabled };
        }, null);
        expect(exported.enabled).toBe(true);
        const lines = exported.records.map((record) => JSON.stringify(record));
        const parsed: SignalRecord[] = [];
        for await (const record of parseSignals(lines, "jsonl")) parsed.push(record);
        expect(new Set(parsed.map((record) => JSON.stringify(record)))).toEqual(
          new Set([
            ...Object.values(videos).map((bytes) => JSON.stringify({ signalType: "VideoMD5", hashValue: nodeMd5(bytes) })),
            JSON.stringify({ signalType: "ImagePDQ", hashValue: picture.pdq, quality: picture.quality, resize: "full" }),
          ]),
        );
        for (const name of [...Object.keys(videos), PICTURE]) expect(lines.join("\n")).not.toContain(name);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
