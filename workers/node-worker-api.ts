/**
 * The worker API as a Node worker thread provides it: reads paths itself (bounded), decodes with sharp. Also the
 * same reading and decoding for a pool's own thread while its workers start.
 */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { decodesOffThisThread, sharpDecoder } from "../src/decode/node-sharp.js";
import { readPictureFile } from "../src/files/read-picture.js";
import { md5File } from "../src/md5/md5-file.js";
import type { WorkerApi } from "../src/pool-contract.js";
import type { ThisThreadHasher } from "./pool.js";
import { createThisThreadHasher, createWorkerApi, type WorkerEnvironment } from "./worker-api.js";

const nodeEnvironment: WorkerEnvironment = { decoder: sharpDecoder, readPath: readPictureFile, md5Path: md5File };

export const nodeWorkerApi: WorkerApi = createWorkerApi(nodeEnvironment);

/** For `NodePoolOptions.startInThisThread`: pictures sharp decodes on libuv's threads, the rest left to workers. */
export const thisThreadHasher: ThisThreadHasher = createThisThreadHasher(nodeEnvironment, decodesOffThisThread);

/** Serves `api` to the thread that started this worker. */
export function exposeToParentThread(api: WorkerApi): void {
  if (!parentPort) throw new Error("exposeToParentThread must run inside a worker thread");
  Comlink.expose(api, nodeEndpoint(parentPort));
}
