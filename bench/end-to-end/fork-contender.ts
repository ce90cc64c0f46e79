/** Parent side of one run: fork the child, hand it the job, wait for its report. */
import { fork } from "node:child_process";
import type { ContenderJob, ContenderReport } from "./specs.js";

const CHILD = new URL("./child.js", import.meta.url);
/** Generous: the slowest contender on the full set takes a few minutes on 2 busy cores; a hang must still end. */
const RUN_TIMEOUT_MS = 15 * 60_000;

export function runInChild(job: ContenderJob): Promise<ContenderReport> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let report: ContenderReport | undefined;
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.once("message", (message) => {
      report = message as ContenderReport;
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (report) resolve(report);
      else reject(new Error(`contender process ended without a report (${signal ?? `exit ${code}`})`));
    });
    child.send(job);
  });
}
