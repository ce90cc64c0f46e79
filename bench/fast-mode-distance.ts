/**
 * What fast mode costs in bits: the Hamming distance of `resize: "fast"` hashes to full-resolution hashes, next to
 * the 512 mode's own distance from full resolution, over pictures of quality >= 50.
 *
 * - Fixtures (tests/fixtures/corpus, tests/fixtures/pdq-vectors): against the C++ reference's full-resolution
 *   tables (expected-fullres.tsv, reference-fullres.tsv).
 * - The bench photo set (bench/.photos, built by bench/make-photos.sh on first use): against our own exact full
 *   mode, which matches the reference bit for bit.
 *
 * Then the floor: the same distances for other shorter-side floors, with the decoding CPU time each one costs,
 * which is how FAST_MIN_SHORT_SIDE was chosen.
 *
 *   npm run fast-mode-distance    (builds, then runs dist/bench/fast-mode-distance.js; a few minutes)
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { loadEngine } from "../src/engine/index.js";
import type { PdqEngine } from "../src/engine/types.js";
import { hammingDistance, PDQ_QUALITY_THRESHOLD } from "../src/hash/pdq-hash.js";
import { hashBytes } from "../entries/node.js";
import { DEFAULT_MAX_PIXELS, FAST_MIN_SHORT_SIDE, type OrientationPolicy } from "../src/options.js";
import { PROJECT_ROOT } from "./paths.js";
import { loadBenchPhotos, PhotoSetUnavailable } from "./photo-set.js";

const FIXTURES = join(PROJECT_ROOT, "tests", "fixtures");
/** The reference hashed this file's stored pixels (ImageMagick's `convert` without -auto-orient). */
const STORED_ORIENTATION = new Set(["reg-test-input/exif-rotn/exif-rotn-6.jpg"]);
/** `undefined`: no floor, every picture decoded in full (what full mode decodes). */
const SWEPT_FLOORS = [undefined, 768, FAST_MIN_SHORT_SIDE, 384, 256];

interface Sample {
  file: string;
  bytes: Uint8Array;
  orientation: OrientationPolicy;
  /** The full-resolution hash it is compared with. */
  full: string;
  quality: number;
}

interface Measured {
  sample: Sample;
  fast: number;
  r512: number;
  /** Fast mode decoded fewer pixels than the picture has. */
  reduced: boolean;
}

interface Summary {
  n: number;
  median: number;
  p95: number;
  max: number;
}

function summarize(bits: readonly number[]): Summary {
  const sorted = [...bits].sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: NaN, p95: NaN, max: NaN };
  // Nearest rank: every figure is a distance some picture really had.
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return { n: sorted.length, median: rank(0.5), p95: rank(0.95), max: sorted[sorted.length - 1]! };
}

const show = ({ median, p95, max }: Summary) => (Number.isNaN(max) ? "-" : `${median} / ${p95} / ${max}`);

function fixtureSamples(dir: string, table: string): Sample[] {
  const [, ...lines] = readFileSync(join(FIXTURES, dir, table), "utf8").trim().split("\n");
  return lines.map((line) => {
    const [file, full, quality] = line.split("\t") as [string, string, string];
    const orientation = STORED_ORIENTATION.has(file) ? "ignore" : "apply";
    return { file, bytes: readFileSync(join(FIXTURES, dir, file)), orientation, full, quality: Number(quality) };
  });
}

async function photoSamples(): Promise<Sample[] | string> {
  let photos;
  try {
    photos = loadBenchPhotos().photos;
  } catch (error) {
    if (error instanceof PhotoSetUnavailable) return error.message;
    throw error;
  }
  const samples: Sample[] = [];
  for (const photo of photos) {
    const bytes = readFileSync(photo.path);
    const { pdq, quality } = await hashBytes(bytes, { resize: "full" });
    samples.push({ file: basename(photo.path), bytes, orientation: "apply", full: pdq, quality });
  }
  return samples;
}

async function measure(sample: Sample): Promise<Measured> {
  const { bytes, orientation } = sample;
  const [fast, r512, decoded] = await Promise.all([
    hashBytes(bytes, { resize: "fast", orientation }),
    hashBytes(bytes, { resize: "512", orientation }),
    sharpDecoder.decode(bytes, { orientation, maxPixels: DEFAULT_MAX_PIXELS, minShortSide: FAST_MIN_SHORT_SIDE }),
  ]);
  return {
    sample,
    fast: hammingDistance(fast.pdq, sample.full),
    r512: hammingDistance(r512.pdq, sample.full),
    reduced: decoded.fullSize !== undefined,
  };
}

function tableRow(name: string, rows: readonly Measured[]): string {
  const reduced = rows.filter((row) => row.reduced);
  return `| ${name} | ${rows.length} | ${reduced.length} | ${show(summarize(rows.map((row) => row.fast)))} | ${show(summarize(reduced.map((row) => row.fast)))} | ${show(summarize(rows.map((row) => row.r512)))} |`;
}

/** Distance and decoding CPU time of each floor, one picture at a time so the CPU time is that decode's. */
async function sweepFloors(samples: readonly Sample[], engine: PdqEngine): Promise<string[]> {
  const lines = [
    "| shorter-side floor | median / p95 / max bits | decoded MP per picture (mean) | decode CPU ms per picture (mean) |",
    "| --- | --- | --- | --- |",
  ];
  for (const floor of SWEPT_FLOORS) {
    const bits: number[] = [];
    let megapixels = 0;
    let cpuMs = 0;
    for (const sample of samples) {
      const started = process.cpuUsage();
      const image = await sharpDecoder.decode(sample.bytes, { orientation: sample.orientation, maxPixels: DEFAULT_MAX_PIXELS, minShortSide: floor });
      const cpu = process.cpuUsage(started);
      cpuMs += (cpu.user + cpu.system) / 1000;
      megapixels += (image.width * image.height) / 1e6;
      bits.push(hammingDistance(engine.hash(image, { resize: "full", dihedral: false }).pdq, sample.full));
    }
    const mean = (total: number) => (total / samples.length).toFixed(2);
    const name = floor === undefined ? "none (full decode)" : `${floor}${floor === FAST_MIN_SHORT_SIDE ? " (chosen)" : ""}`;
    lines.push(`| ${name} | ${show(summarize(bits))} | ${mean(megapixels)} | ${mean(cpuMs)} |`);
  }
  return lines;
}

async function main(): Promise<void> {
  const engine = await loadEngine("wasm");
  const reliable = (sample: Sample) => sample.quality >= PDQ_QUALITY_THRESHOLD;
  const isJpeg = (row: Measured) => /\.jpe?g$/i.test(row.sample.file);
  const measureAll = async (samples: Sample[]) => {
    const rows: Measured[] = [];
    for (const sample of samples.filter(reliable)) rows.push(await measure(sample));
    return rows;
  };

  const corpus = await measureAll(fixtureSamples("corpus", "expected-fullres.tsv"));
  const vectors = await measureAll(fixtureSamples("pdq-vectors", "reference-fullres.tsv"));
  const photos = await photoSamples();
  const photoRows = typeof photos === "string" ? [] : await measureAll(photos);
  const sizeClass = (prefix: string) => photoRows.filter((row) => row.sample.file.startsWith(prefix));

  const out = [
    `# Fast mode: bits from full resolution (quality >= ${PDQ_QUALITY_THRESHOLD}; shorter-side floor ${FAST_MIN_SHORT_SIDE} px)`,
    "",
    "Fixtures are compared with the C++ reference's full-resolution hashes, the photo set with our exact full mode.",
    "Distances are median / 95th percentile / max bits (nearest rank).",
    "",
    "| set | pictures | decoded smaller | fast vs full | fast vs full, decoded smaller only | 512 vs full |",
    "| --- | --- | --- | --- | --- | --- |",
    tableRow("corpus, all", corpus),
    tableRow("corpus, JPEG", corpus.filter(isJpeg)),
    tableRow("pdq-vectors, all", vectors),
    tableRow("pdq-vectors, JPEG", vectors.filter(isJpeg)),
    ...(typeof photos === "string"
      ? [`| photo set | not available: ${photos.replaceAll("\n", " ")} | | | | |`]
      : [
          tableRow("photo set, 1 MP (1152x864)", sizeClass("1mp")),
          tableRow("photo set, 3 MP (2048x1536)", sizeClass("3mp")),
          tableRow("photo set, 12 MP (4000x3000)", sizeClass("12mp")),
          tableRow("photo set, all", photoRows),
        ]),
  ];
  if (typeof photos !== "string") {
    out.push("", "## Choosing the floor (photo set, quality >= 50)", "", ...(await sweepFloors(photos.filter(reliable), engine)));
  }
  console.log(out.join("\n"));
}

await main();
