// The Node worker pool on real worker_threads, real fixtures (the threads run the compiled worker:
// tests/support/node-pool.ts).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { loadEngine } from "../src/engine/index.js";
import type { PdqEngine } from "../src/engine/types.js";
import { hashImageBytes, type ImageHash } from "../src/hash-image.js";
import { resolveHashOptions, type EngineKind, type HashOptions } from "../src/options.js";
import type { NodePoolOptions } from "../workers/node-pool.js";
import type { HashPool, HashTask, PoolProgress, PoolResult } from "../src/pool-contract.js";
import { createTestPool } from "./support/node-pool.js";

const CORPUS = fileURLToPath(new URL("./fixtures/corpus/", import.meta.url));
const FAULTY_WORKER = new URL("./support/faulty-node-worker.mjs", import.meta.url);

function readTsv(name: string): string[][] {
  return readFileSync(join(CORPUS, name), "utf8").trim().split("\n").slice(1).map((line) => line.split("\t"));
}

const corpusFiles = readTsv("files.tsv").map(([file]) => file!);
const referenceFullRes = new Map(
  readTsv("expected-fullres.tsv").map(([file, pdq, quality]) => [file!, { pdq, quality: Number(quality) }]),
);
const referenceDihedral = new Map(readTsv("expected-dihedral.tsv").map(([file, ...rest]) => [file!, rest.slice(0, 8)]));

const pathTask = (file: string, dir = CORPUS): HashTask => ({
  name: file,
  source: { kind: "path", path: join(dir, file) },
});
const bytesTask = (name: string, bytes: Uint8Array): HashTask => ({ name, source: { kind: "bytes", bytes } });
const failedWith = (code: string) => ({ ok: false, error: { code } });

const engines = new Map<EngineKind, Promise<PdqEngine>>();
/** The single-threaded path the pool must reproduce bit for bit. */
async function hashInProcess(file: string, options: HashOptions): Promise<ImageHash> {
  if (!engines.has(options.engine)) engines.set(options.engine, loadEngine(options.engine));
  return hashImageBytes(readFileSync(join(CORPUS, file)), sharpDecoder, await engines.get(options.engine)!, options);
}

async function collect(results: AsyncIterable<PoolResult>): Promise<PoolResult[]> {
  const collected: PoolResult[] = [];
  for await (const result of results) collected.push(result);
  return collected;
}

/** Corpus tasks, `count` per generator, counting every task any of its generators hands out. */
function countedCorpusTasks(count: number): { tasks(): Generator<HashTask>; readonly pulled: number } {
  let pulled = 0;
  return {
    *tasks() {
      for (let i = 0; i < count; i++) {
        pulled += 1;
        yield pathTask(corpusFiles[i % corpusFiles.length]!);
      }
    },
    get pulled() {
      return pulled;
    },
  };
}

function expectOneResultPerTask(results: PoolResult[], taken: number): void {
  expect(results.map((result) => result.index).sort((a, b) => a - b)).toEqual([...Array(taken).keys()]);
}

const pools: HashPool[] = [];
function pool(options: NodePoolOptions): HashPool {
  const created = createTestPool(options);
  pools.push(created);
  return created;
}
afterAll(() => Promise.all(pools.map((created) => created.close())));

describe("Node worker pool", { timeout: 120_000 }, () => {
  it("hashes the corpus exactly as the in-process engine does, reporting progress", async () => {
    const options = resolveHashOptions();
    const progress: PoolProgress[] = [];
    const tasks = corpusFiles.map((file) => pathTask(file));
    const results = await collect(pool({ size: 2 }).hashAll(tasks, { onProgress: (p) => progress.push({ ...p }) }));

    expectOneResultPerTask(results, corpusFiles.length);
    for (const result of results) {
      expect(result.name).toBe(corpusFiles[result.index]);
      const hash = await hashInProcess(result.name, options);
      expect(result).toEqual({ ok: true, hash, index: result.index, name: result.name });
      // PNG decoding is lossless, so these must also be the C++ reference's bits (flat images: float noise only).
      const reference = referenceFullRes.get(result.name)!;
      if (result.name.endsWith(".png") && reference.quality > 0) expect(hash.pdq).toBe(reference.pdq);
    }
    const total = corpusFiles.length;
    expect(progress.at(-1)).toEqual({ done: total, failed: 0, submitted: total, inputComplete: true });
    for (const [before, after] of progress.slice(1).map((p, i) => [progress[i]!, p] as const)) {
      expect(after.done).toBeGreaterThanOrEqual(before.done);
      expect(after.submitted).toBeGreaterThanOrEqual(before.submitted);
    }
  });

  it("passes the options through: TypeScript engine, 512 pre-resize, dihedral variants", async () => {
    const hashOptions = { engine: "js", resize: "512", dihedral: true } as const;
    const files = ["skimage-astronaut.png", "opencv-graf1.png", "synth-wide-4000x20.png", "skimage-coffee.png"];
    const results = await collect(pool({ size: 2, hashOptions }).hashAll(files.map((file) => pathTask(file))));

    expectOneResultPerTask(results, files.length);
    for (const result of results) {
      if (!result.ok) throw new Error(`${result.name}: ${result.error.code}`);
      expect(result.hash).toEqual(await hashInProcess(result.name, resolveHashOptions(hashOptions)));
      expect(result.hash.dihedral).toEqual(referenceDihedral.get(result.name));
    }
  });

  it("reads bytes (transferred, not copied), Blobs and paths, and reports per-file errors", async () => {
    const hashes = pool({ size: 1 });
    const file = "skimage-camera.png";
    const expected = await hashInProcess(file, resolveHashOptions());

    const fileBytes = readFileSync(join(CORPUS, file));
    const owned = new Uint8Array(fileBytes);
    expect(await hashes.hash(bytesTask("owned", owned))).toMatchObject({ ok: true, hash: expected });
    expect(owned.byteLength).toBe(0); // the buffer moved to the worker

    const padded = new Uint8Array(fileBytes.byteLength + 16);
    const view = padded.subarray(8, 8 + fileBytes.byteLength);
    view.set(fileBytes);
    expect(await hashes.hash(bytesTask("view", view))).toMatchObject({ ok: true, hash: expected });
    expect(padded.byteLength).toBe(fileBytes.byteLength + 16); // a view is copied: its buffer holds more than the file

    const blob = new Blob([fileBytes]);
    const blobTask: HashTask = { name: "blob", source: { kind: "blob", blob } };
    expect(await hashes.hash(blobTask)).toMatchObject({ ok: true, hash: expected });

    expect(await hashes.hash(pathTask("no-such-file.png"))).toMatchObject(failedWith("read-failed"));
    expect(await hashes.hash(bytesTask("empty", new Uint8Array(0)))).toMatchObject(failedWith("empty"));
    expect(await hashes.hash(pathTask("README.md"))).toMatchObject(failedWith("not-an-image"));
  });

  it("stops reading and settles every taken task once when a batch is aborted midway", async () => {
    const maxInFlight = 4;
    const controller = new AbortController();
    const input = countedCorpusTasks(400);

    const results: PoolResult[] = [];
    for await (const result of pool({ size: 2, maxInFlight }).hashAll(input.tasks(), { signal: controller.signal })) {
      results.push(result);
      if (results.length === 5) controller.abort();
    }

    expect(input.pulled).toBeLessThanOrEqual(5 + maxInFlight);
    expectOneResultPerTask(results, input.pulled);
    const afterAbort = results.slice(5);
    expect(afterAbort.length).toBeGreaterThan(0);
    expect(afterAbort.every((result) => !result.ok && result.error.code === "cancelled")).toBe(true);
  });

  it("stops when the consumer leaves the loop early, and the pool keeps working", async () => {
    const hashes = pool({ size: 2, maxInFlight: 3 });
    let pulled = 0;
    const tasks = corpusFiles.map((file) => pathTask(file)).values();
    const counted = { [Symbol.iterator]: () => ({ next: () => ((pulled += 1), tasks.next()) }) };
    for await (const result of hashes.hashAll(counted)) {
      expect(result.ok).toBe(true);
      break;
    }
    expect(pulled).toBeLessThanOrEqual(1 + 3);
    expect(await hashes.hash(pathTask("opencv-home.png"))).toMatchObject({ ok: true });
  });

  it("delivers the results of tasks taken before the input failed, then throws the input's error", async () => {
    async function* failing(): AsyncGenerator<HashTask> {
      yield pathTask("opencv-home.png");
      yield pathTask("skimage-page.png");
      throw new Error("directory vanished");
    }
    const results: PoolResult[] = [];
    await expect(async () => {
      for await (const result of pool({ size: 2 }).hashAll(failing())) results.push(result);
    }).rejects.toThrow("directory vanished");
    expectOneResultPerTask(results, 2);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it("settles single hashes as cancelled on abort and on close, never rejecting", async () => {
    const hashes = createTestPool({ size: 1 });
    const preAborted = await hashes.hash(pathTask("opencv-home.png"), { signal: AbortSignal.abort() });
    expect(preAborted).toMatchObject(failedWith("cancelled"));

    const controller = new AbortController();
    const running = hashes.hash(pathTask("opencv-aloeL.png"), { signal: controller.signal });
    const queued = hashes.hash(pathTask("opencv-home.png"), { signal: controller.signal });
    controller.abort();
    expect(await running).toMatchObject(failedWith("cancelled"));
    expect(await queued).toMatchObject(failedWith("cancelled"));

    const pending = [hashes.hash(pathTask("opencv-aloeL.png")), hashes.hash(pathTask("opencv-home.png"))];
    await hashes.close();
    for (const result of await Promise.all(pending)) expect(result).toMatchObject(failedWith("cancelled"));
    expect(await hashes.hash(pathTask("opencv-home.png"))).toMatchObject(failedWith("cancelled"));
  });

  it("ends running batches on close without reading the rest of their input", async () => {
    const hashes = createTestPool({ size: 2, maxInFlight: 4 });
    const input = countedCorpusTasks(400);

    const results: PoolResult[] = [];
    for await (const result of hashes.hashAll(input.tasks())) {
      results.push(result);
      if (results.length === 1) void hashes.close();
    }

    expect(input.pulled).toBeLessThanOrEqual(1 + 4);
    expectOneResultPerTask(results, input.pulled);
    expect(results.slice(1).every((result) => result.ok || result.error.code === "cancelled")).toBe(true);
    expect(await collect(hashes.hashAll(input.tasks()))).toEqual([]);
    expect(input.pulled).toBeLessThanOrEqual(1 + 4);
  });

  it("replaces crashed, hung and out-of-memory workers: one retry, then worker-failed or timeout", { tags: ["slow"] }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "ncii-pool-"));
    try {
      const plan = {
        "opencv-home.png": "ok",
        "crash-once-skimage-page.png": "ok",
        "skimage-coffee.png": "ok",
        "crash-opencv-baboon.png": "worker-failed",
        "opencv-orange.png": "ok",
        "hang-skimage-camera.png": "timeout",
        "oom-opencv-smarties.png": "worker-failed",
        "skimage-rocket.png": "ok",
      } as const;
      const original = (name: string) => name.replace(/^(crash-once|crash|hang|oom)-/, "");
      for (const name of Object.keys(plan)) copyFileSync(join(CORPUS, original(name)), join(dir, name));
      const faulty = pool({
        size: 2,
        taskTimeoutMs: 3_000,
        workerUrl: FAULTY_WORKER,
        resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
      });

      const names = Object.keys(plan) as (keyof typeof plan)[];
      const results = await collect(faulty.hashAll(names.map((name) => pathTask(name, dir))));

      expectOneResultPerTask(results, names.length);
      for (const result of results) {
        const name = result.name as keyof typeof plan;
        if (plan[name] === "ok") {
          expect(result).toMatchObject({ ok: true, hash: await hashInProcess(original(name), resolveHashOptions()) });
        } else {
          expect(result).toMatchObject(failedWith(plan[name]));
        }
      }
      const oom = results.find((result) => result.name.startsWith("oom-"))!;
      expect(!oom.ok && oom.error.message).toMatch(/ran out of memory.*2 tries/);

      // Transferred bytes leave with the worker: no second try is possible, and the message says so.
      const lost = await faulty.hash(bytesTask("crash-bytes", new TextEncoder().encode("crash")));
      expect(lost).toMatchObject(failedWith("worker-failed"));
      expect(!lost.ok && lost.error.message).toMatch(/could not be tried again/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps memory bounded over 2,000 generated images, never reading more than maxInFlight ahead", { tags: ["slow"] }, async () => {
    const count = 2_000;
    const maxInFlight = 4;
    const options = resolveHashOptions();
    const engine = await loadEngine(options.engine);
    // Noise pictures stored uncompressed, ~200 KB each: the batch would be ~400 MB if it piled up anywhere.
    const templates = await Promise.all(
      [...Array(8).keys()].map(async () => {
        const noise = { type: "gaussian", mean: 128, sigma: 48 } as const;
        const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#808080", noise } })
          .png({ compressionLevel: 0 })
          .toBuffer();
        return { png, hash: await hashImageBytes(png, sharpDecoder, engine, options) };
      }),
    );
    let pulled = 0;
    let received = 0;
    let mostAhead = 0;
    function* generated(): Generator<HashTask> {
      for (let i = 0; i < count; i++) {
        pulled += 1;
        mostAhead = Math.max(mostAhead, pulled - received);
        // A fresh buffer per task, as a caller reading files would have; the pool transfers it to a worker.
        yield bytesTask(String(i), new Uint8Array(templates[i % templates.length]!.png));
      }
    }

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let mismatches = 0;
    for await (const result of pool({ size: 2, maxInFlight }).hashAll(generated())) {
      received += 1;
      const expected = templates[Number(result.name) % templates.length]!.hash;
      if (!result.ok || result.index !== Number(result.name) || result.hash.pdq !== expected.pdq) mismatches += 1;
      if (received % 25 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }

    expect(received).toBe(count);
    expect(mismatches).toBe(0);
    expect(mostAhead).toBeLessThanOrEqual(maxInFlight);
    // Measured: ~100 MB (mostly the two worker threads themselves) bounded, ~440 MB when reading runs ahead.
    expect((peak - baseline) / 2 ** 20).toBeLessThan(200);
  });
});
