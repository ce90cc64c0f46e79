/**
 * `resize: "fast"`: JPEGs decoded at libjpeg's reduced DCT scale (through sharp's shrink-on-load), then hashed
 * exactly as in full mode. Pinned here: what it costs in bits against the reference, that the decode really is
 * reduced (and by libjpeg, not by resampling a full decode), that everything else falls back to full mode's exact
 * hash, and how the CLI labels its output.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { SHRINK_ON_LOAD_RESIZE, shrinkOnLoadSize } from "../src/decode/shrink-on-load.js";
import { loadEngine } from "../src/engine/index.js";
import type { KernelOptions, PdqEngine, PixelImage } from "../src/engine/types.js";
import { hammingDistance, PDQ_QUALITY_THRESHOLD } from "../src/hash/pdq-hash.js";
import { hashImageBytes } from "../src/hash-image.js";
import { hashBytes, hashPixels } from "../entries/node.js";
import { DEFAULT_MAX_PIXELS, FAST_MIN_SHORT_SIDE, resolveHashOptions, type OrientationPolicy } from "../src/options.js";
import { assertCliBuilt, byPath, jsonLines, runCli } from "./support/cli.js";
import { CORPUS, readExpected, VECTORS } from "./support/fixtures.js";

/** 4032x3024, EXIF orientation 6: the one fixture large enough for fast mode to decode smaller. */
const EXIF_ROTATED = "reg-test-input/exif-rotn/exif-rotn-6.jpg";
/** The reference hashed its stored pixels (ImageMagick's `convert` does not apply EXIF orientation). */
const orientationFor = (file: string): OrientationPolicy => (file === EXIF_ROTATED ? "ignore" : "apply");

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1]!;

/** An engine that records what it was given, so a test can see the pixels fast mode hands to the kernel. */
function recordingEngine(engine: PdqEngine) {
  const seen: { width: number; height: number; options: KernelOptions }[] = [];
  const recording: PdqEngine = {
    kind: engine.kind,
    hash(image: PixelImage, options: KernelOptions) {
      seen.push({ width: image.width, height: image.height, options });
      return engine.hash(image, options);
    },
  };
  return { recording, seen };
}

/** A photo-sized JPEG from a fixture PNG, with a little noise so it compresses like a camera's, not a smooth upscale. */
async function photoSizedJpeg(png: string, width: number, height: number, colourspace: "srgb" | "cmyk" = "srgb"): Promise<Uint8Array> {
  const { data, info } = await sharp(CORPUS + png).resize(width, height, { fit: "cover" }).raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + ((Math.imul(i, 2654435761) >>> 0) % 9) - 4));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .toColourspace(colourspace)
    .jpeg({ quality: 90 })
    .toBuffer();
}

let engine: PdqEngine;
let photos: { name: string; bytes: Uint8Array }[];

beforeAll(async () => {
  engine = await loadEngine("wasm");
  photos = [
    { name: "astronaut 2048x1536", bytes: await photoSizedJpeg("skimage-astronaut.png", 2048, 1536) },
    { name: "starry night 1536x2048", bytes: await photoSizedJpeg("opencv-starry_night.png", 1536, 2048) },
    { name: "motorcycle 4000x3000", bytes: await photoSizedJpeg("skimage-motorcycle_left.png", 4000, 3000) },
  ];
});

describe("sizing", () => {
  it("picks the smallest DCT scale whose decode keeps the shorter side at the floor", () => {
    expect(shrinkOnLoadSize(2047, 1535, 512)).toBeUndefined();
    expect(shrinkOnLoadSize(2048, 1536, 512)).toEqual({ scale: 2, width: 682, height: 512 });
    expect(shrinkOnLoadSize(4032, 3024, 512)).toEqual({ scale: 4, width: 806, height: 604 });
    expect(shrinkOnLoadSize(3024, 4032, 512)).toEqual({ scale: 4, width: 604, height: 806 });
    expect(shrinkOnLoadSize(8064, 6048, 512)).toEqual({ scale: 8, width: 896, height: 672 });
    // Only the shorter side counts: a panorama as tall as the floor is decoded in full.
    expect(shrinkOnLoadSize(20000, 1000, 512)).toBeUndefined();
  });
});

describe("the decode is reduced, by libjpeg", () => {
  it("the kernel sees at most a quarter of the pixels of a large JPEG, in full mode, and the size reported is the picture's", async () => {
    const bytes = readFileSync(VECTORS + EXIF_ROTATED);
    const { recording, seen } = recordingEngine(engine);
    const fast = await hashImageBytes(bytes, sharpDecoder, recording, resolveHashOptions({ resize: "fast" }));
    const full = await hashImageBytes(bytes, sharpDecoder, recording, resolveHashOptions({ resize: "full" }));
    const [fastInput, fullInput] = seen;
    expect(fastInput!.options).toEqual({ resize: "full", dihedral: false });
    expect(fastInput!.width * fastInput!.height).toBeLessThanOrEqual((fullInput!.width * fullInput!.height) / 4);
    expect(Math.min(fastInput!.width, fastInput!.height)).toBeGreaterThanOrEqual(FAST_MIN_SHORT_SIDE);
    expect({ width: fast.width, height: fast.height }).toEqual({ width: 3024, height: 4032 });
    expect({ width: full.width, height: full.height }).toEqual({ width: 3024, height: 4032 });
  });

  it("the pixels are libjpeg's 1/4-scale decode plus libvips' last small reduce, not a resampled full decode", async () => {
    const path = VECTORS + EXIF_ROTATED;
    const decoded = await sharpDecoder.decode(readFileSync(path), { orientation: "ignore", maxPixels: DEFAULT_MAX_PIXELS, minShortSide: FAST_MIN_SHORT_SIDE });
    expect(decoded.fullSize).toEqual({ width: 4032, height: 3024 });
    // libvips reads load options from a file name's brackets: this is jpegload's own DCT-scaled decode.
    const reducedBy = async (scale: number) => {
      const { data, info } = await sharp(`${path}[shrink=${scale}]`).raw().toBuffer({ resolveWithObject: true });
      const raw = { width: info.width, height: info.height, channels: info.channels };
      return sharp(data, { raw }).resize(decoded.width, decoded.height, SHRINK_ON_LOAD_RESIZE).raw().toBuffer();
    };
    const pixels = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    expect(pixels.equals(await reducedBy(4))).toBe(true);
    expect(pixels.equals(await reducedBy(2))).toBe(false);
  });
});

describe("bits from full resolution", () => {
  const fixtureJpegs = [
    ...readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => ({ ...row, path: CORPUS + row.file })),
    ...readExpected(`${VECTORS}reference-fullres.tsv`).map((row) => ({ ...row, path: VECTORS + row.file })),
  ].filter((row) => /\.jpe?g$/.test(row.file) && row.quality >= PDQ_QUALITY_THRESHOLD);

  it("fixture JPEGs (quality >= 50): median <= 6 and max <= 16 bits from the reference's full-resolution hash", async () => {
    expect(fixtureJpegs.length).toBeGreaterThan(30);
    const bits: number[] = [];
    for (const row of fixtureJpegs) {
      const { pdq } = await hashBytes(readFileSync(row.path), { resize: "fast", orientation: orientationFor(row.file) });
      bits.push(hammingDistance(pdq, row.pdq));
    }
    expect(median(bits)).toBeLessThanOrEqual(6);
    expect(Math.max(...bits)).toBeLessThanOrEqual(16);
    // The reduced one is held to the same bound on its own.
    expect(bits[fixtureJpegs.findIndex((row) => row.file === EXIF_ROTATED)]).toBeLessThanOrEqual(16);
  });

  it("photo-sized JPEGs made from fixtures, all decoded smaller: median <= 6 and max <= 16 bits from exact full mode", async () => {
    const bits: number[] = [];
    for (const photo of photos) {
      const decoded = await sharpDecoder.decode(photo.bytes, { orientation: "apply", maxPixels: DEFAULT_MAX_PIXELS, minShortSide: FAST_MIN_SHORT_SIDE });
      expect(decoded.fullSize, photo.name).toBeDefined();
      const [fast, full] = await Promise.all([hashBytes(photo.bytes, { resize: "fast" }), hashBytes(photo.bytes, { resize: "full" })]);
      expect(full.quality, photo.name).toBeGreaterThanOrEqual(PDQ_QUALITY_THRESHOLD);
      expect({ width: fast.width, height: fast.height }, photo.name).toEqual({ width: full.width, height: full.height });
      bits.push(hammingDistance(fast.pdq, full.pdq));
    }
    expect(median(bits)).toBeLessThanOrEqual(6);
    expect(Math.max(...bits)).toBeLessThanOrEqual(16);
  });
});

describe("everything else falls back to full mode's exact hash", () => {
  const nonJpegs = [
    ...readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => CORPUS + row.file),
    ...readExpected(`${VECTORS}reference-fullres.tsv`).map((row) => VECTORS + row.file),
  ].filter((path) => !/\.jpe?g$/.test(path));

  it("PNG, WebP: identical to full", async () => {
    expect(nonJpegs.length).toBeGreaterThan(30);
    for (const path of nonJpegs) {
      const bytes = readFileSync(path);
      const [fast, full] = await Promise.all([hashBytes(bytes, { resize: "fast", dihedral: true }), hashBytes(bytes, { resize: "full", dihedral: true })]);
      expect(fast, path).toEqual(full);
    }
  });

  it("a large CMYK JPEG (sharp cannot shrink it on load): identical to full", async () => {
    const cmyk = await photoSizedJpeg("skimage-coffee.png", 2048, 1536, "cmyk");
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");
    expect(await hashBytes(cmyk, { resize: "fast" })).toEqual(await hashBytes(cmyk, { resize: "full" }));
  });

  it("pixels handed over already decoded: identical to full", async () => {
    const image = await sharpDecoder.decode(photos[0]!.bytes, { orientation: "apply", maxPixels: DEFAULT_MAX_PIXELS });
    expect(await hashPixels(image, { resize: "fast" })).toEqual(await hashPixels(image, { resize: "full" }));
  });

  it("a cut-off large JPEG is still `truncated`", async () => {
    const bytes = photos[2]!.bytes;
    await expect(hashBytes(bytes.subarray(0, bytes.length >> 1), { resize: "fast" })).rejects.toMatchObject({ code: "truncated" });
  });
});

describe("CLI", { tags: ["e2e"] }, () => {
  let root: string;

  beforeAll(async () => {
    assertCliBuilt();
    root = await mkdtemp(join(tmpdir(), "ncii-fast-"));
    await writeFile(join(root, "large.jpg"), photos[0]!.bytes);
    await writeFile(join(root, "small.png"), readFileSync(CORPUS + "skimage-astronaut.png"));
    await writeFile(join(root, "notes.jpg"), "not a picture\n");
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('--resize fast: hash lines gain "resize": "fast" and equal the library, in workers and in this thread', async () => {
    const library = await hashBytes(photos[0]!.bytes, { resize: "fast" });
    for (const workers of ["1", "0"]) {
      const run = await runCli(["--resize", "fast", "--workers", workers, "large.jpg", "small.png", "notes.jpg"], { cwd: root });
      expect(run.code).toBe(1);
      const lines = byPath(jsonLines(run.stdout));
      const large = lines.get("large.jpg")!;
      expect(Object.keys(large)).toEqual(["path", "pdq", "quality", "width", "height", "resize"]);
      expect(large).toEqual({ path: "large.jpg", pdq: library.pdq, quality: library.quality, width: 2048, height: 1536, resize: "fast" });
      expect(lines.get("small.png")).toMatchObject({ resize: "fast" });
      // Failures keep their shape: no hash, so no mode.
      expect(Object.keys(lines.get("notes.jpg")!)).toEqual(["path", "error"]);
    }
  });

  it("--resize fast with --dihedral and CSV: the resize column appears only in fast mode", async () => {
    const [fast, full] = await Promise.all([
      runCli(["--resize", "fast", "--format", "csv", "--dihedral", "large.jpg", "notes.jpg"], { cwd: root }),
      runCli(["--format", "csv", "large.jpg"], { cwd: root }),
    ]);
    const [fastHeader, ...fastRows] = fast.stdout.trimEnd().split("\r\n");
    expect(fastHeader!.split(",").slice(0, 7)).toEqual(["path", "pdq", "quality", "width", "height", "resize", "dihedral_orig"]);
    const large = fastRows.find((row) => row.startsWith("large.jpg,"))!.split(",");
    expect(large[5]).toBe("fast");
    expect(large[6]).toBe(large[1]);
    // Path, then empty hash, size, resize and variant columns, then the error code (its message may hold commas).
    const errorColumn = fastHeader!.split(",").indexOf("error_code");
    expect(fastRows.find((row) => row.startsWith("notes.jpg,"))).toMatch(new RegExp(`^notes\\.jpg,{${errorColumn}}not-an-image,`));
    expect(full.stdout.split("\r\n")[0]).toBe("path,pdq,quality,width,height,error_code,error_message");
  });

  it("--resize fast --dihedral in JSONL puts resize before the variants", async () => {
    const run = await runCli(["--resize", "fast", "--dihedral", "large.jpg"], { cwd: root });
    expect(Object.keys(jsonLines(run.stdout)[0]!)).toEqual(["path", "pdq", "quality", "width", "height", "resize", "dihedral"]);
  });
});
