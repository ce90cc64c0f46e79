/**
 * One fixture set, three result lists that must be identical file for file: `<ncii-hasher>` in Chromium, in
 * Firefox ESR, and the Node CLI. The set is the corpus, the generated bad and odd inputs, the reference's
 * colour-mode samples, noise under transparency and wide-gamut (ICC) pictures: where engines differ most (alpha,
 * 16-bit samples, EXIF orientation, palettes, colour management, animation).
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { writeBadInputCorpus } from "../support/bad-inputs.js";
import { writeNoisyTransparentPictures } from "./suites/odd-inputs.js";
import type { BrowserUnderTest } from "./support/browser-under-test.js";
import { launchChromium } from "./support/chromium.js";
import { pickFiles, readResults, recordEvents, waitForBatches, type ResultRecord } from "./support/component-page.js";
import { STRICT_CSP } from "./support/csp.js";
import { launchFirefox } from "./support/firefox.js";
import { CORPUS_DIR, DIST_DIR, corpusExpectations } from "./support/fixtures.js";
import { startStaticServer } from "./support/static-server.js";

const CLI = fileURLToPath(new URL("../../bin/ncii-hash.js", import.meta.url));
const MODES_DIR = fileURLToPath(new URL("../fixtures/pdq-vectors/misc-images/modes/", import.meta.url));
/** Two browser launches (one may install its browser first) and three hashings of ~80 files. */
const TEST_TIMEOUT_MS = 900_000;

/** One file's outcome as one comparable line: its hash, quality and size, or its error code. */
function outcome(result: { pdq?: string; quality?: number; width?: number; height?: number; error?: { code: string } }): string {
  return result.error ? `error ${result.error.code}` : `${result.pdq} q${result.quality} ${result.width}x${result.height}`;
}

/** The fixture set, as files in one folder (names are unique across its sources). */
async function writeFixtureSet(folder: string): Promise<string[]> {
  const names: string[] = [];
  for (const { file } of corpusExpectations()) {
    copyFileSync(join(CORPUS_DIR, file), join(folder, file));
    names.push(file);
  }
  names.push(...(await writeBadInputCorpus(folder)).map((spec) => spec.file));
  for (const file of readdirSync(MODES_DIR).filter((name) => name !== "README.md")) {
    copyFileSync(join(MODES_DIR, file), join(folder, `modes-${file}`));
    names.push(`modes-${file}`);
  }
  names.push(...(await writeNoisyTransparentPictures(folder)));
  names.push(...(await writeWideGamutPictures(folder)));
  if (new Set(names).size !== names.length) throw new Error("two fixtures share a file name");
  return names.map((name) => join(folder, name));
}

/**
 * Pictures carrying a Display P3 ICC profile: the stored samples are hashed, never colour-managed, so a browser that
 * applied the profile (or its display's) would give different pixels here.
 */
async function writeWideGamutPictures(folder: string): Promise<string[]> {
  const photo = sharp(join(CORPUS_DIR, "skimage-coffee.png")).withIccProfile("p3");
  await photo.clone().png().toFile(join(folder, "coffee-p3.png"));
  await photo.clone().jpeg({ quality: 90 }).toFile(join(folder, "coffee-p3.jpg"));
  for (const file of ["coffee-p3.png", "coffee-p3.jpg"]) {
    if (!(await sharp(join(folder, file)).metadata()).icc) throw new Error(`${file} lost its ICC profile`);
  }
  return ["coffee-p3.png", "coffee-p3.jpg"];
}

async function hashInBrowser(launch: () => Promise<BrowserUnderTest>, paths: string[]): Promise<Map<string, string>> {
  const site = await startStaticServer({ root: DIST_DIR, headers: { "Content-Security-Policy": STRICT_CSP } });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    await recordEvents(page);
    await pickFiles(page, paths);
    await waitForBatches(page, 1);
    const results: ResultRecord[] = await readResults(page);
    await page.close();
    return new Map(results.map((result) => [result.name, outcome(result)]));
  } finally {
    await browser.close();
    await site.close();
  }
}

async function hashWithCli(paths: string[]): Promise<Map<string, string>> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [CLI, ...paths], { maxBuffer: 16 * 1024 * 1024 }, (error, out, err) => {
      // Exit status 1 means some files failed, which this set includes on purpose; anything else is a CLI fault.
      if (error && error.code !== 1) reject(new Error(`ncii-hash exited with ${error.code}: ${err}`));
      else resolve(out);
    });
  });
  const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as { path: string; error?: { code: string } });
  return new Map(lines.map((line) => [basename(line.path), outcome(line)]));
}

/** Lines "file: <A> | <B>" for every file whose outcomes differ between two lists. */
function disagreements(a: Map<string, string>, b: Map<string, string>, files: readonly string[]): string[] {
  return files.flatMap((file) => (a.get(file) === b.get(file) ? [] : [`${file}: ${a.get(file)} | ${b.get(file)}`]));
}

describe("Chromium, Firefox ESR and the Node CLI", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ncii-engines-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("give identical result lists for the same fixture set", async () => {
    const paths = await writeFixtureSet(scratch);
    const files = paths.map((path) => basename(path));
    const cli = await hashWithCli(paths);
    const chromium = await hashInBrowser(launchChromium, paths);
    const firefox = await hashInBrowser(launchFirefox, paths);
    expect([...cli.keys()].sort()).toEqual([...files].sort());
    // Both kinds of outcome are in the set, so agreement covers hashes and error codes alike.
    expect([...cli.values()].some((line) => line.startsWith("error "))).toBe(true);
    expect([...cli.values()].filter((line) => !line.startsWith("error ")).length).toBeGreaterThan(50);
    expect(disagreements(cli, chromium, files), "CLI | Chromium").toEqual([]);
    expect(disagreements(cli, firefox, files), "CLI | Firefox ESR").toEqual([]);
  }, TEST_TIMEOUT_MS);
});
