/**
 * One failure, one message: a file that cannot be fingerprinted gets the same code and the same words whether it
 * is hashed in the calling thread (the library's `hashFile`, the CLI's `--workers 0`) or by a pool worker (the
 * worker side from source here; end to end through the built CLI below).
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { createEngineCache } from "../src/engine/index.js";
import { cancelled, HashError, toErrorInfo, type HashErrorInfo } from "../src/errors.js";
import { md5Stream } from "../src/md5/md5-stream.js";
import { hashFile } from "../src/hash-in-thread.js";
import { resolveHashOptions } from "../src/options.js";
import { nodeWorkerApi } from "../workers/node-worker-api.js";
import { createWorkerApi } from "../workers/worker-api.js";
import { assertCliBuilt, byPath, jsonLines, runCli } from "./support/cli.js";
import { createTestPool } from "./support/node-pool.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ncii-same-failure-"));
  await mkdir(join(root, "folder.jpg"));
  await writeFile(join(root, "empty.jpg"), new Uint8Array(0));
  await writeFile(join(root, "notes.jpg"), "not a picture\n");
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function inThisThread(path: string): Promise<HashErrorInfo> {
  return hashFile(path).then(
    () => expect.unreachable(`${path} was hashed`),
    (error: unknown) => {
      expect(error).toBeInstanceOf(HashError);
      return toErrorInfo(error);
    },
  );
}

async function inAWorker(path: string): Promise<HashErrorInfo> {
  const outcome = await nodeWorkerApi.hash({ kind: "path", path }, resolveHashOptions());
  if (outcome.ok) return expect.unreachable(`${path} was hashed`);
  return outcome.error;
}

describe("the same failure gives the same message in this thread and in a worker", () => {
  it.each([
    ["a missing file", "missing.jpg", "read-failed", "This file could not be read: it does not exist (it may have been moved or renamed)."],
    ["a folder", "folder.jpg", "read-failed", "This is a folder, not a regular file, so it was not read."],
    ["an empty file", "empty.jpg", "empty", undefined],
    ["a text file", "notes.jpg", "not-an-image", undefined],
  ])("%s", async (_, file, code, message) => {
    const path = join(root, file);
    const here = await inThisThread(path);
    expect(here.code).toBe(code);
    if (message !== undefined) expect(here.message).toBe(message);
    expect(await inAWorker(path)).toEqual(here);
  });

  it("an engine that cannot start", async () => {
    const broken = async (): Promise<never> => {
      throw Object.assign(new Error("no memory for the module"), { code: "ERR_WASM_MEMORY" });
    };
    const here = await createEngineCache(broken)("wasm").then(
      () => expect.unreachable("the engine started"),
      (error: unknown) => toErrorInfo(error),
    );
    expect(here).toEqual({ code: "worker-failed", message: "The wasm fingerprinting engine could not start (ERR_WASM_MEMORY)." });
    const api = createWorkerApi({ decoder: sharpDecoder, readPath: async () => new Uint8Array([0xff, 0xd8, 0xff]), loadEngine: broken });
    expect(await api.hash({ kind: "path", path: "photo.jpg" }, resolveHashOptions())).toEqual({ ok: false, error: here });
  });
});

// A folder named on the command line is walked, not hashed, so it is left out here.
const CLI_FILES_FAIL_WITH = { "missing.jpg": "read-failed", "empty.jpg": "empty", "notes.jpg": "not-an-image" };
const CLI_FILES = Object.keys(CLI_FILES_FAIL_WITH);

describe("a file stopped before it was fingerprinted says the same on every path", () => {
  it("a pool's aborted task, an aborted MD5 stream and the CLI's own cancel use one message", async () => {
    const stopped = AbortSignal.abort();
    const pool = createTestPool({ size: 1 });
    try {
      const fromPool = await pool.hash({ name: "notes.jpg", source: { kind: "path", path: join(root, "notes.jpg") } }, { signal: stopped });
      async function* chunks(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(8);
      }
      const fromMd5 = await md5Stream(chunks(), { signal: stopped }).then(
        () => expect.unreachable("the MD5 finished"),
        (error: unknown) => toErrorInfo(error),
      );
      expect(fromPool.ok ? undefined : fromPool.error).toEqual(cancelled().toJSON());
      expect(fromMd5).toEqual(cancelled().toJSON());
    } finally {
      await pool.close();
    }
  });
});

describe("the CLI with and without worker threads", { tags: ["e2e"] }, () => {
  it("prints the same line for a file that is missing, empty or not a picture", async () => {
    assertCliBuilt();
    const runs = await Promise.all(
      [["--workers", "0"], ["--workers", "1"]].map((workers) => runCli([...workers, ...CLI_FILES], { cwd: root })),
    );
    const [inThread, inWorker] = runs.map((run) => byPath(jsonLines(run.stdout)));
    for (const [path, code] of Object.entries(CLI_FILES_FAIL_WITH)) {
      expect(inThread!.get(path)?.error?.code).toBe(code);
      expect(inWorker!.get(path)).toEqual(inThread!.get(path));
    }
  });
});
