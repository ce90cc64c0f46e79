/**
 * The generated bad and odd inputs (tests/support/bad-inputs.ts: alpha, palette, 16-bit, grey, GIF, WebP, AVIF,
 * HEIC, EXIF orientations, tiny and huge sizes, cut-off and fake files), the reference's colour-mode samples and
 * noise under transparency give the browser the same hash or the same error code as the Node library.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { toErrorInfo } from "../../../src/errors.js";
import { hammingDistance } from "../../../src/hash/pdq-hash.js";
import { hashFile } from "../../../entries/node.js";
import { writeBadInputCorpus } from "../../support/bad-inputs.js";
import { indexResults, pickFiles, readResults, recordEvents, waitForBatches, type ResultRecord } from "../support/component-page.js";
import type { BrowserEnvironment } from "../support/environment.js";

const TEST_TIMEOUT_MS = 180_000;
const MODES_DIR = fileURLToPath(new URL("../../fixtures/pdq-vectors/misc-images/modes/", import.meta.url));
/** Lossy formats carry the decoder's IDCT rounding, which differs a little between libjpeg builds and libwebp/dav1d. */
const LOSSY = /\.(jpe?g|avif)$|^photo\.webp$/;
const LOSSY_MAX_BITS = 2;

/**
 * Noise under transparent pixels: where stored colour is lost (premultiplied canvases) or grey is read as RGB,
 * hashes of noise move at once, unlike those of the smooth photos above.
 */
export async function writeNoisyTransparentPictures(folder: string): Promise<string[]> {
  const side = 256;
  const noise = (seed: number) => (i: number) => (Math.imul(i + seed, 2654435761) >>> 24) & 255;
  const transparentLeft = (i: number) => ((i % side) < side / 2 ? 0 : (i % side) < (3 * side) / 4 ? i % 251 : 255);
  const grey = Buffer.alloc(side * side * 2);
  const rgba = Buffer.alloc(side * side * 4);
  for (let i = 0; i < side * side; i++) {
    grey[i * 2] = noise(1)(i);
    grey[i * 2 + 1] = transparentLeft(i);
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = noise(c + 2)(i);
    rgba[i * 4 + 3] = transparentLeft(i);
  }
  await sharp(grey, { raw: { width: side, height: side, channels: 2 } }).png().toFile(join(folder, "noise-grey-alpha.png"));
  await sharp(rgba, { raw: { width: side, height: side, channels: 4 } }).png().toFile(join(folder, "noise-rgb-alpha.png"));
  await sharp(rgba, { raw: { width: side, height: side, channels: 4 } }).webp({ lossless: true, exact: true }).toFile(join(folder, "noise-rgb-alpha.webp"));
  return ["noise-grey-alpha.png", "noise-rgb-alpha.png", "noise-rgb-alpha.webp"];
}

async function nodeResult(folder: string, file: string): Promise<ResultRecord> {
  try {
    const hash = await hashFile(join(folder, file));
    return { name: file, pdq: hash.pdq, quality: hash.quality, width: hash.width, height: hash.height };
  } catch (error) {
    return { name: file, error: toErrorInfo(error) };
  }
}

/** Everything that differs between the two results of one file, as sentences naming it. */
function differences(file: string, browser: ResultRecord | undefined, node: ResultRecord): string[] {
  if (!browser) return [`${file}: no browser result`];
  if (node.error || browser.error) {
    return browser.error?.code === node.error?.code
      ? []
      : [`${file}: browser ${JSON.stringify(browser.error ?? browser.pdq)}, Node ${JSON.stringify(node.error ?? node.pdq)}`];
  }
  const problems: string[] = [];
  const allowed = LOSSY.test(file) ? LOSSY_MAX_BITS : 0;
  const bits = hammingDistance(browser.pdq!, node.pdq!);
  if (bits > allowed) problems.push(`${file}: ${bits} bits from Node (at most ${allowed})`);
  if (allowed === 0 && browser.quality !== node.quality) problems.push(`${file}: quality ${browser.quality}, Node ${node.quality}`);
  if (browser.width !== node.width || browser.height !== node.height) {
    problems.push(`${file}: ${browser.width}x${browser.height}, Node ${node.width}x${node.height}`);
  }
  return problems;
}

export function oddInputsSuite(env: BrowserEnvironment): void {
  describe("bad and odd inputs", () => {
    const scratch = mkdtempSync(join(tmpdir(), "ncii-odd-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("each gives the browser the Node library's hash or error code", async () => {
      const cases = await writeBadInputCorpus(scratch);
      // Plus the reference's colour-mode samples (1-bit, grey, palette, CMYK, YCbCr, alpha).
      const modes = readdirSync(MODES_DIR).filter((file) => file !== "README.md");
      for (const file of modes) copyFileSync(join(MODES_DIR, file), join(scratch, `modes-${file}`));
      const noisy = await writeNoisyTransparentPictures(scratch);
      const files = [...cases.map((spec) => spec.file), ...modes.map((file) => `modes-${file}`), ...noisy];
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await recordEvents(page);
        await pickFiles(page, files.map((file) => join(scratch, file)));
        await waitForBatches(page, 1);
        const browser = indexResults(await readResults(page));
        // One at a time: libvips keeps one error buffer per process, so concurrent failures can swap messages
        // (seen with the HEIC case), and the Node side's error code is read from that message.
        const node: ResultRecord[] = [];
        for (const file of files) node.push(await nodeResult(scratch, file));
        expect(node.flatMap((result) => differences(result.name, browser.get(result.name), result))).toEqual([]);
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("refuses files larger than max-bytes from their size (file-too-large), and hashes the rest", async () => {
      const small = join(scratch, "small.png");
      const large = join(scratch, "large.png");
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#336699" } }).png().toFile(small);
      await sharp({ create: { width: 160, height: 160, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 60 } } }).png().toFile(large);
      expect([statSync(small).size, statSync(large).size].map((size) => size > 20_000)).toEqual([false, true]);
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        await page.evaluate(() => document.querySelector("ncii-hasher")!.setAttribute("max-bytes", "20000"), null);
        await recordEvents(page);
        await pickFiles(page, [small, large]);
        await waitForBatches(page, 1);
        const results = indexResults(await readResults(page));
        expect(results.get("small.png")?.pdq).toMatch(/^[0-9a-f]{64}$/);
        expect(results.get("large.png")?.error?.code).toBe("file-too-large");
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
