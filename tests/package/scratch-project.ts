/**
 * The package as a partner gets it: `npm pack` of the built repository, installed from the tarball into a new
 * project in the system's temp folder. Nothing is linked back to this checkout, so a file missing from `files`,
 * a wrong `exports` path or an asset a bundler cannot find fails here as it would for them.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_DIR = fileURLToPath(new URL("../../", import.meta.url));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface ScratchProject {
  dir: string;
  /** The installed package: <dir>/node_modules/ncii-hasher */
  packageDir: string;
  remove(): Promise<void>;
}

/** Packs the built repository and installs the tarball into a fresh project; `npm test` builds first. */
export async function installPackedPackage(): Promise<ScratchProject> {
  for (const built of ["dist/entries/node.js", "dist/web/ncii-hasher.js", "dist/ncii-hasher.sri.json"]) {
    if (!existsSync(join(REPO_DIR, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const dir = await mkdtemp(join(tmpdir(), "ncii-hasher-package-"));
  try {
    // --ignore-scripts: `prepare` would rebuild what the test run has just built.
    const { stdout } = await run(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: REPO_DIR,
      maxBuffer: 16 << 20,
    });
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "partner-app", private: true, type: "module" }));
    await run(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", join(dir, filename)], {
      cwd: dir,
      maxBuffer: 16 << 20,
    });
    return { dir, packageDir: join(dir, "node_modules", "ncii-hasher"), remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

export function runIn(dir: string, command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(command, args, { cwd: dir, maxBuffer: 16 << 20 });
}
