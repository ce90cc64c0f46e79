/** A progress bar on the terminal while results go to a file or pipe. */
import { createRequire } from "node:module";
import type CliProgress from "cli-progress";
import type { PoolProgress } from "../src/pool-contract.js";
import type { CliIo } from "./io.js";

export interface ProgressDisplay {
  update(progress: PoolProgress): void;
  stop(): void;
}

/**
 * Only when stderr is a terminal and results do not go to the same screen: redrawing a bar between result lines
 * would garble both. `resultsOnStdout` false: results go to a file (--output), so stdout's screen is free.
 */
export function createProgressDisplay(io: CliIo, resultsOnStdout = true): ProgressDisplay | undefined {
  if (!io.terminal || (resultsOnStdout && io.stdout.isTTY)) return undefined;
  // Required here, not imported at the top: most runs have no bar, and loading it delays the first file.
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof CliProgress;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.terminal,
      format: "{bar} {value}/{total} pictures{more} | {failed} failed | {duration_formatted}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // Started at the first progress report: a bar over zero pictures would show as complete.
  let started = false;
  return {
    update({ done, failed, submitted, inputComplete }) {
      // Until the folders are fully listed the total is still growing: "+" says so.
      const payload = { failed, more: inputComplete ? "" : "+" };
      if (!started) bar.start(submitted, done, payload);
      started = true;
      bar.setTotal(submitted);
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
