/**
 * What the cross-engine tests share: one fixture set (the corpus, the generated bad and odd inputs, the reference's
 * colour-mode samples, the HEIC fixtures, noise under transparency, wide-gamut pictures), the Node CLI's result for each file, the
 * component's result for each file in a browser, and the comparison of the two as one line per file.
 */
import { execFile } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { hasOwnDecoder } from "../../../src/decode/own-decoders.js";
import { sniffFormat } from "../../../src/decode/sniff.js";
import { writeBadInputCorpus } from "../../support/bad-inputs.js";
import { writeNoisyTransparentPictures } from "../suites/odd-inputs.js";
import type { BrowserUnderTest } from "./browser-under-test.js";
import { pickFiles, readResults, recordEvents, waitForBatches, type ResultRecord } from "./component-page.js";
import { STRICT_CSP } from "../../../scripts/csp.js";
import { CORPUS_DIR, DIST_DIR, corpusExpectations } from "./fixtures.js";
import { startStaticServer } from "./static-server.js";

const CLI = fileURLToPath(new URL("../../../bin/ncii-hash.cjs", import.meta.url));
const MODES_DIR = fileURLToPath(new URL("../../fixtures/pdq-vectors/misc-images/modes/", import.meta.url));
const HEIC_DIR = fileURLToPath(new URL("../../fixtures/heic/", import.meta.url));

/** One file's outcome as one comparable line: its hash, quality and size, or its error code. */
export function outcome(result: { pdq?: string; quality?: number; width?: number; height?: number; error?: { code: string } }): string {
  return result.error ? `error ${result.error.code}` : `${result.pdq} q${result.quality} ${result.width}x${result.height}`;
}

/** The fixture set, as files in one folder (names are unique across its sources). */
export async function writeFixtureSet(folder: string): Promise<string[]> {
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
  // iPhone-style HEIC: 4:2:0, 4:4:4, grey, 10-bit, alpha, grid-coded odd sizes, irot/imir, a thumbnail, a cut-off file.
  for (const file of readdirSync(HEIC_DIR).filter((name) => name.endsWith(".heic"))) {
    copyFileSync(join(HEIC_DIR, file), join(folder, file));
    names.push(file);
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

/** Whether the browser's own decoder reads this file (AVIF, HEIC, TIFF, BMP, animated WebP), not ours. */
export function decodedByBrowser(path: string): boolean {
  const bytes = new Uint8Array(readFileSync(path));
  const format = bytes.length > 0 ? sniffFormat(bytes) : undefined;
  if (format === undefined) return false;
  // VP8X's flags byte, bit 1: an animation, which the worker leaves to the browser.
  if (format === "webp") return String.fromCharCode(...bytes.subarray(12, 16)) === "VP8X" && (bytes[20]! & 0x02) !== 0;
  return !hasOwnDecoder(format);
}

export interface BrowserRun {
  launch: () => Promise<BrowserUnderTest>;
  /** Response headers of the page and its assets; the strict CSP by default. */
  headers?: Record<string, string>;
}

/** The component's result for each file (by name), picked in one batch on the demo page. */
export async function hashInBrowser({ launch, headers }: BrowserRun, paths: string[]): Promise<Map<string, string>> {
  const site = await startStaticServer({ root: DIST_DIR, headers: headers ?? { "Content-Security-Policy": STRICT_CSP } });
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

/** The `ncii-hash` CLI's result for each file (by name). */
export async function hashWithCli(paths: string[]): Promise<Map<string, string>> {
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
export function disagreements(a: Map<string, string>, b: Map<string, string>, files: readonly string[]): string[] {
  return files.flatMap((file) => (a.get(file) === b.get(file) ? [] : [`${file}: ${a.get(file)} | ${b.get(file)}`]));
}
