/**
 * The command line as people run it. The real `ncii-hash` binary, started cold on the photo set (exact full
 * resolution, two workers), against a decode-only process started cold on the same files (sharp's full decode,
 * two at a time), alternated A B B A so that load from other processes and any drift fall on both alike; each run
 * is timed from spawning the process to its exit, start-up included. Then the CLI's start-up: from spawning it on
 * one small picture to its first result line, beside a bare `node -e ""` for what Node itself costs here.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Reference } from "./end-to-end/checks.js";
import { digestValue } from "./end-to-end/specs.js";
import { describeLoad, withMachineLoad, type LoadAround } from "./machine-load.js";
import { PROJECT_ROOT } from "./paths.js";
import { round3, spreadOf, type Spread } from "./stats.js";

const BIN = join(PROJECT_ROOT, "bin", "ncii-hash.cjs");
const DECODE_ONLY = fileURLToPath(new URL("./decode-only.js", import.meta.url));
const WORKERS = 2;
/** Runs the command and has bash report its CPU time (`times`: children's user and system), all threads included. */
const BASH = "/bin/bash";
const WITH_CPU_TIME = '"$@"; status=$?; times >&2; exit $status';

export interface CliBudget {
  /** A-B pairs (CLI, decode-only), in alternating order. */
  pairs: number;
  startupRuns: number;
}

export interface ColdSide {
  command: string;
  imagesPerSecond: Spread;
  /** CPU time per image (all threads), median over the runs; null where bash is not there to measure it. */
  cpuMsPerImage: number | null;
}

export interface CliBenchResult {
  files: number;
  workers: number;
  cli: ColdSide;
  decodeOnly: ColdSide;
  /** CLI images/s over decode-only images/s, one per A-B pair, and their median: the target's number. */
  pairRatios: number[];
  ratio: number;
  /** The same comparison by CPU time per image (decode-only's over the CLI's). */
  cpuRatio: number | null;
  check: { ok: boolean; detail: string };
  startup: {
    file: string;
    /** Spawn to the first result line of `ncii-hash --workers 2 FILE`. */
    firstResultMs: Spread;
    /** Spawn to exit of `node -e ""`, sampled in alternation with the CLI. */
    nodeAloneMs: Spread;
    /**
     * The CLI's run minus the `node -e ""` beside it, run by run: what the CLI adds to Node's own start, which moves
     * less than either with what else the machine's host is doing.
     */
    beyondNodeMs: Spread;
  };
  load: LoadAround;
}

interface TimedRun {
  seconds: number;
  cpuSeconds: number | null;
  stdout: string;
}

/** Runs `node ARGS` to its end; wall time from spawn to exit, and CPU time through bash when it is there. */
function runCold(args: readonly string[]): Promise<TimedRun> {
  const viaBash = existsSync(BASH);
  const [command, commandArgs] = viaBash
    ? [BASH, ["-c", WITH_CPU_TIME, "bash", process.execPath, ...args]]
    : [process.execPath, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 1) {
        reject(new Error(`${args[0]} ended with ${signal ?? `exit ${code}`}: ${stderr.trim().slice(-500)}`));
        return;
      }
      resolve({ seconds, cpuSeconds: viaBash ? childrenCpuSeconds(stderr) : null, stdout });
    });
  });
}

/** The second line of bash's `times`: the children's user and system time, e.g. "0m12.230s 0m4.810s". */
function childrenCpuSeconds(stderr: string): number | null {
  const match = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stderr);
  if (!match) return null;
  const [, userMinutes, userSeconds, systemMinutes, systemSeconds] = match.map(Number) as number[];
  return userMinutes! * 60 + userSeconds! + systemMinutes! * 60 + systemSeconds!;
}

/** Spawn to the first byte on stdout (or to exit, for a command that prints nothing). */
function timeToFirstOutput(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let first: number | undefined;
    child.stdout.once("data", () => (first = performance.now() - started));
    child.stdout.resume();
    child.once("error", reject);
    child.once("exit", () => resolve(first ?? performance.now() - started));
  });
}

/** Every file hashed as the in-process library hashes it, and every file decoded at its full size. */
function checkOutputs(files: readonly string[], cliRuns: TimedRun[], decodeRuns: TimedRun[], reference: Reference): CliBenchResult["check"] {
  const want = reference.digests.get("full")!;
  for (const run of cliRuns) {
    const got = new Map<string, string>();
    for (const line of run.stdout.trim().split("\n")) {
      const record = JSON.parse(line) as { path: string; pdq?: string; quality?: number };
      if (record.pdq !== undefined && record.quality !== undefined) got.set(record.path, digestValue({ pdq: record.pdq, quality: record.quality }));
    }
    const wrong = files.filter((file) => got.get(file) !== want.get(file)).length;
    if (wrong > 0) return { ok: false, detail: `the CLI's hash differs from the in-process library's for ${wrong}/${files.length} files` };
  }
  for (const run of decodeRuns) {
    const sizes = run.stdout.trim().split("\n");
    const wrong = files.filter((file, i) => sizes[i] !== reference.dimensions.get(file)).length;
    if (wrong > 0) return { ok: false, detail: `decode-only gave the wrong size for ${wrong}/${files.length} files` };
  }
  return {
    ok: true,
    detail: `${files.length}/${files.length} CLI hashes equal to the in-process library's, every run; every decode at full size`,
  };
}

function coldSide(command: string, runs: readonly TimedRun[], files: number): ColdSide {
  const cpu = runs.flatMap((run) => (run.cpuSeconds === null ? [] : [(run.cpuSeconds * 1000) / files]));
  return {
    command,
    imagesPerSecond: spreadOf(runs.map((run) => files / run.seconds)),
    cpuMsPerImage: cpu.length === runs.length ? round3(spreadOf(cpu).median) : null,
  };
}

export async function runCliBench(
  files: readonly string[],
  startupFile: string,
  reference: Reference,
  budget: CliBudget,
  log: (line: string) => void,
): Promise<CliBenchResult> {
  const { result, load } = await withMachineLoad(async () => {
    const cliArgs = [BIN, "--workers", String(WORKERS), ...files];
    const decodeArgs = [DECODE_ONLY, String(WORKERS), ...files];
    const cliRuns: TimedRun[] = [];
    const decodeRuns: TimedRun[] = [];
    for (let pair = 0; pair < budget.pairs; pair++) {
      log(`CLI from a cold start vs decode-only process: pair ${pair + 1}/${budget.pairs}`);
      // A B, then B A: whichever runs first in a pair is not always the same one.
      if (pair % 2 === 0) {
        cliRuns.push(await runCold(cliArgs));
        decodeRuns.push(await runCold(decodeArgs));
      } else {
        decodeRuns.push(await runCold(decodeArgs));
        cliRuns.push(await runCold(cliArgs));
      }
    }
    log(`CLI start-up to the first result (${budget.startupRuns} runs, alternating with node alone)`);
    const firstResult: number[] = [];
    const nodeAlone: number[] = [];
    for (let run = 0; run < budget.startupRuns; run++) {
      const cliFirst = run % 2 === 0;
      if (!cliFirst) nodeAlone.push(await timeToFirstOutput(["-e", ""]));
      firstResult.push(await timeToFirstOutput([BIN, "--workers", String(WORKERS), startupFile]));
      if (cliFirst) nodeAlone.push(await timeToFirstOutput(["-e", ""]));
    }
    const pairRatios = cliRuns.map((run, i) => round3(decodeRuns[i]!.seconds / run.seconds));
    const cli = coldSide(`ncii-hash --workers ${WORKERS} <${files.length} files>`, cliRuns, files.length);
    const decodeOnly = coldSide(`node dist/bench/decode-only.js ${WORKERS} <${files.length} files>`, decodeRuns, files.length);
    return {
      files: files.length,
      workers: WORKERS,
      cli,
      decodeOnly,
      pairRatios,
      ratio: round3(spreadOf(pairRatios).median),
      cpuRatio: cli.cpuMsPerImage && decodeOnly.cpuMsPerImage ? round3(decodeOnly.cpuMsPerImage / cli.cpuMsPerImage) : null,
      check: checkOutputs(files, cliRuns, decodeRuns, reference),
      startup: {
        file: startupFile,
        firstResultMs: spreadOf(firstResult),
        nodeAloneMs: spreadOf(nodeAlone),
        beyondNodeMs: spreadOf(firstResult.map((ms, run) => ms - nodeAlone[run]!)),
      },
    };
  });
  log(`CLI section: ${describeLoad(load)}`);
  return { ...result, load };
}

/** The CLI section of the report. */
export function renderCliTable(result: CliBenchResult): string {
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  const side = (name: string, s: ColdSide) => [
    name,
    `\`${s.command}\``,
    `${fixed(s.imagesPerSecond.median)} (${fixed(s.imagesPerSecond.min)}-${fixed(s.imagesPerSecond.max)})`,
    s.cpuMsPerImage === null ? "" : fixed(s.cpuMsPerImage),
  ];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const header = ["process", "command", "images/s (min-max)", "CPU ms/image"];
  const { startup } = result;
  return [
    line(header),
    line(header.map(() => "---")),
    line(side("ncii-hash, exact full resolution", result.cli)),
    line(side("decode only (floor)", result.decodeOnly)),
    "",
    `CLI vs decode-only: ${result.ratio}x (median of the ${result.pairRatios.length} A-B pairs: ${result.pairRatios.join(", ")})` +
      (result.cpuRatio === null ? "" : `; by CPU time ${result.cpuRatio}x`) +
      `. ${result.check.ok ? "Check" : "**Check FAILED**"}: ${result.check.detail}.`,
    "",
    `Start-up: spawn to the first result line of \`ncii-hash --workers ${result.workers} ${startup.file.replace(PROJECT_ROOT, "")}\`: ` +
      `${fixed(startup.firstResultMs.median, 0)} ms (${fixed(startup.firstResultMs.min, 0)}-${fixed(startup.firstResultMs.max, 0)}, ` +
      `${startup.firstResultMs.n} runs); \`node -e ""\` alone: ${fixed(startup.nodeAloneMs.median, 0)} ms ` +
      `(${fixed(startup.nodeAloneMs.min, 0)}-${fixed(startup.nodeAloneMs.max, 0)}); the CLI beyond Node's own start, run by run: ` +
      `${fixed(startup.beyondNodeMs.median, 0)} ms (${fixed(startup.beyondNodeMs.min, 0)}-${fixed(startup.beyondNodeMs.max, 0)}).`,
    "",
    `Machine: ${describeLoad(result.load)}.`,
  ].join("\n");
}
