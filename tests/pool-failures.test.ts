/**
 * The pool's failure paths on real worker threads (as in pool.test.ts): an engine that cannot
 * load is retried and its worker replaced, start-up has its own limit, an MD5 read that stops making progress is
 * stopped, and a task that makes `submit` throw still ends with one result.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { NodePoolOptions } from "../workers/node-pool.js";
import type { HashPool, HashTask, PoolResult } from "../src/pool-contract.js";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { loadEngine } from "../src/engine/index.js";
import { resolveHashOptions } from "../src/options.js";
import { streamResults } from "../workers/stream-results.js";
import { createWorkerApi } from "../workers/worker-api.js";
import { createTestPool } from "./support/node-pool.js";

const CORPUS = fileURLToPath(new URL("./fixtures/corpus/", import.meta.url));
const FAULTY_WORKER = new URL("./support/faulty-node-worker.mjs", import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), "ncii-pool-failures-"));
const pools: HashPool[] = [];

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  rmSync(scratch, { recursive: true, force: true });
});

const pathTask = (file: string, dir = CORPUS): HashTask => ({ name: file, source: { kind: "path", path: join(dir, file) } });

function faultyPool(options: NodePoolOptions = {}): HashPool {
  const pool = createTestPool({ size: 1, workerUrl: FAULTY_WORKER, ...options });
  pools.push(pool);
  return pool;
}

async function collect<T>(results: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const result of results) collected.push(result);
  return collected;
}

/** Runs `body` with the faulty worker's start-up mode set; workers copy the environment when they start. */
async function withStartMode<T>(mode: string, body: () => Promise<T>): Promise<T> {
  process.env.NCII_TEST_START = mode;
  try {
    return await body();
  } finally {
    delete process.env.NCII_TEST_START;
  }
}

describe("engine load failures", () => {
  it("in a worker: a failed load is tried again, and forgotten rather than kept for every later file", async () => {
    let calls = 0;
    let failuresLeft = 3;
    const api = createWorkerApi({
      decoder: sharpDecoder,
      async loadEngine(kind) {
        calls += 1;
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error("no WebAssembly today");
        }
        return loadEngine(kind);
      },
    });
    // Two failures: `ready` tried twice and gives up, so the pool can replace the worker.
    await expect(api.ready("wasm")).rejects.toThrow(/could not start \(no WebAssembly today\)/);
    expect(calls).toBe(2);
    // The third fails, the retry inside `ready` succeeds, and the engine is then kept.
    await expect(api.ready("wasm")).resolves.toBeUndefined();
    expect(calls).toBe(4);
    const bytes = new Uint8Array(readFileSync(join(CORPUS, "opencv-home.png")));
    expect(await api.hash({ kind: "bytes", bytes }, resolveHashOptions())).toMatchObject({ ok: true });
    expect(calls).toBe(4);
  });

  it("in the pool: a worker whose engine cannot load is replaced, and the file is hashed on the next one", async () => {
    const marker = join(scratch, "engine-failed-once");
    const results = await withStartMode(`fail-once:${marker}`, () =>
      collect(faultyPool().hashAll(["opencv-home.png", "skimage-page.png"].map((file) => pathTask(file)))),
    );
    expect(results.map((result) => result.ok)).toEqual([true, true]);
  });

  it("in the pool: when no worker can load the engine, every file ends as worker-failed (no hang, no endless restarts)", async () => {
    const results = await withStartMode("fail", () =>
      collect(faultyPool({ size: 2 }).hashAll(["opencv-home.png", "skimage-page.png", "opencv-orange.png"].map((file) => pathTask(file)))),
    );
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: "worker-failed" } });
      expect(!result.ok && result.error.message).toMatch(/could not start .*test engine refuses to load.*2 tries/);
    }
  });
});

describe("start-up and per-file limits", () => {
  it("a slow start counts against startTimeoutMs, not against the file's taskTimeoutMs", async () => {
    const result = await withStartMode("slow:1500", () =>
      faultyPool({ taskTimeoutMs: 500, startTimeoutMs: 20_000 }).hash(pathTask("opencv-home.png")),
    );
    expect(result).toMatchObject({ ok: true });
  });

  it("a worker that does not start within startTimeoutMs is replaced, then the file fails as worker-failed", async () => {
    const result = await withStartMode("slow:30000", () =>
      faultyPool({ taskTimeoutMs: 60_000, startTimeoutMs: 300 }).hash(pathTask("opencv-home.png")),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "worker-failed" } });
    expect(!result.ok && result.error.message).toMatch(/did not start in time, on 2 tries/);
  });
});

describe("MD5 stall watchdog", () => {
  it("an MD5 read that stops making progress ends as timeout; a slow one that keeps going is not stopped", async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 31) & 0xff);
    for (const name of ["stall-clip.mp4", "slow-clip.mp4"]) writeFileSync(join(scratch, name), bytes);
    const pool = faultyPool({ size: 2, stallTimeoutMs: 1_000 });
    const [stalled, slow] = await Promise.all(["stall-clip.mp4", "slow-clip.mp4"].map((name) => pool.md5(pathTask(name, scratch))));

    expect(stalled).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect(!stalled!.ok && stalled!.error.message).toMatch(/made no progress for 1 s, on 2 tries/);
    // Two seconds in all, more than the stall limit, with a chunk every 200 ms.
    expect(slow).toMatchObject({ ok: true, md5: createHash("md5").update(bytes).digest("hex"), size: bytes.length });
  });
});

describe("tasks that make submit throw", () => {
  it("streamResults: a throwing or rejecting submit ends that task as worker-failed and the batch finishes", async () => {
    const tasks = ["a", "throws", "b", "rejects"].map((name): HashTask => ({ name, source: { kind: "path", path: name } }));
    const results = await collect(
      streamResults(
        tasks,
        (task) => {
          if (task.name === "throws") throw new TypeError("bad task");
          if (task.name === "rejects") return Promise.reject(new Error("lost"));
          return Promise.resolve({ ok: false as const, error: { code: "not-an-image" as const, message: "test" } });
        },
        2,
        { stopSignals: [] },
      ),
    );
    expect(results.map(({ name, ok, index }) => ({ name, ok, index })).sort((x, y) => x.index - y.index)).toEqual([
      { name: "a", ok: false, index: 0 },
      { name: "throws", ok: false, index: 1 },
      { name: "b", ok: false, index: 2 },
      { name: "rejects", ok: false, index: 3 },
    ]);
    const byName = new Map(results.map((result) => [result.name, result]));
    expect(byName.get("throws")).toMatchObject({ error: { code: "worker-failed", message: expect.stringContaining("bad task") } });
    expect(byName.get("rejects")).toMatchObject({ error: { code: "worker-failed", message: expect.stringContaining("lost") } });
  });

  it("the pool: a malformed task in the input gets one failed result and the others are hashed", async () => {
    const pool = createTestPool({ size: 1 });
    pools.push(pool);
    const tasks = [pathTask("opencv-home.png"), null as unknown as HashTask, pathTask("skimage-page.png")];
    const results: PoolResult[] = await collect(pool.hashAll(tasks));
    expect(results.map((result) => [result.index, result.ok]).sort()).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(results.find((result) => result.index === 1)).toMatchObject({ name: "", error: { code: "worker-failed" } });
  });
});
