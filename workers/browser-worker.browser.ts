/** Entry script of each Web Worker started by `createBrowserPool`: reads Blobs, decodes with createImageBitmap. */
import * as Comlink from "comlink";
import { bitmapDecoder } from "../src/decode/browser-bitmap.js";
import { createWorkerApi } from "./worker-api.js";

Comlink.expose(createWorkerApi({ decoder: bitmapDecoder }));
