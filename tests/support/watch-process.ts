/**
 * Runs a command that prints one line per result and watches its memory while it works: the peak resident set
 * (Linux VmHWM, which counts every thread: worker threads, libvips' threads, WASM memory) read when the Nth line
 * arrives, for each checkpoint N, and at the end. Comparing an early checkpoint with the end shows whether memory
 * grows with the batch; the peak alone would hide that.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export interface WatchedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  lines: number;
  /** From spawning to the last line. */
  seconds: number;
  /** Peak resident set in bytes when each checkpoint's line arrived (checkpoints past the last line are absent). */
  peakRssAt: Map<number, number>;
  /** Peak resident set in bytes at the last reading before the process ended. */
  peakRss: number;
}

export interface WatchOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Line counts at which to read the peak resident set. */
  checkpoints: readonly number[];
  onLine(line: string): void;
}

/** Between line checkpoints the peak is also polled, so the last reading before exit is recent. */
const POLL_MS = 200;

export function watchProcess(command: string, args: readonly string[], options: WatchOptions): Promise<WatchedRun> {
  if (readPeakRss("self") === undefined) throw new Error("peak memory is read from /proc/<pid>/status (VmHWM), which needs Linux");
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const peakRssAt = new Map<number, number>();
    let peakRss = 0;
    let lines = 0;
    let lastLineAt = started;
    let stderr = "";
    const read = () => {
      const peak = child.pid === undefined ? undefined : readPeakRss(child.pid);
      if (peak !== undefined) peakRss = Math.max(peakRss, peak);
      return peak;
    };
    const poll = setInterval(read, POLL_MS);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines++;
      lastLineAt = performance.now();
      options.onLine(line);
      if (options.checkpoints.includes(lines)) {
        const peak = read();
        if (peak !== undefined) peakRssAt.set(lines, peak);
      }
    });
    child.on("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr, lines, seconds: (lastLineAt - started) / 1000, peakRssAt, peakRss });
    });
  });
}

/** VmHWM of a process in bytes; undefined once it has ended (a process being reaped has no memory lines). */
export function readPeakRss(pid: number | "self"): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) * 1024;
}
