/** The machine's load average, recorded around each section: above the core count, other work shared the CPU. */
import { loadavg } from "node:os";
import { round3 } from "./stats.js";

export interface MachineLoad {
  oneMinute: number;
  fiveMinutes: number;
  fifteenMinutes: number;
}

export interface LoadAround {
  before: MachineLoad;
  after: MachineLoad;
}

export function machineLoad(): MachineLoad {
  const [oneMinute = 0, fiveMinutes = 0, fifteenMinutes = 0] = loadavg();
  return { oneMinute: round3(oneMinute), fiveMinutes: round3(fiveMinutes), fifteenMinutes: round3(fifteenMinutes) };
}

/** Runs `work` and the load average before and after it. */
export async function withMachineLoad<T>(work: () => Promise<T>): Promise<{ result: T; load: LoadAround }> {
  const before = machineLoad();
  const result = await work();
  return { result, load: { before, after: machineLoad() } };
}

export function describeLoad({ before, after }: LoadAround): string {
  return `load average ${before.oneMinute} before, ${after.oneMinute} after (1 min)`;
}
