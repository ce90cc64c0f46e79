/**
 * Opening a file the user named (Node), without ever blocking on something that is not a file. `open()` on a
 * named pipe (FIFO) waits for a writer that may never come, and a device can stream forever; so files are
 * opened with O_NONBLOCK (which returns at once for pipes and has no effect on regular files) and judged by
 * `fstat` on the open handle, which also closes the gap between a `stat` and the `open` that follows it.
 */
import { constants, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { HashError, notARegularFile, readFailed } from "../errors.js";

export interface OpenedFile {
  handle: FileHandle;
  /** Bytes, from `fstat` when the file was opened. */
  size: number;
}

/** Opens a regular file for reading; anything else (folder, pipe, device, socket) fails with `read-failed`. */
export async function openRegularFile(path: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK is undefined on Windows, where opening a pipe by path does not block.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw readFailed(error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notARegularFile(describeKind(info));
    return { handle, size: info.size };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error instanceof HashError ? error : readFailed(error);
  }
}

function describeKind(info: Stats): string {
  return info.isDirectory()
    ? "a folder"
    : info.isFIFO()
      ? "a named pipe"
      : info.isSocket()
        ? "a socket"
        : info.isCharacterDevice() || info.isBlockDevice()
          ? "a device"
          : "a special file";
}
