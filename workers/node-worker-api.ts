/** The worker API as a Node worker thread provides it: reads paths itself (bounded), decodes with sharp. */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { readPictureFile } from "../src/files/read-picture.js";
import { md5File } from "../src/md5/md5-file.js";
import type { WorkerApi } from "../src/pool-contract.js";
import { createWorkerApi } from "./worker-api.js";

export const nodeWorkerApi: WorkerApi = createWorkerApi({
  decoder: sharpDecoder,
  readPath: readPictureFile,
  md5Path: md5File,
});

/** Serves `api` to the thread that started this worker. */
export function exposeToParentThread(api: WorkerApi): void {
  if (!parentPort) throw new Error("exposeToParentThread must run inside a worker thread");
  Comlink.expose(api, nodeEndpoint(parentPort));
}
