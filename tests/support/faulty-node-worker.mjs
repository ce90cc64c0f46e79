// Test-only worker: the real Node worker API, except that it misbehaves on path sources whose file name says so.
//   crash-once: exits the first time (a marker file next to it remembers), then hashes normally
//   crash:      always exits;  hang: blocks the thread forever;  oom: allocates until V8's heap limit stops it
//   MD5 of stall-*: reports one chunk, then never another;  slow-*: a chunk every 200 ms for 2 s, then the MD5
// Start-up misbehaves as NCII_TEST_START says (read when the worker starts):
//   "fail-once:<marker>": the engine cannot load in the first worker started (the marker file remembers)
//   "fail": the engine never loads;  "slow:<ms>": start-up takes that long
// Plain JavaScript because worker threads run outside Vitest's TypeScript transform.
import { existsSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sharpDecoder } from "../../dist/src/decode/node-sharp.js";
import { loadEngine } from "../../dist/src/engine/index.js";
import { md5File } from "../../dist/src/md5/md5-file.js";
import { readPictureFile } from "../../dist/src/files/read-picture.js";
import { createWorkerApi } from "../../dist/workers/worker-api.js";
import { exposeToParentThread } from "../../dist/workers/node-worker-api.js";

function misbehave(name, path) {
  if (name.includes("crash-once")) {
    const marker = `${path}.crashed`;
    if (existsSync(marker)) return;
    writeFileSync(marker, "");
    process.exit(70);
  }
  if (name.includes("crash")) process.exit(70);
  if (name.includes("hang")) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  if (name.includes("oom")) {
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 20).fill(hoard.length + 0.5));
  }
}

const [startMode, startArgument] = (process.env.NCII_TEST_START ?? "").split(/:(.*)/s);
let engineFails = startMode === "fail";
if (startMode === "fail-once" && !existsSync(startArgument)) {
  writeFileSync(startArgument, "");
  engineFails = true;
}

const api = createWorkerApi({
  decoder: sharpDecoder,
  readPath: readPictureFile,
  md5Path: md5File,
  async loadEngine(kind) {
    if (startMode === "slow") await sleep(Number(startArgument));
    if (engineFails) throw new Error("test engine refuses to load");
    return loadEngine(kind);
  },
});

exposeToParentThread({
  ready: api.ready,
  async hash(source, options) {
    if (source.kind === "path") misbehave(basename(source.path), source.path);
    if (source.kind === "bytes" && new TextDecoder().decode(source.bytes.subarray(0, 5)) === "crash") process.exit(70);
    return api.hash(source, options);
  },
  async md5(source, progress) {
    const name = source.kind === "path" ? basename(source.path) : "";
    if (name.startsWith("stall-")) {
      progress.postMessage(1);
      return new Promise(() => {});
    }
    if (name.startsWith("slow-")) {
      for (let i = 1; i <= 10; i++) {
        await sleep(200);
        progress.postMessage(i);
      }
    }
    return api.md5(source, progress);
  },
});
