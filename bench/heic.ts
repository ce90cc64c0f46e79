/**
 * HEIC photos per second and peak memory in Node's worker pool (libheif in WASM, src/decode/codecs/heic.ts), with
 * 1 and 2 workers, against the same photos as JPEG in the same run (interleaved rounds), so the ratio holds whatever
 * else the machine is doing. The HEICs are made once from the bench photo set with heif-enc (4:2:0, quality 50, as
 * phones write them) into bench/.photos/heic/. Also the distance of each photo's hash to the hash of ImageMagick's
 * decode (`convert F png:-`, the reference's decoder path). Writes bench/results/heic.{json,md}.
 *
 *   npm run bench:heic        (needs the photo set, see bench/photo-set.ts, Debian's libheif-examples and ImageMagick)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { basename, join } from "node:path";
import { hammingDistance } from "../src/hash/pdq-hash.js";
import { hashBytes, hashFile } from "../entries/node.js";
import { createNodePool } from "../workers/node-pool.js";
import { findImageMagick, IMAGEMAGICK_INSTALL_COMMAND } from "./imagemagick.js";
import { PROJECT_ROOT } from "./paths.js";
import { loadBenchPhotos, PHOTO_SIZE_CLASSES, type SizeClass } from "./photo-set.js";
import { round3 } from "./stats.js";

const PER_CLASS = 4;
const ROUNDS = 2;
const WORKER_COUNTS = [1, 2] as const;
const HEIC_DIR = join(PROJECT_ROOT, "bench", ".photos", "heic");
const HEIF_ENC_INSTALL = "apt-get install -y libheif-examples";

interface Sample {
  sizeClass: SizeClass;
  jpeg: string;
  heic: string;
}

interface Run {
  format: "heic" | "jpeg";
  workers: number;
  round: number;
  seconds: number;
  photosPerSecond: number;
  peakRssMiB: number;
}

function samples(): Sample[] {
  const photos = loadBenchPhotos().photos;
  mkdirSync(HEIC_DIR, { recursive: true });
  return PHOTO_SIZE_CLASSES.flatMap((sizeClass) =>
    photos
      .filter((photo) => photo.sizeClass === sizeClass)
      .slice(0, PER_CLASS)
      .map((photo) => {
        const heic = join(HEIC_DIR, basename(photo.path).replace(/\.jpe?g$/i, ".heic"));
        if (!existsSync(heic)) {
          // Written aside and renamed, so an interrupted run never leaves a half-written HEIC to be benchmarked.
          const made = spawnSync("heif-enc", ["-q", "50", "-o", `${heic}.tmp`, photo.path], { stdio: ["ignore", "ignore", "inherit"] });
          if (made.error || made.status !== 0) throw new Error(`heif-enc could not make ${heic}; install it with: ${HEIF_ENC_INSTALL}`);
          renameSync(`${heic}.tmp`, heic);
        }
        return { sizeClass, jpeg: photo.path, heic };
      }),
  );
}

async function timeRun(paths: string[], workers: number): Promise<{ seconds: number; peakRssMiB: number }> {
  const pool = createNodePool({ size: workers });
  // Worker threads share the process, so its resident set covers the decoders' memories.
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const started = performance.now();
    const tasks = paths.map((path) => ({ name: path, source: { kind: "path" as const, path } }));
    for await (const result of pool.hashAll(tasks)) {
      if (!result.ok) throw new Error(`${result.name}: ${result.error.code} ${result.error.message}`);
    }
    return { seconds: (performance.now() - started) / 1000, peakRssMiB: peak / 2 ** 20 };
  } finally {
    clearInterval(sampler);
    await pool.close();
  }
}

/** Bits between our hash of each HEIC and the hash of ImageMagick's decode of it, sorted. */
async function distancesFromImageMagick(set: Sample[]): Promise<number[]> {
  const convert = findImageMagick();
  if (!convert) throw new Error(`the distance to ImageMagick's decode needs ImageMagick: ${IMAGEMAGICK_INSTALL_COMMAND}`);
  const distances: number[] = [];
  for (const sample of set) {
    const png = execFileSync(convert, [sample.heic, "png:-"], { maxBuffer: 1 << 30 });
    // ImageMagick's PNG carries no orientation; the HEIC's irot/imir (none here) are applied by both.
    const reference = await hashBytes(new Uint8Array(png), { orientation: "ignore" });
    distances.push(hammingDistance((await hashFile(sample.heic)).pdq, reference.pdq));
  }
  return distances.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const set = samples();
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const workers of WORKER_COUNTS) {
      for (const format of ["heic", "jpeg"] as const) {
        const { seconds, peakRssMiB } = await timeRun(set.map((sample) => sample[format]), workers);
        runs.push({ format, workers, round, seconds: round3(seconds), photosPerSecond: round3(set.length / seconds), peakRssMiB: Math.round(peakRssMiB) });
        console.error(`round ${round}, ${workers} worker(s), ${format}: ${(set.length / seconds).toFixed(2)} photos/s, peak RSS ${Math.round(peakRssMiB)} MiB`);
      }
    }
  }
  // After the timed runs: decoding in this thread keeps libheif's memory here, which would inflate their peak RSS.
  const distances = await distancesFromImageMagick(set);
  const best = (format: Run["format"], workers: number) =>
    runs.filter((run) => run.format === format && run.workers === workers).reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const rows = WORKER_COUNTS.map((workers) => {
    const heic = best("heic", workers);
    const jpeg = best("jpeg", workers);
    return { workers, heic, jpeg, heicTimeOverJpeg: round3(heic.seconds / jpeg.seconds) };
  });
  const machine = { cores: availableParallelism(), loadAverage: loadavg().map(round3), node: process.version };
  const photos = set.map((sample) => ({ sizeClass: sample.sizeClass, heic: basename(sample.heic) }));
  writeFileSync(join(PROJECT_ROOT, "bench", "results", "heic.json"), `${JSON.stringify({ machine, photos, distances, runs, rows }, null, 2)}\n`);
  const table = [
    `HEIC vs JPEG, the same ${set.length} photos (${PER_CLASS} each of ${PHOTO_SIZE_CLASSES.join(", ")}), Node worker pool, best of ${ROUNDS} interleaved rounds;`,
    `${machine.cores} cores, load ${machine.loadAverage.join(" ")}, Node ${machine.node}. \`npm run bench:heic\``,
    "",
    "| workers | HEIC photos/s | JPEG photos/s | HEIC time / JPEG time | peak RSS HEIC (MiB) | peak RSS JPEG (MiB) |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${row.workers} | ${row.heic.photosPerSecond.toFixed(2)} | ${row.jpeg.photosPerSecond.toFixed(2)} | ${row.heicTimeOverJpeg.toFixed(2)} | ${row.heic.peakRssMiB} | ${row.jpeg.peakRssMiB} |`,
    ),
    "",
    `Distance to ImageMagick's decode (\`convert F png:-\`, then hashed), bits: median ${distances[distances.length >> 1]}, max ${distances[distances.length - 1]} (${distances.join(" ")}).`,
    "",
  ].join("\n");
  writeFileSync(join(PROJECT_ROOT, "bench", "results", "heic.md"), table);
  console.log(table);
}

await main();
