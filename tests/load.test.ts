/**
 * Load: 10,000 generated pictures (300 of them 2-4 MP, spread through the batch) through the CLI with two worker
 * threads and through the library's worker pool. Every file ends with exactly one result, labelled with its own
 * size, and the CLI's peak memory stays under a generous bound and does not grow from 2,000 files to 10,000.
 *
 * The CLI runs compiled, the pool as in pool.test.ts (dist/ is compiled before any test). The set is generated once per run in os.tmpdir() and
 * removed afterwards. About three minutes on a busy shared 2-core machine; memory is judged, time never is.
 *
 * @module-tag slow
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HashTask, PoolResult } from "../src/pool-contract.js";
import { assertCliBuilt, type HashLine } from "./support/cli.js";
import { LARGE_MEGAPIXELS, writeLoadSet, type LoadSet } from "./support/generate-images.js";
import { createTestPool } from "./support/node-pool.js";
import { watchProcess, type WatchedRun } from "./support/watch-process.js";

const FILES = 10_000;
const LARGE = 300;
const CHECKPOINT = 2_000;
const WORKERS = 2;
const MB = 1024 * 1024;
/** Measured on Linux x64 with two workers: about 240 MB after 2,000 files, 280 MB after 10,000 (npm run bench). */
const PEAK_RSS_LIMIT = 600 * MB;
/**
 * Measured, the peak creeps up by 20 to 55 MB from 2,000 files to about 7,000 and then levels off, as a high-water
 * mark of uneven load does; a leak would keep climbing. Leaking what matters here, each file's bytes or pixels
 * (tens of kB even for the small pictures), would add hundreds of MB over 8,000 files; this catches 13 kB a file.
 */
const GROWTH_LIMIT = 100 * MB;
const TIMEOUT_MS = 900_000;

const BIN = fileURLToPath(new URL("../bin/ncii-hash.cjs", import.meta.url));

let root: string;
let set: LoadSet;
let cliRun: Promise<{ run: WatchedRun; lines: HashLine[] }> | undefined;

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-load-"));
  set = await writeLoadSet(join(root, "photos"), { files: FILES, large: LARGE });
}, TIMEOUT_MS);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The CLI over the folder, once; the library test compares its hashes with these. */
function runCliOnce(): Promise<{ run: WatchedRun; lines: HashLine[] }> {
  cliRun ??= (async () => {
    const lines: HashLine[] = [];
    const run = await watchProcess(process.execPath, [BIN, "--workers", String(WORKERS), join(root, "photos")], {
      checkpoints: [CHECKPOINT],
      onLine: (line) => lines.push(JSON.parse(line) as HashLine),
    });
    return { run, lines };
  })();
  return cliRun;
}

/** Sizes in MB for messages. */
const mb = (bytes: number | undefined) => (bytes === undefined ? "unknown" : `${(bytes / MB).toFixed(0)} MB`);

describe(`${FILES} files, ${LARGE} of them large`, () => {
  it("the generated set is what the test claims", () => {
    expect(set.files).toHaveLength(FILES);
    expect(set.large).toBe(LARGE);
    // The large pictures are spread out: a fifth of them come before the checkpoint.
    expect(set.files.slice(0, CHECKPOINT).filter((file) => file.large)).toHaveLength((LARGE * CHECKPOINT) / FILES);
    expect(set.files.filter((file) => file.large && file.width * file.height < LARGE_MEGAPIXELS.min * 1e6)).toEqual([]);
  });

  it("CLI with 2 workers: one line per file with its own size, exit 0, peak memory bounded and flat", { timeout: TIMEOUT_MS }, async () => {
    const { run, lines } = await runCliOnce();
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 0, signal: null });
    expect(lines).toHaveLength(FILES);
    expect(mislabelled(lines.map((line) => ({ name: line.path, width: line.width, height: line.height, error: line.error })))).toEqual([]);

    const atCheckpoint = run.peakRssAt.get(CHECKPOINT);
    const memory = `peak RSS ${mb(atCheckpoint)} after ${CHECKPOINT} files, ${mb(run.peakRss)} after ${FILES}`;
    expect(atCheckpoint, memory).toBeDefined();
    expect(run.peakRss, memory).toBeLessThan(PEAK_RSS_LIMIT);
    expect(run.peakRss - atCheckpoint!, memory).toBeLessThan(GROWTH_LIMIT);
  });

  it("library pool with 2 workers: exactly one result per task, the CLI's hashes", { timeout: TIMEOUT_MS }, async () => {
    const { lines } = await runCliOnce();
    const cliHashes = new Map(lines.map((line) => [line.path, line.pdq]));
    const pool = createTestPool({ size: WORKERS });
    const results: PoolResult[] = [];
    try {
      for await (const result of pool.hashAll(tasks())) results.push(result);
    } finally {
      await pool.close();
    }
    expect(results.map((result) => result.index).sort((a, b) => a - b)).toEqual([...Array(FILES).keys()]);
    const named = results.map((result) => {
      expect(result.name, `result ${result.index}`).toBe(set.files[result.index]!.path);
      return result.ok
        ? { name: result.name, width: result.hash.width, height: result.hash.height }
        : { name: result.name, error: result.error };
    });
    expect(mislabelled(named)).toEqual([]);
    const differing = results.filter((result) => result.ok && result.hash.pdq !== cliHashes.get(result.name)).map((result) => result.name);
    expect(differing).toEqual([]);
  });
});

function* tasks(): Generator<HashTask> {
  for (const file of set.files) yield { name: file.path, source: { kind: "path", path: file.path } };
}

/** Files with no result, more than one, a failure, or another file's size (a result given to the wrong file). */
function mislabelled(results: ReadonlyArray<{ name: string; width?: number; height?: number; error?: unknown }>): string[] {
  const byName = new Map<string, (typeof results)[number][]>();
  for (const result of results) byName.set(result.name, [...(byName.get(result.name) ?? []), result]);
  const problems: string[] = [];
  for (const file of set.files) {
    const found = byName.get(file.path) ?? [];
    if (found.length !== 1) problems.push(`${file.path}: ${found.length} results`);
    else if (found[0]!.error) problems.push(`${file.path}: failed with ${JSON.stringify(found[0]!.error)}`);
    else if (found[0]!.width !== file.width || found[0]!.height !== file.height) {
      problems.push(`${file.path}: ${found[0]!.width}x${found[0]!.height}, generated as ${file.width}x${file.height}`);
    }
  }
  if (byName.size > set.files.length) problems.push(`${byName.size - set.files.length} results for files not in the set`);
  return problems;
}
