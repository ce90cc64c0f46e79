/**
 * The one way a picture file is read in Node: its size from `fstat` first (refused above `maxBytes` before a
 * byte is read), then a head slice that must look like a picture within `maxPixels` (so a huge video or archive
 * named `.jpg` costs one small read, not its whole size), then the rest into one buffer of the stated size.
 */
import type { FileHandle } from "node:fs/promises";
import { checkImageHeader } from "../decode/check-header.js";
import { fileTooLarge } from "../decode/decode-errors.js";
import { readFailed } from "../errors.js";
import type { HashOptions } from "../options.js";
import { openRegularFile } from "./open-file.js";

/**
 * Enough for the sniffer and every size field it reads near the start; a JPEG whose frame header comes after
 * larger metadata has its size checked on the whole file, by the decoder.
 */
export const HEAD_BYTES = 64 * 1024;

/** The whole file, after the checks above; failures are `HashError`s (`read-failed`, `file-too-large`...). */
export async function readPictureFile(path: string, limits: Pick<HashOptions, "maxBytes" | "maxPixels">): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    if (size > limits.maxBytes) throw fileTooLarge(size, limits.maxBytes);
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    const headRead = await readInto(handle, head, 0);
    if (headRead > 0) checkImageHeader(head.subarray(0, headRead), limits);
    // A file that shrank since `fstat` ends where its bytes do (and is then judged cut off); one that grew is
    // read to its stated size, which is within the limit.
    if (headRead < head.length || size === head.length) return head.subarray(0, headRead);
    const bytes = new Uint8Array(size);
    bytes.set(head);
    return bytes.subarray(0, head.length + (await readInto(handle, bytes.subarray(head.length), head.length)));
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Fills `into` from file position `position` as far as the file goes; returns how many bytes came. */
async function readInto(handle: FileHandle, into: Uint8Array, position: number): Promise<number> {
  let done = 0;
  try {
    while (done < into.length) {
      const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (error) {
    throw readFailed(error);
  }
  return done;
}
