/**
 * End to end: every contender reads, decodes and (except the floor) hashes the same files, each run in its own
 * process. Repetitions are interleaved and rotated, so a burst of load from other processes lands on different
 * contenders each time; the table reports the median.
 */
import { round3, spreadOf } from "../stats.js";
import type { Spread } from "../stats.js";
import { checkContender } from "./checks.js";
import type { CheckResult, ContenderRuns, Reference } from "./checks.js";
import { runInChild } from "./fork-contender.js";
import { contenderId, describeContender, parallelismOf, SLOW_PEERS } from "./specs.js";
import type { ContenderSpec } from "./specs.js";

export interface EndToEndRow {
  id: string;
  spec: ContenderSpec;
  name: string;
  computes: string;
  parallelism: number;
  imagesPerSecond: Spread;
  /** Wall time per image at the median throughput. */
  msPerImage: number;
  /** CPU time per image, all threads, median over the runs: less sensitive than wall time to other processes' load. */
  cpuMsPerImage: number;
  /** Loading the library or starting the pool, before warm-up; not in the throughput. */
  setupMs: number;
  /** Highest over the repetitions. */
  peakRssMB: number;
  check: CheckResult;
}

export interface EndToEndPlan {
  specs: ContenderSpec[];
  files: string[];
  warmupFiles: string[];
  repetitions: number;
  slowPeerRepetitions: number;
}

function repetitionsOf(spec: ContenderSpec, plan: EndToEndPlan): number {
  return spec.kind === "peer" && SLOW_PEERS.includes(spec.peer) ? plan.slowPeerRepetitions : plan.repetitions;
}

export async function runContenders(plan: EndToEndPlan, log: (line: string) => void): Promise<ContenderRuns[]> {
  const runs: ContenderRuns[] = plan.specs.map((spec) => ({ spec, reports: [], failures: [] }));
  const rounds = Math.max(plan.repetitions, plan.slowPeerRepetitions);
  for (let rep = 0; rep < rounds; rep++) {
    for (let k = 0; k < runs.length; k++) {
      const entry = runs[(k + rep) % runs.length]!;
      const repetitions = repetitionsOf(entry.spec, plan);
      if (rep >= repetitions) continue;
      log(`end to end: ${contenderId(entry.spec)} (run ${rep + 1}/${repetitions})`);
      try {
        entry.reports.push(await runInChild({ spec: entry.spec, files: plan.files, warmupFiles: plan.warmupFiles }));
      } catch (error) {
        entry.failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  return runs;
}

export function summarise(runs: readonly ContenderRuns[], files: readonly string[], reference: Reference): EndToEndRow[] {
  return runs.map((entry) => {
    const { name, computes } = describeContender(entry.spec);
    const check = checkContender(entry, files, reference, runs);
    const rates = entry.reports.map((report) => (files.length * 1000) / report.elapsedMs);
    const imagesPerSecond = rates.length > 0 ? spreadOf(rates) : { median: 0, min: 0, max: 0, n: 0 };
    return {
      id: contenderId(entry.spec),
      spec: entry.spec,
      name,
      computes,
      parallelism: parallelismOf(entry.spec),
      imagesPerSecond,
      msPerImage: imagesPerSecond.median > 0 ? round3(1000 / imagesPerSecond.median) : 0,
      cpuMsPerImage:
        entry.reports.length > 0 ? round3(spreadOf(entry.reports.map((report) => report.cpuMs / files.length)).median) : 0,
      setupMs: entry.reports.length > 0 ? round3(spreadOf(entry.reports.map((report) => report.setupMs)).median) : 0,
      peakRssMB: round3(Math.max(0, ...entry.reports.map((report) => report.maxRssBytes)) / 2 ** 20),
      check,
    };
  });
}
