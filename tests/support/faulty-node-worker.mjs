// Test-only worker: the real Node worker API, except that it misbehaves on path sources whose file name says so.
//   crash-once: exits the first time (a marker file next to it remembers), then hashes normally
//   crash:      always exits;  hang: blocks the thread forever;  oom: allocates until V8's heap limit stops it
// Plain JavaScript because worker threads run outside Vitest's TypeScript transform.
import { existsSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { exposeToParentThread, nodeWorkerApi } from "../../dist/workers/node-worker-api.js";

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

exposeToParentThread({
  ready: nodeWorkerApi.ready,
  async hash(source, options) {
    if (source.kind === "path") misbehave(basename(source.path), source.path);
    if (source.kind === "bytes" && new TextDecoder().decode(source.bytes.subarray(0, 5)) === "crash") process.exit(70);
    return nodeWorkerApi.hash(source, options);
  },
});
