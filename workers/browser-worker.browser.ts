/** Entry script of each Web Worker started by `createBrowserPool`: reads Blobs, decodes (src/decode/browser-decoder.ts). */
import * as Comlink from "comlink";
import { browserDecoder } from "../src/decode/browser-decoder.js";
import { createWorkerApi } from "./worker-api.js";

Comlink.expose(createWorkerApi({ decoder: browserDecoder }));
