/**
 * The pool's MD5 tasks on real worker threads (as in pool.test.ts): paths and bytes give Node's
 * crypto MD5 and their size, mixed batches route each task to its digest, and cancelling settles as `cancelled`.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { DigestResult, DigestTask, HashPool } from "../src/pool-contract.js";
import { createTestPool } from "./support/node-pool.js";
import { seededBytes } from "./support/videos.js";

const CORPUS = fileURLToPath(new URL("./fixtures/corpus/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "ncii-pool-md5-"));
const pools: HashPool[] = [];

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  rmSync(scratch, { recursive: true, force: true });
});

function nodeMd5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function newPool(): HashPool {
  const pool = createTestPool({ size: 2 });
  pools.push(pool);
  return pool;
}

describe("pool MD5 tasks", () => {
  it("a path and transferred bytes give Node's MD5 and their size; an empty file is d41d8...", async () => {
    const pool = newPool();
    const bytes = seededBytes(2 * 1024 * 1024 + 17, 3);
    const path = join(scratch, "clip.bin");
    writeFileSync(path, bytes);
    const empty = join(scratch, "empty.bin");
    writeFileSync(empty, new Uint8Array(0));
    const [fromPath, fromBytes, fromEmpty] = await Promise.all([
      pool.md5({ name: "clip", source: { kind: "path", path } }),
      pool.md5({ name: "bytes", source: { kind: "bytes", bytes: bytes.slice() } }),
      pool.md5({ name: "empty", source: { kind: "path", path: empty } }),
    ]);
    expect(fromPath).toMatchObject({ ok: true, md5: nodeMd5(bytes), size: bytes.length, name: "clip" });
    expect(fromBytes).toMatchObject({ ok: true, md5: nodeMd5(bytes), size: bytes.length });
    expect(fromEmpty).toMatchObject({ ok: true, md5: "d41d8cd98f00b204e9800998ecf8427e", size: 0 });
  });

  it("digestAll sends each task to its digest: PDQ for pictures, MD5 for the rest, failures per file", async () => {
    const pool = newPool();
    const picture = join(CORPUS, "skimage-astronaut.png");
    const tasks: DigestTask[] = [
      { name: "picture", source: { kind: "path", path: picture }, digest: "pdq" },
      { name: "picture-md5", source: { kind: "path", path: picture }, digest: "md5" },
      { name: "missing", source: { kind: "path", path: join(scratch, "missing.mp4") }, digest: "md5" },
    ];
    const results = new Map<string, DigestResult>();
    for await (const result of pool.digestAll(tasks)) results.set(result.name, result);
    expect(results.get("picture")).toMatchObject({ ok: true, hash: { width: 512, height: 512 } });
    expect(results.get("picture-md5")).toMatchObject({ ok: true, md5: nodeMd5(readFileSync(picture)) });
    expect(results.get("missing")).toMatchObject({ ok: false, error: { code: "read-failed" } });
  });

  it("cancelling a running MD5 settles it as cancelled at once; the pool goes on with a fresh worker", async () => {
    const pool = newPool();
    const abort = new AbortController();
    const big = join(scratch, "big.bin");
    writeFileSync(big, seededBytes(96 * 1024 * 1024, 5));
    const running = pool.md5({ name: "big", source: { kind: "path", path: big } }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    expect(await running).toMatchObject({ ok: false, error: { code: "cancelled" } });
    const after = await pool.md5({ name: "small", source: { kind: "bytes", bytes: new TextEncoder().encode("abc") } });
    expect(after).toMatchObject({ ok: true, md5: "900150983cd24fb0d6963f7d28e17f72", size: 3 });
  });
});
