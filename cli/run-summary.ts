/**
 * The summary at the end of a run: on stderr for a person, and with `--output` as FILE.summary.json for the
 * scheduler or script that started it. A plain run to stdout keeps its one line, printed only when something
 * failed or was skipped, as before; a run with --output or --shard, or one that was interrupted, always says
 * what it did, with error codes and elapsed time.
 */
import { rename, writeFile } from "node:fs/promises";
import type { CliIo } from "./io.js";
import { countOutcome, type OutcomeCounts, type Outcome } from "./result-index.js";
import type { ResultsFile } from "./results-file.js";
import type { Repairs } from "./resume.js";
import { packageVersion } from "./version.js";
import { noSkips, skippedSummary, type SkipCounts } from "./walk.js";

/** What this run did. */
export class RunTally {
  readonly outcomes: OutcomeCounts = { files: 0, pdq: 0, md5: 0, failed: 0, errors: {} };
  /** Files in folders passed over: outside the run's scope (not pictures), or symbolic links not followed. */
  readonly skips: SkipCounts = noSkips();
  /** Files `--resume` found already hashed in FILE, unchanged. */
  alreadyDone = 0;
  readonly startedAt = new Date();
  private readonly started = performance.now();

  add(outcome: Outcome): void {
    countOutcome(this.outcomes, outcome);
  }

  get hashed(): number {
    return this.outcomes.pdq + this.outcomes.md5;
  }

  elapsedSeconds(): number {
    return Math.round(performance.now() - this.started) / 1000;
  }
}

export interface RunSummary {
  tool: "ncii-hash";
  version: string;
  /** FILE of `--output`. */
  output: string;
  shard: string | null;
  /** `complete`: every input was met. `interrupted`: stopped by a signal; run again with --resume. */
  status: "complete" | "interrupted";
  interruptedBy: string | null;
  startedAt: string;
  endedAt: string;
  elapsedSeconds: number;
  /** What this run did: files hashed (PDQ or MD5) and failed, skipped as out of scope, links not followed, already in FILE. */
  thisRun: OutcomeCounts & { skipped: number; symbolicLinksNotFollowed: number; alreadyDone: number };
  /** What FILE holds now, each file once. */
  results: OutcomeCounts;
  /** What --resume put right before carrying on (files concerned were hashed again). */
  repairs: Repairs | null;
  /** FILE was rewritten at the end to drop older lines of changed files and lines of files that have gone. */
  rewritten: boolean;
  exitCode: number;
}

export interface RunEnd {
  tally: RunTally;
  shard: string | null;
  interruptedBy: NodeJS.Signals | null;
  exitCode: number;
  /** With --output: the file, what it holds now, and whether it was rewritten at the end. */
  output?: { results: ResultsFile; held: OutcomeCounts; rewritten: boolean };
}

/** The summary on stderr and, with --output, in FILE.summary.json. */
export async function reportRun(io: CliIo, end: RunEnd): Promise<void> {
  const { tally, shard, interruptedBy, exitCode, output } = end;
  if (output) {
    const { results, held, rewritten } = output;
    await writeSummaryFile(results.paths.summary, {
      tool: "ncii-hash",
      version: packageVersion(),
      output: results.paths.file,
      shard,
      status: interruptedBy ? "interrupted" : "complete",
      interruptedBy,
      startedAt: tally.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      elapsedSeconds: tally.elapsedSeconds(),
      thisRun: {
        ...tally.outcomes,
        skipped: tally.skips["out-of-scope"],
        symbolicLinksNotFollowed: tally.skips["symbolic-link"],
        alreadyDone: tally.alreadyDone,
      },
      results: held,
      repairs: results.resumed ? results.repairs : null,
      rewritten,
      exitCode,
    });
  }
  io.stderr.write(summaryText(end));
}

/** The stderr lines (each ending in a newline), or "" when a plain run to stdout has nothing to report. */
function summaryText({ tally, shard, interruptedBy, output }: RunEnd): string {
  const { outcomes } = tally;
  const skipped = skippedSummary(tally.skips);
  if (!output && shard === null && interruptedBy === null) {
    return outcomes.failed > 0 || skipped !== "" ? `ncii-hash: ${tally.hashed} hashed, ${outcomes.failed} failed${skipped}\n` : "";
  }
  const prefix = `ncii-hash: ${shard === null ? "" : `shard ${shard}: `}${interruptedBy === null ? "" : `stopped by ${interruptedBy}: `}`;
  const file = output?.results.paths.file;
  const already = file !== undefined && tally.alreadyDone > 0 ? `, ${tally.alreadyDone} already in ${file}` : "";
  let text = `${prefix}${tally.hashed} hashed, ${outcomes.failed} failed${errorCodes(outcomes)}${skipped}${already}; ${duration(tally.elapsedSeconds())}\n`;
  if (output) {
    const { held } = output;
    text +=
      `ncii-hash: ${file} holds ${held.files} files: ${held.pdq + held.md5} hashed, ${held.failed} failed` +
      `${errorCodes(held)}; summary in ${output.results.paths.summary}\n`;
    if (interruptedBy !== null) text += `ncii-hash: run the same command with --resume to carry on\n`;
  }
  return text;
}

/** Written to a temporary file and renamed, so a reader never sees half a summary. */
async function writeSummaryFile(path: string, summary: RunSummary): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, JSON.stringify(summary, null, 2) + "\n");
  await rename(temporary, path);
}

function errorCodes(counts: OutcomeCounts): string {
  const codes = Object.entries(counts.errors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.length === 0 ? "" : ` (${codes.map(([code, count]) => `${count} ${code}`).join(", ")})`;
}

/** `8.2 s`, `12 min 03 s`, `3 h 02 min`. */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${two(whole % 60)} s`;
  return `${Math.floor(whole / 3600)} h ${two(Math.floor((whole % 3600) / 60))} min`;
}
