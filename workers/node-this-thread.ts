/**
 * A Node pool's own thread standing in for a worker (`NodePoolOptions.startInThisThread`): a worker's reading and
 * hashing (worker-api.ts), with sharp loaded when the first picture is decoded here. A file this thread turns down
 * (a HEIC) thus goes to a worker before the thread has spent ~70 ms loading sharp, and the engine compiles while
 * sharp loads.
 */
import { decodesOffThisThread } from "../src/decode/decoding-thread.js";
import type { ImageDecoder } from "../src/decode/types.js";
import { readPictureFile } from "../src/files/read-picture.js";
import type { ThisThreadHasher } from "./pool.js";
import { createThisThreadHasher } from "./worker-api.js";

const sharpOnFirstUse: ImageDecoder = {
  async decode(bytes, options) {
    const { sharpDecoder } = await import("../src/decode/node-sharp.js");
    return sharpDecoder.decode(bytes, options);
  },
};

export const thisThreadHasher: ThisThreadHasher = createThisThreadHasher(
  { decoder: sharpOnFirstUse, readPath: readPictureFile },
  decodesOffThisThread,
);
