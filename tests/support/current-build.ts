/**
 * Global set-up of every test project: makes the build outputs the tests load match the sources before any test
 * runs. Suites that spawn the CLI or start worker threads run compiled JavaScript (dist/), and every suite loads
 * the WASM kernels (assembly/ -> src/**\/wasm) and decoders (codecs/ -> src/decode/wasm). An edited source must
 * never be tested through an older build of it, so:
 * - the kernels are rebuilt (npm run asbuild) when a file under assembly/ is newer than either of them;
 * - the decoders go through scripts/build-codecs.sh, which rebuilds only what changed (a check when nothing did);
 * - dist/ is brought up to date by tsc's incremental build of tsconfig.build.json, the same command `npm run
 *   tsbuild` runs (about a second when nothing changed), the WASM files are copied beside it, and the Node worker
 *   is bundled from it again (with the CLI, by scripts/bundle-node.mjs in a fraction of a second).
 * A source that does not compile stops the run with tsc's messages.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

const KERNELS = ["src/engine/wasm/pdq.wasm", "src/match/wasm/hash-index.wasm"];
const KERNEL_SOURCES = ["assembly", "asconfig.json", "asconfig.hash-index.json"];

/** Runs a step of the build in the repository; its output becomes the error when it fails. */
export function buildStep(command: string, args: readonly string[]): void {
  const run = spawnSync(command, args, { cwd: REPO, encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) {
    throw new Error(`\`${[command, ...args].join(" ")}\` failed (exit code ${run.status}):\n${run.stdout}${run.stderr}`);
  }
}

/** The newest modification time of the files at `paths` (recursively), with the file that has it. */
export function newestFile(paths: readonly string[]): { path: string; mtimeMs: number } {
  let newest = { path: "", mtimeMs: 0 };
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if (stat.mtimeMs > newest.mtimeMs) {
      newest = { path, mtimeMs: stat.mtimeMs };
    }
  };
  for (const path of paths) if (existsSync(join(REPO, path))) visit(join(REPO, path));
  return newest;
}

function kernelsAreCurrent(): boolean {
  if (!KERNELS.every((kernel) => existsSync(join(REPO, kernel)))) return false;
  const oldestKernel = Math.min(...KERNELS.map((kernel) => statSync(join(REPO, kernel)).mtimeMs));
  return newestFile(KERNEL_SOURCES).mtimeMs <= oldestKernel;
}

export function setup(): void {
  if (!kernelsAreCurrent()) buildStep("npm", ["run", "asbuild"]);
  buildStep("bash", ["scripts/build-codecs.sh"]);
  buildStep(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "--build", "tsconfig.build.json"]);
  buildStep(process.execPath, ["scripts/copy-wasm.mjs"]);
  buildStep(process.execPath, ["scripts/bundle-node.mjs"]);
}
