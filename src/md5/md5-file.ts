import { HashError, readFailed } from "../errors.js";
import { openRegularFile } from "../files/open-file.js";
import { md5Stream, type Md5Options } from "./md5-stream.js";

/** Large reads keep the per-chunk overhead (a copy into the hasher's memory) small. */
const CHUNK_BYTES = 1 << 20;

/**
 * MD5 of a file on disk, read in 1 MiB chunks (Node). Files that cannot be opened, and anything that is not a
 * regular file (a pipe or device could stream forever), fail with `read-failed`.
 */
export async function md5File(path: string, options: Md5Options = {}): Promise<string> {
  // Opened first, so a missing or forbidden file rejects here. A stream that opens the file itself emits the
  // failure as an 'error' event, which can fire before anything listens (while the hasher is set up) and then
  // brings the whole process down.
  const { handle } = await openRegularFile(path);
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  try {
    return await md5Stream(stream, options);
  } catch (error) {
    if (error instanceof HashError) throw error;
    throw readFailed(error);
  } finally {
    stream.destroy();
  }
}
