/**
 * The browser's own decoders (libjpeg-turbo and libwebp in WebAssembly, our PNG and GIF readers) against sharp, in
 * Node: the same pixels or the same error code for every fixture picture, every GIF and WebP variant, every JPEG variant (all subsamplings, progressive,
 * arithmetic, restart intervals, grey, CMYK, odd sizes down to 1 x 1, progressive scans that leave coefficients
 * unsent), every EXIF orientation and the bad-input set.
 * What runs in browsers is exactly this code, so a browser's hash can only differ from the CLI's if this fails.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp, { type WebpOptions } from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeOwn, hasOwnDecoder } from "../src/decode/own-decoders.js";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { checkImageHeader } from "../src/decode/check-header.js";
import { sniffFormat } from "../src/decode/sniff.js";
import type { DecodedImage, DecodeOptions } from "../src/decode/types.js";
import { HashError } from "../src/errors.js";
import { DEFAULT_HASH_OPTIONS } from "../src/options.js";
import { writeBadInputCorpus, type BadInputCase } from "./support/bad-inputs.js";
import { FIXTURES } from "./support/fixtures.js";

type Outcome = { ok: true; image: DecodedImage } | { ok: false; code: string; message: string };

async function outcome(decode: () => Promise<DecodedImage>): Promise<Outcome> {
  try {
    return { ok: true, image: await decode() };
  } catch (error) {
    if (!(error instanceof HashError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

function ownOutcome(bytes: Uint8Array, options: DecodeOptions): Promise<Outcome> {
  return outcome(async () => {
    const { format } = checkImageHeader(bytes, options);
    const decoded = hasOwnDecoder(format) ? await decodeOwn(bytes, format, options) : undefined;
    if (decoded === undefined) throw new Error(`not decoded here: ${format}`);
    return decoded;
  });
}

function pictureFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => {
      const format = sniffFormat(readFileSync(path).subarray(0, 64));
      return format !== undefined && hasOwnDecoder(format);
    })
    .sort();
}

/** The samples PDQ reads: alpha, which the kernel ignores, left out. */
function colour(image: DecodedImage): { data: Uint8Array; channels: number } {
  const { data, channels } = image;
  if (channels === 1 || channels === 3) return { data: Uint8Array.from(data), channels };
  const kept = channels - 1;
  const out = new Uint8Array((data.length / channels) * kept);
  for (let i = 0, o = 0; i < data.length; i += channels) for (let c = 0; c < kept; c++) out[o++] = data[i + c]!;
  return { data: out, channels: kept };
}

function sameColour(a: DecodedImage, b: DecodedImage): boolean {
  const [x, y] = [colour(a), colour(b)];
  return a.width === b.width && a.height === b.height && x.channels === y.channels && Buffer.compare(x.data, y.data) === 0;
}

describe.each([
  { orientation: "apply" as const, maxPixels: DEFAULT_HASH_OPTIONS.maxPixels },
  { orientation: "ignore" as const, maxPixels: DEFAULT_HASH_OPTIONS.maxPixels },
])("own decoders = sharp, orientation $orientation", (options) => {
  const files = ["corpus", "pdq-vectors", "jpeg-variants", "gif-variants"].flatMap((dir) => pictureFiles(join(FIXTURES, dir)));

  it(`gives sharp's pixels for all ${files.length} fixture JPEGs, PNGs and GIFs`, { tags: ["slow"] }, async () => {
    expect(files.length).toBeGreaterThan(520);
    const mismatches: string[] = [];
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const [ours, theirs] = [await ownOutcome(bytes, options), await outcome(() => sharpDecoder.decode(bytes, options))];
      if (!ours.ok || !theirs.ok) {
        if (ours.ok !== theirs.ok || (!ours.ok && !theirs.ok && ours.code !== theirs.code)) mismatches.push(`${file}: ${JSON.stringify([ours, theirs])}`);
        continue;
      }
      if (sameColour(ours.image, theirs.image)) continue;
      mismatches.push(`${file}: ${ours.image.width}x${ours.image.height}x${ours.image.channels} vs ${theirs.image.width}x${theirs.image.height}x${theirs.image.channels}`);
    }
    expect(mismatches).toEqual([]);
  });
});

/**
 * WebPs as encoders write them: lossy at several qualities (with and without sharp's smart chroma subsampling),
 * lossless and near-lossless, with alpha (lossy and lossless), odd sizes down to 1 x 1.
 */
async function writeWebpVariants(dir: string): Promise<string[]> {
  const files: string[] = [];
  const sources = ["skimage-astronaut.png", "opencv-baboon.png", "skimage-camera.png"];
  const sizes = [[1, 1], [3, 2], [17, 33], [97, 61], [256, 171]] as const;
  const encodings: Record<string, WebpOptions> = {
    q20: { quality: 20 },
    q75: { quality: 75 },
    q100: { quality: 100 },
    smart: { quality: 80, smartSubsample: true },
    lossless: { lossless: true },
    near: { nearLossless: true, quality: 60 },
  };
  for (const source of sources) {
    for (const [width, height] of sizes) {
      const picture = sharp(join(FIXTURES, "corpus", source)).resize(width, height, { fit: "fill" });
      for (const [name, options] of Object.entries(encodings)) {
        const file = join(dir, `${source}-${width}x${height}-${name}.webp`);
        await picture.clone().webp(options).toFile(file);
        files.push(file);
      }
      // A gradient alpha over the photo: the colour under every alpha level must survive as sharp reads it.
      const alpha = Buffer.from(Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 256));
      for (const [name, options] of Object.entries({ alpha: { quality: 70, alphaQuality: 50 }, "alpha-lossless": { lossless: true } })) {
        const file = join(dir, `${source}-${width}x${height}-${name}.webp`);
        await picture.clone().removeAlpha().joinChannel(alpha, { raw: { width, height, channels: 1 } }).webp(options).toFile(file);
        files.push(file);
      }
    }
  }
  return files;
}

describe("own WebP decoder = sharp", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ncii-webp-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives sharp's pixels for lossy, lossless and alpha WebPs of every size", async () => {
    const files = await writeWebpVariants(dir);
    const options = { orientation: "apply" as const, maxPixels: DEFAULT_HASH_OPTIONS.maxPixels };
    const mismatches: string[] = [];
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      const [ours, theirs] = [await ownOutcome(bytes, options), await outcome(() => sharpDecoder.decode(bytes, options))];
      if (!(ours.ok && theirs.ok && sameColour(ours.image, theirs.image))) mismatches.push(file);
    }
    expect(files.length).toBe(120);
    expect(mismatches).toEqual([]);
  });
});

describe("own decoders on bad and odd inputs", () => {
  let dir: string;
  let cases: BadInputCase[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ncii-own-"));
    cases = await writeBadInputCorpus(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ends every JPEG, PNG, WebP and GIF case as sharp does: same pixels, or the same code and message", async () => {
    const options = { orientation: "apply" as const, maxPixels: DEFAULT_HASH_OPTIONS.maxPixels };
    let compared = 0;
    const mismatches: string[] = [];
    for (const { file } of cases) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)));
      const format = bytes.length > 0 ? sniffFormat(bytes) : undefined;
      if (format === undefined || !hasOwnDecoder(format)) continue;
      compared++;
      const [ours, theirs] = [await ownOutcome(bytes, options), await outcome(() => sharpDecoder.decode(bytes, options))];
      const same = ours.ok && theirs.ok ? sameColour(ours.image, theirs.image) : JSON.stringify(ours) === JSON.stringify(theirs);
      if (!same) mismatches.push(`${file}: ${JSON.stringify(ours.ok ? "pixels" : ours)} vs ${JSON.stringify(theirs.ok ? "pixels" : theirs)}`);
    }
    expect(compared).toBeGreaterThan(10);
    expect(mismatches).toEqual([]);
  });
});
