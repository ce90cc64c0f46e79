import { hasImageExtension } from "../src/decode/image-files.js";
import { hasVideoExtension } from "../src/md5/video-files.js";

/**
 * Turns whatever a person hands the component (picked files, a picked folder, a drop of files and folders, a
 * paste) into one flat list of files. Nothing here reads file contents: that happens in the workers.
 */

export interface PickedFile {
  file: File;
  /** The path inside a dropped or picked folder ("holiday/IMG_1.jpg"), else the file name. */
  name: string;
}

export interface Intake {
  files: PickedFile[];
  /** Files found inside folders that are not pictures or videos (notes, system files): left out, not failed. */
  skipped: number;
}

/**
 * Whether a file found by walking a folder is worth attempting. Files a person chose one by one are always
 * attempted (and fail with a clear message if they are not pictures); inside a folder, a stray notes.txt or a
 * macOS "._" shadow file is skipped instead of being reported as a failed picture.
 */
export function looksLikePicture(file: File): boolean {
  if (file.name.startsWith(".")) return false;
  if (file.type.startsWith("image/")) return true;
  return hasImageExtension(file.name);
}

/**
 * Videos get an MD5 of the file instead of a PDQ. Judged by the type the browser gives (from the extension) and
 * the extension itself, without reading the file: this runs on the page, where a file's bytes are not touched.
 */
export function isVideoFile(file: File): boolean {
  return file.type.startsWith("video/") || hasVideoExtension(file.name);
}

function worthAttempting(file: File): boolean {
  return !file.name.startsWith(".") && (looksLikePicture(file) || isVideoFile(file));
}

/** Files from `<input type="file">`: a folder pick sets `webkitRelativePath`, a plain pick does not. */
export function fromFileList(list: FileList | null): Intake {
  const files: PickedFile[] = [];
  let skipped = 0;
  for (const file of Array.from(list ?? [])) {
    const inFolder = file.webkitRelativePath !== "";
    if (inFolder && !worthAttempting(file)) skipped++;
    else files.push({ file, name: file.webkitRelativePath || file.name });
  }
  return { files, skipped };
}

/**
 * Files and folders from a drop. The entries must be taken synchronously inside the drop handler (the
 * DataTransfer is emptied once it returns), so this is split: `takeDroppedEntries` in the handler, then
 * `readDroppedEntries` at leisure.
 */
export function takeDroppedEntries(transfer: DataTransfer): FileSystemEntry[] | FileList {
  const items = Array.from(transfer.items).filter((item) => item.kind === "file");
  if (items.length === 0 || typeof items[0]!.webkitGetAsEntry !== "function") return transfer.files;
  const entries = items.map((item) => item.webkitGetAsEntry()).filter((entry) => entry !== null);
  return entries.length === items.length ? entries : transfer.files;
}

export async function readDroppedEntries(taken: FileSystemEntry[] | FileList): Promise<Intake> {
  if (!Array.isArray(taken)) return fromFileList(taken);
  const intake: Intake = { files: [], skipped: 0 };
  for (const entry of taken) await walkEntry(entry, false, intake);
  return intake;
}

async function walkEntry(entry: FileSystemEntry, inFolder: boolean, intake: Intake): Promise<void> {
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    if (inFolder && !worthAttempting(file)) intake.skipped++;
    else intake.files.push({ file, name: entry.fullPath.replace(/^\//, "") || file.name });
    return;
  }
  if (!isDirectoryEntry(entry)) return;
  const children = await readAllChildren(entry);
  children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const child of children) await walkEntry(child, true, intake);
}

/** `readEntries` hands out a directory in chunks (100 at a time in Chromium) until it returns an empty one. */
async function readAllChildren(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return all;
    all.push(...chunk);
  }
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

/** Pictures pasted from the clipboard (a screenshot, or files copied in a file manager). */
export function fromClipboard(data: DataTransfer | null): Intake {
  return { files: Array.from(data?.files ?? []).map((file) => ({ file, name: file.name })), skipped: 0 };
}
