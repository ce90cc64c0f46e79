/** What a file on disk is, from its name and, when the name does not say, its first bytes. */
import { extname } from "node:path";
import { IMAGE_FILE_EXTENSIONS } from "../src/decode/image-files.js";
import { SNIFF_BYTES, sniffFormat } from "../src/decode/sniff.js";
import { openRegularFile } from "../src/files/open-file.js";
import { hasVideoExtension } from "../src/md5/video-files.js";
import { sniffVideo } from "../src/md5/video-sniff.js";

/**
 * `unreadable`: the file could not be opened, or is not a regular file; the hashing step reports why, with the
 * file's own error line.
 */
export type FileKind = "picture" | "video" | "other" | "unreadable";

export async function fileKind(path: string): Promise<FileKind> {
  if (IMAGE_FILE_EXTENSIONS.includes(extname(path).toLowerCase())) return "picture";
  if (hasVideoExtension(path)) return "video";
  const head = await readHead(path, SNIFF_BYTES);
  if (!head) return "unreadable";
  if (sniffFormat(head) !== undefined) return "picture";
  return sniffVideo(head) ? "video" : "other";
}

async function readHead(path: string, length: number): Promise<Uint8Array | undefined> {
  // Never a plain open: on a named pipe it would wait for a writer forever.
  const file = await openRegularFile(path).catch(() => undefined);
  if (!file) return undefined;
  try {
    const head = new Uint8Array(length);
    const { bytesRead } = await file.handle.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await file.handle.close();
  }
}
