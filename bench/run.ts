/**
 * `npm run bench [-- --quick]`: kernel-only and end-to-end throughput, peak memory and correctness of every
 * contender, in one run on this machine, with ratios between things measured side by side, then hash-list
 * matching (bench/match-bench.ts). Writes
 * bench/results/latest.{json,md} (quick: latest-quick.*) and prints the table.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { checkAgainstReference } from "./anchor.js";
import { runCliBench, type CliBudget } from "./cli-bench.js";
import { runContenders, summarise } from "./end-to-end/index.js";
import type { EndToEndPlan } from "./end-to-end/index.js";
import { computeReference } from "./end-to-end/reference.js";
import { contenderSpecs } from "./end-to-end/specs.js";
import { benchKernels, benchKernelsAfterDecode, loadEngines } from "./kernel.js";
import type { AfterDecodeBudget, KernelBudget } from "./kernel.js";
import { loadProblems, runLoadBench, type LoadBenchResult } from "./load-bench.js";
import { machineLoad, type MachineLoad } from "./machine-load.js";
import { runMatchBench } from "./match-bench.js";
import { PROJECT_ROOT } from "./paths.js";
import { loadBenchPhotos, loadQuickPhotos, loadWarmupFiles, PhotoSetUnavailable } from "./photo-set.js";
import type { PhotoSet } from "./photo-set.js";
import { renderMarkdown } from "./report.js";
import type { BenchResults, Environment } from "./report.js";
import { round3 } from "./stats.js";
import { judgeTargets } from "./targets.js";

interface Profile {
  kernel: KernelBudget;
  afterDecode: AfterDecodeBudget;
  cli: CliBudget;
  repetitions: number;
  slowPeerRepetitions: number;
  outputName: string;
}

const PROFILES: Record<"full" | "quick", Profile> = {
  full: {
    kernel: { imagesPerClass: 2, minSamples: 6, minTimeMs: 2000, maxSamples: 40 },
    afterDecode: { photosPerClass: 10, rounds: 3 },
    cli: { pairs: 6, startupRuns: 21 },
    repetitions: 3,
    slowPeerRepetitions: 1,
    outputName: "latest",
  },
  // For CI: small files, one run each; the shape of the tables is the same, the numbers are rougher.
  quick: {
    kernel: { imagesPerClass: 1, minSamples: 3, minTimeMs: 200, maxSamples: 20 },
    afterDecode: { photosPerClass: 2, rounds: 2 },
    cli: { pairs: 2, startupRuns: 3 },
    repetitions: 1,
    slowPeerRepetitions: 1,
    outputName: "latest-quick",
  },
};

const USAGE = `usage: npm run bench [-- --quick]
  (default)  the 200-photo set (built into bench/.photos/ on first use; needs ImageMagick), 3 runs per contender
  --quick    fixture JPEGs plus a few generated photos, one run each; needs nothing external (for CI)`;

function log(line: string): void {
  console.error(`[bench] ${line}`);
}

function parseArgs(argv: readonly string[]): "full" | "quick" {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  const unknown = argv.find((arg) => arg !== "--quick");
  if (unknown !== undefined) {
    console.error(`unknown argument: ${unknown}\n${USAGE}`);
    process.exit(2);
  }
  return argv.includes("--quick") ? "quick" : "full";
}

function environment(loadAtStart: MachineLoad): Environment {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" }).trim();
  } catch {
    // Not a git checkout (e.g. an unpacked tarball); the rest of the record still stands.
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: availableParallelism(),
    totalMemoryMB: Math.round(totalmem() / 2 ** 20),
    sharp: sharp.versions.sharp ?? "unknown",
    libvips: sharp.versions.vips,
    sharpConcurrency: sharp.concurrency(),
    commit,
    loadAverage: { start: loadAtStart, end: machineLoad() },
  };
}

async function loadPhotoSet(mode: "full" | "quick"): Promise<PhotoSet> {
  try {
    return mode === "quick" ? await loadQuickPhotos() : loadBenchPhotos();
  } catch (error) {
    if (!(error instanceof PhotoSetUnavailable)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const mode = parseArgs(process.argv.slice(2));
  const loadAtStart = machineLoad();
  const profile = PROFILES[mode];
  const photoSet = await loadPhotoSet(mode);
  const files = photoSet.photos.map((photo) => photo.path);
  log(`${photoSet.description}: ${files.length} files`);

  const engines = await loadEngines();
  log("checking both engines against the C++ reference hashes of the fixture PNGs");
  const anchor = await checkAgainstReference(engines);
  const kernelRows = await benchKernels(photoSet.photos, engines, profile.kernel, log);
  const afterDecodeRows = await benchKernelsAfterDecode(photoSet.photos, engines, profile.afterDecode, log);

  const specs = contenderSpecs();
  const resizeModes = new Set(specs.flatMap((spec) => (spec.kind === "ncii-hasher" ? [spec.resize] : [])));
  log("computing the in-process answer key for the end-to-end runs");
  const reference = await computeReference(files, resizeModes, engines.wasm);
  const warmupFiles = await loadWarmupFiles();
  const plan: EndToEndPlan = {
    specs,
    files,
    warmupFiles,
    repetitions: profile.repetitions,
    slowPeerRepetitions: profile.slowPeerRepetitions,
  };
  const endToEndRows = summarise(await runContenders(plan, log), files, reference);
  const cli = await runCliBench(files, warmupFiles[0]!, reference, profile.cli, log);
  log("hash-list matching (bench/match-bench.ts)");
  const match = await runMatchBench({ quick: mode === "quick" });
  // The quick (CI) run skips the load batch: writing and hashing 10,000 files alone takes minutes.
  let load: LoadBenchResult | undefined;
  if (mode === "full") {
    log("load: 10,000 generated files (bench/load-bench.ts)");
    load = await runLoadBench({ quick: false });
  }

  const problems = [
    ...anchor.mismatches.map((mismatch) => `reference mismatch: ${mismatch}`),
    ...kernelRows.filter((row) => !row.bitIdentical).map((row) => `kernel ${row.sizeClass} ${row.resize}: WASM and twin digests differ`),
    ...afterDecodeRows.filter((row) => !row.bitIdentical).map((row) => `kernel after decoding ${row.sizeClass}: WASM and twin digests differ`),
    ...(cli.check.ok ? [] : [`CLI from a cold start: ${cli.check.detail}`]),
    ...endToEndRows.filter((row) => !row.check.ok).map((row) => `${row.name}: ${row.check.detail}`),
    ...match.correctness.problems.map((problem) => `hash-list matching: ${problem}`),
    ...(load ? loadProblems(load) : []),
  ];
  const megapixels = [...reference.dimensions.values()].reduce((sum, dims) => {
    const [width, height] = dims.split("x").map(Number);
    return sum + (width! * height!) / 1e6;
  }, 0);
  const results: BenchResults = {
    schema: 1,
    generatedAt: new Date().toISOString(),
    command: mode === "quick" ? "npm run bench -- --quick" : "npm run bench",
    environment: environment(loadAtStart),
    photoSet: {
      name: photoSet.name,
      description: photoSet.description,
      files: files.length,
      totalMB: round3(photoSet.photos.reduce((sum, photo) => sum + photo.bytes, 0) / 2 ** 20),
      totalMegapixels: round3(megapixels),
    },
    correctness: { ok: problems.length === 0, anchor, problems },
    targets: judgeTargets({ kernel: kernelRows, afterDecode: afterDecodeRows, endToEnd: endToEndRows, cli }),
    kernel: { budget: profile.kernel, rows: kernelRows },
    kernelAfterDecode: { budget: profile.afterDecode, rows: afterDecodeRows },
    cli,
    endToEnd: { repetitions: profile.repetitions, slowPeerRepetitions: profile.slowPeerRepetitions, rows: endToEndRows },
    match,
    ...(load ? { load } : {}),
  };

  const markdown = renderMarkdown(results);
  const outDir = join(PROJECT_ROOT, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${profile.outputName}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, `${profile.outputName}.md`), markdown);
  console.log(markdown);
  log(`wrote bench/results/${profile.outputName}.json and .md`);
  if (!results.correctness.ok) {
    log(`${problems.length} correctness problem(s); see the Correctness section`);
    process.exitCode = 1;
  }
}

await main();
