/**
 * One contender, one process: forked by the parent so each run's peak RSS is its own, and no JIT state, libvips
 * cache or worker threads carry over between contenders.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createRunner } from "./runners.js";
import type { ContenderJob, ContenderReport } from "./specs.js";

async function runJob(job: ContenderJob): Promise<Omit<ContenderReport, "maxRssBytes">> {
  const setupStart = performance.now();
  const runner = await createRunner(job.spec);
  const setupMs = performance.now() - setupStart;
  try {
    await runner.run(job.warmupFiles);
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const values = await runner.run(job.files);
    const elapsedMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    return { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, setupMs, values };
  } finally {
    await runner.close();
  }
}

/**
 * This process's peak resident set, all threads included (workers and libvips). On Linux it is read from VmHWM:
 * getrusage's maxRSS survives execve, so a forked child would report its parent's peak whenever that is higher.
 */
function peakRssBytes(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // No procfs (macOS, Windows): fall through to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}

process.once("message", (job: ContenderJob) => {
  runJob(job).then(
    (report) => {
      // A high-water mark, so it still counts worker threads that have exited since.
      const full: ContenderReport = { ...report, maxRssBytes: peakRssBytes() };
      process.send!(full, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
