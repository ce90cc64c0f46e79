/** Runs the built `ncii-hash` in a child process, exactly as a user or another tool would. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/ncii-hash.cjs", import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL("../../dist/cli/bundled/ncii-hash.cjs", import.meta.url));

export interface CliRun {
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Throws with the fix when the CLI has not been compiled (`npm test` builds first). */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first`);
}

export interface RunCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with the child as soon as it is spawned (to signal it while it runs). */
  onSpawn?: (child: ChildProcess) => void;
}

export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    options.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface HashLine {
  path: string;
  pdq?: string;
  quality?: number;
  width?: number;
  height?: number;
  dihedral?: string[];
  error?: { code: string; message: string };
}

/** stdout of the default format: one JSON object per line. */
export function jsonLines(stdout: string): HashLine[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as HashLine);
}

/** Lines keyed by path; a path printed twice is an error. */
export function byPath(lines: readonly HashLine[]): Map<string, HashLine> {
  const map = new Map<string, HashLine>();
  for (const line of lines) {
    if (map.has(line.path)) throw new Error(`${line.path} was printed twice`);
    map.set(line.path, line);
  }
  return map;
}
