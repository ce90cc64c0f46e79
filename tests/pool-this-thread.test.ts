/**
 * The pool's own thread standing in for a worker while the workers start (`PoolEnvironment.thisThread`, the CLI's
 * `startInThisThread`). First on fake workers whose start-up the test holds and releases, so every hand-over is
 * deterministic; then on real worker threads and the real hasher, against the single-threaded path's bits.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as Comlink from "comlink";
import { afterEach, describe, expect, it } from "vitest";
import { decodesOffThisThread } from "../src/decode/decoding-thread.js";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { createEngineCache } from "../src/engine/index.js";
import { hashImageBytes } from "../src/hash-image.js";
import { resolveHashOptions } from "../src/options.js";
import type { HashOutcome, HashPool, HashSource, HashTask, WorkerApi } from "../src/pool-contract.js";
import { createPool, type ThisThreadHasher, type WorkerFactory } from "../workers/pool.js";
import { CORPUS, FIXTURES, readExpected } from "./support/fixtures.js";
import { createTestPool } from "./support/node-pool.js";

const pools: HashPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const task = (name: string): HashTask => ({ name, source: { kind: "path", path: name } });
const nameOf = (source: HashSource): string => (source.kind === "path" ? source.path : "?");
/** Each side signs its results, so a test can tell who hashed a file. */
const signed = (by: string, name: string): HashOutcome => ({ ok: true, hash: { pdq: `${by}:${name}`, quality: 100, width: 1, height: 1 } });
const hashedBy = (result: HashOutcome): string => (result.ok ? result.hash.pdq : result.error.code);

/**
 * Fake workers on MessageChannels in this thread: each starts only when the test releases it. One never finishes
 * the file named `hang`; the first to get `crashOnce` dies on it.
 */
function fakeWorkers({ hang, crashOnce }: FakeFaults) {
  const started: { release(): void; hashed: string[] }[] = [];
  let crashed = false;
  const factory: WorkerFactory = (onFailure) => {
    const { port1, port2 } = new MessageChannel();
    const gate = deferred<void>();
    const worker = { release: () => gate.resolve(), hashed: [] as string[] };
    const api: WorkerApi = {
      ready: () => gate.promise,
      async hash(source) {
        worker.hashed.push(nameOf(source));
        if (nameOf(source) === hang) await new Promise(() => {});
        if (nameOf(source) === crashOnce && !crashed) {
          crashed = true;
          onFailure("stopped unexpectedly (exit code 70)");
          await new Promise(() => {});
        }
        return signed("worker", nameOf(source));
      },
      async md5() {
        return { ok: true, md5: "d41d8cd98f00b204e9800998ecf8427e", size: 0 };
      },
    };
    Comlink.expose(api, port1);
    started.push(worker);
    return {
      endpoint: port2,
      terminate() {
        port1.close();
        port2.close();
      },
    };
  };
  return { factory, started };
}

/** This thread's hasher, each file held until the test settles it by name. */
function heldHere() {
  const calls: string[] = [];
  const held = new Map<string, Deferred<HashOutcome | undefined>>();
  const hasher: ThisThreadHasher = {
    hash(source) {
      const name = nameOf(source);
      calls.push(name);
      const outcome = deferred<HashOutcome | undefined>();
      held.set(name, outcome);
      return outcome.promise;
    },
  };
  return {
    hasher,
    calls,
    finish: (name: string) => held.get(name)!.resolve(signed("here", name)),
    turnDown: (name: string) => held.get(name)!.resolve(undefined),
    fail: (name: string) => held.get(name)!.reject(new Error("sharp could not load here")),
  };
}

/** Lets the pool's messages and microtasks run until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !done(); turn++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(done()).toBe(true);
}

interface FakeFaults {
  hang?: string;
  crashOnce?: string;
}

function fakePool(size: number, { taskTimeoutMs, ...faults }: FakeFaults & { taskTimeoutMs?: number } = {}) {
  const workers = fakeWorkers(faults);
  const here = heldHere();
  const pool = createPool({ createWorker: workers.factory, defaultSize: size, thisThread: here.hasher }, { size, taskTimeoutMs });
  pools.push(pool);
  return { pool, workers, here };
}

describe("this thread while the workers start", () => {
  it("hashes the first files while no worker has started, and none once one has", async () => {
    const { pool, workers, here } = fakePool(1, { hang: "two" });
    const one = pool.hash(task("one"));
    await until(() => here.calls.length === 1);
    expect(workers.started).toHaveLength(0); // one file: no worker was needed

    void pool.hash(task("two")); // this thread is busy: a worker starts for it (and then never finishes it)
    const three = pool.hash(task("three"));
    await until(() => workers.started.length === 1);
    here.finish("one");
    await until(() => here.calls.length === 2); // the worker has not started: this thread takes the next file
    expect(here.calls).toEqual(["one", "three"]);

    workers.started[0]!.release();
    await until(() => workers.started[0]!.hashed.length === 1);
    here.finish("three");
    expect([await one, await three].map(hashedBy)).toEqual(["here:one", "here:three"]);
    void pool.hash(task("four")); // waits for the busy worker, although this thread is free
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(here.calls).toEqual(["one", "three"]);
  });

  it("gives a worker the picture it turns down, and that costs the file none of its tries", async () => {
    const { pool, workers, here } = fakePool(1, { crashOnce: "photo.heic" });
    const heic = pool.hash(task("photo.heic"));
    await until(() => here.calls.length === 1);
    here.turnDown("photo.heic");
    await until(() => workers.started.length === 1);
    workers.started[0]!.release(); // this worker crashes on the file; the file's second try is on the next one
    await until(() => workers.started.length === 2);
    workers.started[1]!.release();
    expect(hashedBy(await heic)).toBe("worker:photo.heic");
    expect(here.calls).toEqual(["photo.heic"]);
  });

  it("sends a file that runs out of time here to a worker, and takes no more files", async () => {
    const { pool, workers, here } = fakePool(1, { taskTimeoutMs: 50 });
    const slow = pool.hash(task("slow.jpg"));
    await until(() => workers.started.length === 1); // after 50 ms here, the file goes to a worker
    here.finish("slow.jpg"); // the abandoned work ends at last: its result is dropped
    const next = pool.hash(task("next.jpg"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(here.calls).toEqual(["slow.jpg"]); // no worker has started, yet this thread is closed
    workers.started[0]!.release();
    expect([await slow, await next].map(hashedBy)).toEqual(["worker:slow.jpg", "worker:next.jpg"]);
  });

  it("reports the time-out once the worker's try has run out of time too", async () => {
    const { pool, workers } = fakePool(1, { taskTimeoutMs: 40, hang: "slow.jpg" });
    const slow = pool.hash(task("slow.jpg"));
    await until(() => workers.started.length === 1);
    workers.started[0]!.release();
    expect(await slow).toMatchObject({ ok: false, error: { code: "timeout", message: expect.stringMatching(/on 2 tries/) } });
  });

  it("settles a cancelled file at once, and drops what the work here returns", async () => {
    const { pool, workers, here } = fakePool(1);
    const stop = new AbortController();
    const first = pool.hash(task("first.jpg"), { signal: stop.signal });
    await until(() => here.calls.length === 1);
    const second = pool.hash(task("second.jpg"));
    const third = pool.hash(task("third.jpg")); // queued behind the worker that starts for the second
    await until(() => workers.started.length === 1);
    stop.abort();
    expect(hashedBy(await first)).toBe("cancelled");
    workers.started[0]!.release();
    expect([await second, await third].map(hashedBy)).toEqual(["worker:second.jpg", "worker:third.jpg"]);
    here.turnDown("first.jpg"); // the cancelled file is not handed to a worker either
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers.started[0]!.hashed).toEqual(["second.jpg", "third.jpg"]);
    expect(here.calls).toEqual(["first.jpg"]);
  });

  it("ends a cancelled file's time limit with it: the file is never handed on, and nothing waits for the limit", async () => {
    const { pool, workers, here } = fakePool(1, { taskTimeoutMs: 30 });
    const stop = new AbortController();
    const first = pool.hash(task("first.jpg"), { signal: stop.signal });
    await until(() => here.calls.length === 1);
    stop.abort();
    expect(hashedBy(await first)).toBe("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers.started).toHaveLength(0);
  });

  it("never takes an MD5", async () => {
    const { pool, workers, here } = fakePool(1);
    const video = pool.md5(task("clip.mp4"));
    await until(() => workers.started.length === 1);
    workers.started[0]!.release();
    expect(await video).toMatchObject({ ok: true });
    expect(here.calls).toEqual([]);
  });

  it("closes with the pool: the file running here is cancelled", async () => {
    const { pool, here } = fakePool(1);
    const running = pool.hash(task("running.jpg"));
    await until(() => here.calls.length === 1);
    await pool.close();
    expect(await running).toMatchObject({ ok: false, error: { code: "cancelled", message: expect.stringMatching(/pool was closed/) } });
  });

  it("leaves every file to the workers once its hasher has failed to load", async () => {
    const { pool, workers, here } = fakePool(2);
    const first = pool.hash(task("first.jpg"));
    await until(() => here.calls.length === 1);
    here.fail("first.jpg");
    await until(() => workers.started.length === 1);
    const second = pool.hash(task("second.jpg"));
    await until(() => workers.started.length === 2);
    for (const worker of workers.started) worker.release();
    expect([await first, await second].map(hashedBy)).toEqual(["worker:first.jpg", "worker:second.jpg"]);
    expect(here.calls).toEqual(["first.jpg"]);
  });
});

describe("this thread on real workers", { timeout: 120_000 }, () => {
  const options = resolveHashOptions();
  const engineFor = createEngineCache();
  const inProcess = async (path: string) => hashImageBytes(readFileSync(path), sharpDecoder, await engineFor(options.engine), options);
  const heic = `${FIXTURES}heic/coffee.heic`;

  it("knows which pictures sharp decodes off this thread", () => {
    expect(decodesOffThisThread(readFileSync(heic))).toBe(false);
    expect(decodesOffThisThread(readFileSync(`${CORPUS}opencv-graf1.q90.jpg`))).toBe(true);
    expect(decodesOffThisThread(readFileSync(`${CORPUS}skimage-astronaut.png`))).toBe(true);
  });

  it("hashes the corpus and a HEIC with the single-threaded path's bits", async () => {
    const files = [...readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => `${CORPUS}${row.file}`), heic];
    const pool = createTestPool({ size: 2, startInThisThread: true });
    pools.push(pool);
    const results = [];
    for await (const result of pool.hashAll(files.map((path) => ({ name: path, source: { kind: "path", path } })))) results.push(result);
    expect(results).toHaveLength(files.length);
    for (const result of results) expect(result).toMatchObject({ ok: true, hash: await inProcess(result.name) });
  });

  it("hashes a JPEG here while no worker can start, and leaves the HEIC to the workers", async () => {
    process.env.NCII_TEST_START = "fail"; // workers copy the environment when they start: none ever does
    try {
      const pool = createTestPool({ size: 1, startInThisThread: true, workerUrl: new URL("./support/faulty-node-worker.mjs", import.meta.url) });
      pools.push(pool);
      const jpeg = `${CORPUS}opencv-graf1.q90.jpg`;
      const [fromHere, fromWorker] = await Promise.all([pool.hash(task(jpeg)), pool.hash(task(heic))]);
      expect(fromHere).toMatchObject({ ok: true, hash: await inProcess(jpeg) });
      expect(fromWorker).toMatchObject({ ok: false, error: { code: "worker-failed" } });
    } finally {
      delete process.env.NCII_TEST_START;
    }
  });
});
