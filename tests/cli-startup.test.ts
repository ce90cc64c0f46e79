/**
 * The CLI's start-up path: a run of one picture hashes it in the CLI's own thread and starts no worker thread
 * (a worker's start-up, ~0.15 s, would come before its first result); one HEIC goes to a worker before the main
 * thread loads sharp; a longer run starts workers as well, and every file gets the single-threaded path's bits
 * whichever thread hashed it.
 *
 * @module-tag e2e
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hashFile } from "../src/hash-in-thread.js";
import { assertCliBuilt, jsonLines, runCli } from "./support/cli.js";
import { CORPUS, FIXTURES, readExpected } from "./support/fixtures.js";

const THREAD_REPORT = fileURLToPath(new URL("./support/thread-report.cjs", import.meta.url));
const env = { ...process.env, NODE_OPTIONS: `--require ${THREAD_REPORT}` };

interface StartUp {
  workers: number;
  sharpHere: boolean;
  hashes: Map<string, unknown>;
}

async function run(paths: string[]): Promise<StartUp> {
  assertCliBuilt();
  const result = await runCli(["--workers", "2", ...paths], { env });
  expect(result.code).toBe(0);
  const report = /^worker threads started: (\d+); sharp in the main thread: (true|false)$/m.exec(result.stderr);
  if (!report) throw new Error(`no thread report in ${JSON.stringify(result.stderr)}`);
  const hashes = new Map(jsonLines(result.stdout).map((line) => [line.path as string, { pdq: line.pdq, quality: line.quality }]));
  return { workers: Number(report[1]), sharpHere: report[2] === "true", hashes };
}

async function inThisProcess(path: string): Promise<unknown> {
  const { pdq, quality } = await hashFile(path);
  return { pdq, quality };
}

describe("ncii-hash start-up", () => {
  it("hashes one picture in its own thread, starting no worker", async () => {
    const jpeg = `${CORPUS}opencv-graf1.q90.jpg`;
    const { workers, sharpHere, hashes } = await run([jpeg]);
    expect({ workers, sharpHere }).toEqual({ workers: 0, sharpHere: true });
    expect([...hashes]).toEqual([[jpeg, await inThisProcess(jpeg)]]);
  });

  it("hands one HEIC to a worker without loading sharp in its own thread", async () => {
    const heic = `${FIXTURES}heic/coffee.heic`;
    const { workers, sharpHere, hashes } = await run([heic]);
    expect({ workers, sharpHere }).toEqual({ workers: 1, sharpHere: false });
    expect([...hashes]).toEqual([[heic, await inThisProcess(heic)]]);
  });

  it("starts workers for a longer run, with the same bits on every file", async () => {
    const files = readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => `${CORPUS}${row.file}`);
    const { workers, hashes } = await run(files);
    expect(workers).toBeGreaterThan(0);
    expect(workers).toBeLessThanOrEqual(2);
    expect(hashes.size).toBe(files.length);
    for (const file of files) expect(hashes.get(file)).toEqual(await inThisProcess(file));
  });
});
