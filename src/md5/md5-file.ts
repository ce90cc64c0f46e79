import { open } from "node:fs/promises";

import { HashError } from "../errors.js";
import { md5Stream, type Md5Options } from "./md5-stream.js";

/** Large reads keep the per-chunk overhead (a copy into the hasher's memory) small. */
const CHUNK_BYTES = 1 << 20;

/** MD5 of a file on disk, read in 1 MiB chunks (Node). Unreadable files fail with `read-failed`. */
export async function md5File(path: string, options: Md5Options = {}): Promise<string> {
  // Opened first, so a missing or forbidden file rejects here. A stream that opens the file itself emits the
  // failure as an 'error' event, which can fire before anything listens (while the hasher is set up) and then
  // brings the whole process down.
  let file;
  try {
    file = await open(path, "r");
  } catch (error) {
    throw readFailed(error);
  }
  const stream = file.createReadStream({ highWaterMark: CHUNK_BYTES });
  try {
    return await md5Stream(stream, options);
  } catch (error) {
    if (error instanceof HashError) throw error;
    throw readFailed(error);
  } finally {
    stream.destroy();
  }
}

function readFailed(error: unknown): HashError {
  const detail = error instanceof Error ? error.message : String(error);
  return new HashError("read-failed", `This file could not be read (${detail}).`, { cause: error });
}
