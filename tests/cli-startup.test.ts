/**
 * The CLI's start-up path: the worker it starts before the command loads (stopped again for runs that need none),
 * and how a pool takes that worker.
 * The pool runs from dist/, which the tests' global set-up keeps current.
 *
 * @module-tag e2e
 */
import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { hashWorkerCount } from "../cli/args.js";
import { startNodeWorkerEarly, stopEarlyWorkers, takeEarlyWorker } from "../dist/workers/early-worker.js";
import { createNodePool } from "../dist/workers/node-pool.js";
import { CORPUS, readExpected } from "./support/fixtures.js";

const EARLY_WORKER = fileURLToPath(new URL("../dist/workers/early-worker.js", import.meta.url));

describe("hashWorkerCount", () => {
  it("counts the workers of a hash run, and none for anything else", () => {
    expect(hashWorkerCount(["a.jpg"])).toBe(availableParallelism());
    expect(hashWorkerCount(["--workers", "3", "--md5", "folder"])).toBe(3);
    expect(hashWorkerCount(["--workers", "0", "a.jpg"])).toBe(0);
    expect(hashWorkerCount(["--help"])).toBe(0);
    expect(hashWorkerCount(["--version"])).toBe(0);
    expect(hashWorkerCount([])).toBe(0);
    expect(hashWorkerCount(["--resize", "huge", "a.jpg"])).toBe(0);
    expect(hashWorkerCount(["match", "--list", "hashes.txt", "a.jpg"])).toBe(0);
    expect(hashWorkerCount(["dupes", "a.jpg"])).toBe(0);
  });
});

describe("startNodeWorkerEarly", () => {
  it("starts a worker the next pool takes and hashes with, giving the reference's hash", async () => {
    const expected = readExpected(`${CORPUS}expected-fullres.tsv`).find((row) => row.file.endsWith(".jpg"))!;
    startNodeWorkerEarly();
    const pool = createNodePool({ size: 1 });
    try {
      const result = await pool.hash({ name: expected.file, source: { kind: "path", path: `${CORPUS}${expected.file}` } });
      expect(result).toMatchObject({ ok: true, hash: { pdq: expected.pdq, quality: expected.quality } });
    } finally {
      await pool.close();
    }
  });

  it("stops a thread no pool has taken, which no pool can take from then on", async () => {
    startNodeWorkerEarly();
    const stopping = stopEarlyWorkers();
    expect(takeEarlyWorker()).toBeUndefined();
    await stopping;
  });

  it("does not keep the process alive when no pool takes the worker", async () => {
    const script = `const { startNodeWorkerEarly } = await import(${JSON.stringify(EARLY_WORKER)}); startNodeWorkerEarly();`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 30_000 });
    expect({ stdout, stderr }).toEqual({ stdout: "", stderr: "" });
  });
});
