/**
 * Load benchmark: a big batch of generated pictures (tests/support/generate-images.ts: small ones with large 2-4 MP
 * JPEGs spread through) through the CLI and through the library's worker pool, each in a process of its own.
 * Reports files per second and the peak resident set (VmHWM: every thread, worker threads and libvips included)
 * when the checkpoint's result arrives and at the end; the difference is how memory grows with the batch.
 *
 * Called by run.ts; when run as a script with `pool <folder> <workers>` it is the library side's child process.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { LARGE_MEGAPIXELS, SMALL_SIDES, writeLoadSet } from "../tests/support/generate-images.js";
import { watchProcess, type WatchedRun } from "../tests/support/watch-process.js";
import { createNodePool } from "../workers/node-pool.js";
import type { HashTask } from "../src/pool-contract.js";
import { PROJECT_ROOT } from "./paths.js";
import { round3 } from "./stats.js";

export interface LoadBenchOptions {
  /** 2,500 files (75 large, checkpoint at 500) instead of 10,000 (300 large, checkpoint at 2,000). */
  quick: boolean;
}

export interface LoadRun {
  /** `cli`: `ncii-hash --workers N <folder>`. `library`: `createNodePool({size: N}).hashAll(...)` over the folder. */
  through: "cli" | "library";
  workers: number;
  /** Results received; equal to the set's file count when nothing was lost. */
  results: number;
  hashed: number;
  failed: number;
  /** From starting the process to its last result (process start-up included). */
  seconds: number;
  filesPerSecond: number;
  /** Peak RSS in MB when the checkpoint's result arrived; null if the run never got that far. */
  peakRssMbAtCheckpoint: number | null;
  /** Peak RSS in MB at the last reading before the process ended. */
  peakRssMbAtEnd: number;
  /** `peakRssMbAtEnd - peakRssMbAtCheckpoint`: what the rest of the batch added. */
  growthMb: number | null;
  /** "exit 0", "exit 1" or the signal that ended the process. */
  ended: string;
}

export interface LoadBenchResult {
  files: number;
  largeFiles: number;
  /** Results after which the first peak RSS reading is taken. */
  checkpoint: number;
  smallSidesPx: { min: number; max: number };
  largeMegapixels: { min: number; max: number };
  setMegabytes: number;
  /** Writing the set (not part of any run). */
  generateSeconds: number;
  runs: LoadRun[];
}

const PROFILES = {
  full: { files: 10_000, large: 300, checkpoint: 2_000 },
  quick: { files: 2_500, large: 75, checkpoint: 500 },
} as const;

const BIN = join(PROJECT_ROOT, "bin", "ncii-hash.cjs");
const THIS_SCRIPT = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const profile = options.quick ? PROFILES.quick : PROFILES.full;
  const workers = availableParallelism();
  const root = await mkdtemp(join(tmpdir(), "ncii-load-bench-"));
  try {
    const folder = join(root, "photos");
    const generateStart = performance.now();
    const set = await writeLoadSet(folder, { files: profile.files, large: profile.large });
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const runs = [
      await measure("cli", workers, profile.checkpoint, [BIN, "--workers", String(workers), folder]),
      await measure("library", workers, profile.checkpoint, [THIS_SCRIPT, "pool", folder, String(workers)]),
    ];
    return {
      files: set.files.length,
      largeFiles: set.large,
      checkpoint: profile.checkpoint,
      smallSidesPx: { ...SMALL_SIDES },
      largeMegapixels: { ...LARGE_MEGAPIXELS },
      setMegabytes: round3(set.bytes / MB),
      generateSeconds: round3(generateSeconds),
      runs,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Both sides print one JSON line per file with an `error` member when it failed. */
async function measure(through: LoadRun["through"], workers: number, checkpoint: number, args: string[]): Promise<LoadRun> {
  let failed = 0;
  const run: WatchedRun = await watchProcess(process.execPath, args, {
    checkpoints: [checkpoint],
    onLine(line) {
      if ((JSON.parse(line) as { error?: unknown }).error !== undefined) failed++;
    },
  });
  if (run.stderr.trim() !== "" && run.code !== 0) process.stderr.write(run.stderr);
  const atCheckpoint = run.peakRssAt.get(checkpoint);
  const toMb = (bytes: number) => round3(bytes / MB);
  return {
    through,
    workers,
    results: run.lines,
    hashed: run.lines - failed,
    failed,
    seconds: round3(run.seconds),
    filesPerSecond: round3(run.lines / run.seconds),
    peakRssMbAtCheckpoint: atCheckpoint === undefined ? null : toMb(atCheckpoint),
    peakRssMbAtEnd: toMb(run.peakRss),
    growthMb: atCheckpoint === undefined ? null : toMb(run.peakRss - atCheckpoint),
    ended: run.signal ?? `exit ${run.code}`,
  };
}

/** The load section of the benchmark report. */
export function renderLoadTable(result: LoadBenchResult): string {
  const header = ["through", "workers", "files", "failed", "files/s", `peak RSS at ${result.checkpoint}`, `peak RSS at ${result.files}`, "growth", "ended"];
  const rows = result.runs.map((run) => [
    run.through,
    String(run.workers),
    String(run.results),
    String(run.failed),
    run.filesPerSecond.toFixed(1),
    run.peakRssMbAtCheckpoint === null ? "-" : `${run.peakRssMbAtCheckpoint.toFixed(0)} MB`,
    `${run.peakRssMbAtEnd.toFixed(0)} MB`,
    run.growthMb === null ? "-" : `${run.growthMb >= 0 ? "+" : ""}${run.growthMb.toFixed(0)} MB`,
    run.ended,
  ]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    `${result.files} generated pictures (${result.largeFiles} of them ${result.largeMegapixels.min}-${result.largeMegapixels.max} MP JPEGs, ` +
      `the rest ${result.smallSidesPx.min}-${result.smallSidesPx.max} px), ${result.setMegabytes.toFixed(0)} MB.`,
    "",
    line(header),
    line(header.map(() => "---")),
    ...rows.map(line),
  ].join("\n");
}

/** Files that went missing or got no result: a correctness problem, not a speed one. */
export function loadProblems(result: LoadBenchResult): string[] {
  return result.runs
    .filter((run) => run.results !== result.files || run.ended !== "exit 0")
    .map((run) => `load through ${run.through}: ${run.results} results for ${result.files} files, ${run.ended}`);
}

/** The library side: the folder's pictures, sorted, through one pool; a line per result, as the CLI prints. */
async function poolChild(folder: string, workers: number): Promise<void> {
  const pool = createNodePool({ size: workers });
  function* tasks(): Generator<HashTask> {
    for (const name of readdirSync(folder).sort()) yield { name, source: { kind: "path", path: join(folder, name) } };
  }
  try {
    for await (const result of pool.hashAll(tasks())) {
      process.stdout.write(JSON.stringify(result.ok ? { path: result.name, pdq: result.hash.pdq } : { path: result.name, error: result.error }) + "\n");
    }
  } finally {
    await pool.close();
  }
}

if (process.argv[1] === THIS_SCRIPT && process.argv[2] === "pool") {
  await poolChild(process.argv[3]!, Number(process.argv[4]));
}
