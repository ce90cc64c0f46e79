import { createReadStream } from "node:fs";

import { HashError } from "../errors.js";
import { md5Stream, type Md5Options } from "./md5-stream.js";

/** Large reads keep the per-chunk overhead (a copy into the hasher's memory) small. */
const CHUNK_BYTES = 1 << 20;

/** MD5 of a file on disk, read in 1 MiB chunks (Node). Unreadable files fail with `read-failed`. */
export async function md5File(path: string, options: Md5Options = {}): Promise<string> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    return await md5Stream(stream, options);
  } catch (error) {
    if (error instanceof HashError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new HashError("read-failed", `This file could not be read (${detail}).`, { cause: error });
  } finally {
    stream.destroy();
  }
}
