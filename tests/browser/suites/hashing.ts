/** Pictures handed to the component in every way a person can give the same hashes as the Node path. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hammingDistance } from "../../../src/hash/pdq-hash.js";
import type { TestPage } from "../support/browser-under-test.js";
import {
  askForFileDetails,
  doneDetails,
  handOverFiles,
  hashedDetails,
  indexResults,
  pickFiles,
  pickFolder,
  readResults,
  readRows,
  recordEvents,
  waitForBatches,
  waitInPage,
  type ResultRecord,
} from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, VECTORS_DIR, corpusExpectations, type ExpectedHash } from "../support/fixtures.js";

/** Different JPEG decoders (libjpeg-turbo builds, IDCT choices) may move a hash by a bit or two. */
const JPEG_MAX_BITS = 2;
const TEST_TIMEOUT_MS = 180_000;

/** Names every picture whose hash or quality is off, so a failure says which file, not how many. */
export function hashMismatches(
  expected: readonly ExpectedHash[],
  actual: ReadonlyMap<string, ResultRecord>,
): string[] {
  const problems: string[] = [];
  for (const want of expected) {
    const got = actual.get(want.file);
    if (got?.pdq === undefined) {
      problems.push(`${want.file}: no hash (${JSON.stringify(got?.error ?? "no result")})`);
      continue;
    }
    const bits = hammingDistance(want.pdq, got.pdq);
    if (bits > (want.lossy ? JPEG_MAX_BITS : 0)) problems.push(`${want.file}: ${bits} bits off (${got.pdq})`);
    if (!want.lossy && got.quality !== want.quality) problems.push(`${want.file}: quality ${got.quality}, want ${want.quality}`);
  }
  return problems;
}

async function openDemo(env: BrowserEnvironment): Promise<TestPage> {
  const page = await env.browser.newPage();
  await page.goto(`${env.site.origin}/`);
  await recordEvents(page);
  await askForFileDetails(page);
  return page;
}

export function hashingSuite(env: BrowserEnvironment): void {
  describe("hashing", () => {
    const expected = corpusExpectations();
    const scratch = mkdtempSync(join(tmpdir(), "ncii-browser-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("picking the corpus gives the Node hashes, in the events, the results and the list", async () => {
      const page = await openDemo(env);
      try {
        await pickFiles(page, expected.map((want) => join(CORPUS_DIR, want.file)));
        const events = await waitForBatches(page, 1);
        expect(page.errors).toEqual([]);

        const hashed = hashedDetails(events);
        expect(hashed).toHaveLength(expected.length);
        const byName = indexResults(hashed);
        expect(hashMismatches(expected, byName)).toEqual([]);
        for (const want of expected) {
          const detail = byName.get(want.file)!;
          expect(detail).toMatchObject({
            name: want.file,
            size: want.size,
            type: want.lossy ? "image/jpeg" : "image/png",
            width: want.width,
            height: want.height,
          });
        }

        const [done] = doneDetails(events);
        expect(done!.cancelled).toBe(false);
        // `results` and the done event list the files in the order they were added, with the same details.
        const results = await readResults(page);
        expect(results.map((result) => result.name)).toEqual(expected.map((want) => want.file));
        expect(done!.results).toEqual(results);
        expect(results).toEqual(expected.map((want) => byName.get(want.file)));

        const rows = await readRows(page);
        expect(rows.map((row) => [row.name, row.status, row.pdq])).toEqual(
          expected.map((want) => [want.file, "hashed", byName.get(want.file)!.pdq]),
        );
        for (const row of rows) {
          const lowQuality = byName.get(row.name)!.quality! < 50;
          expect(row.warning, row.name).toBe(lowQuality ? "This picture is too plain to fingerprint reliably." : null);
        }
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("dropping and pasting pictures give the same hashes as picking them", async () => {
      const page = await openDemo(env);
      try {
        const dropped = expected.filter((want) => /aero3|butterfly|grace_hopper/.test(want.file));
        const pasted = expected.filter((want) => /skimage-coffee\.png/.test(want.file));
        await handOverFiles(page, "drop", dropped.map((want) => join(CORPUS_DIR, want.file)));
        await waitForBatches(page, 1);
        await handOverFiles(page, "paste", pasted.map((want) => join(CORPUS_DIR, want.file)));
        await waitForBatches(page, 2);
        const results = await readResults(page);
        const byName = indexResults(results);
        expect(results).toHaveLength(dropped.length + pasted.length);
        expect(hashMismatches([...dropped, ...pasted], byName)).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("resize=512 and dihedral give the reference CLI's hashes and all eight variants", async () => {
      const dihedral = new Map(
        readFileSync(join(CORPUS_DIR, "expected-dihedral.tsv"), "utf8").trim().split("\n").slice(1)
          .map((line) => line.split("\t")).map((cells) => [cells[0]!, cells.slice(1, 9)]),
      );
      const chosen = expected.filter((want) => /aloeL|graf1\.png|coffee|wide-4000|astronaut\.png/.test(want.file));
      const page = await openDemo(env);
      try {
        await page.evaluate(() => {
          const hasher = document.querySelector("ncii-hasher")!;
          hasher.setAttribute("resize", "512");
          hasher.setAttribute("dihedral", "");
        }, null);
        await pickFiles(page, chosen.map((want) => join(CORPUS_DIR, want.file)));
        await waitForBatches(page, 1);
        const results = await readResults(page);
        expect(results.map((result) => [result.name, result.dihedral])).toEqual(
          chosen.map((want) => [want.file, dihedral.get(want.file)]),
        );
        expect(results.map((result) => result.pdq)).toEqual(chosen.map((want) => dihedral.get(want.file)![0]));
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("orientation=ignore hashes the stored grid, as the reference does; the default applies EXIF", async () => {
      const photo = join(VECTORS_DIR, "reg-test-input/exif-rotn/exif-rotn-6.jpg");
      const reference = readFileSync(join(VECTORS_DIR, "reference-fullres.tsv"), "utf8")
        .split("\n").find((line) => line.startsWith("reg-test-input/exif-rotn/exif-rotn-6.jpg\t"))!.split("\t");
      const page = await openDemo(env);
      try {
        await pickFiles(page, [photo]);
        await waitForBatches(page, 1);
        await page.evaluate(() => {
          const hasher = document.querySelector("ncii-hasher")!;
          hasher.orientation = "ignore";
        }, null);
        await pickFiles(page, [photo]);
        await waitForBatches(page, 2);
        const [applied, stored] = await readResults(page);
        expect([applied!.width, applied!.height]).toEqual([3024, 4032]);
        expect([stored!.width, stored!.height]).toEqual([4032, 3024]);
        expect(hammingDistance(stored!.pdq!, reference[1]!)).toBeLessThanOrEqual(JPEG_MAX_BITS);
        expect(hammingDistance(applied!.pdq!, reference[1]!)).toBeGreaterThan(31);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("Clear during a batch forgets it; files added right after are fingerprinted, not cancelled", async () => {
      const page = await openDemo(env);
      try {
        await page.evaluate(() => {
          document.querySelector("ncii-hasher")!.workers = 1;
        }, null);
        await pickFiles(page, expected.map((want) => join(CORPUS_DIR, want.file)));
        await waitInPage(
          page,
          () => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[data-status="hashed"]') !== null,
          "the first result",
        );
        const focused = await page.evaluate(() => {
          const root = document.querySelector("ncii-hasher")!.shadowRoot!;
          root.querySelector<HTMLButtonElement>('[part~="clear-button"]')!.click();
          return new Promise<string>((resolve) =>
            setTimeout(() => resolve(root.activeElement?.getAttribute("part") ?? "nothing"), 100),
          );
        }, null);
        // The Clear button is gone with the list; the focus moves to where a person starts again.
        expect(focused).toContain("pick-button");
        const next = expected.filter((want) => /home\.png|orange/.test(want.file));
        await pickFiles(page, next.map((want) => join(CORPUS_DIR, want.file)));
        const events = await waitForBatches(page, 2);
        expect(doneDetails(events).map((done) => done.cancelled)).toEqual([true, false]);
        const rows = await readRows(page);
        expect(rows.map((row) => [row.name, row.status])).toEqual(next.map((want) => [want.file, "hashed"]));
        expect(hashMismatches(next, indexResults(await readResults(page)))).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("a picked folder is walked; files in it that are not pictures are left out with a notice", async () => {
      const folder = join(scratch, "holiday");
      mkdirSync(join(folder, "day 2"), { recursive: true });
      const inFolder = expected.filter((want) => /board\.png|home\.png/.test(want.file));
      copyFileSync(join(CORPUS_DIR, inFolder[0]!.file), join(folder, inFolder[0]!.file));
      copyFileSync(join(CORPUS_DIR, inFolder[1]!.file), join(folder, "day 2", inFolder[1]!.file));
      writeFileSync(join(folder, "notes.txt"), "not a picture\n");
      const page = await openDemo(env);
      try {
        await pickFolder(page, folder);
        await waitForBatches(page, 1);
        const rows = await readRows(page);
        expect(rows.map((row) => row.name).sort()).toEqual(
          [`holiday/${inFolder[0]!.file}`, `holiday/day 2/${inFolder[1]!.file}`].sort(),
        );
        const results = await readResults(page);
        const byFile = indexResults(results, (name) => name.split("/").pop()!);
        expect(hashMismatches(inFolder, byFile)).toEqual([]);
        const notice = await page.evaluate(
          () => document.querySelector("ncii-hasher")!.shadowRoot!.querySelector('[part~="notice"]')?.textContent ?? "",
          null,
        );
        expect(notice).toContain("1 file in the folder is not a picture");
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
