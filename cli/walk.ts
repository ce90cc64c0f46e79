/**
 * Command-line paths -> the files to hash, lazily and in a fixed order: each argument in turn, folders depth
 * first with entries sorted by name (code-unit order, the same on every machine and locale).
 */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { sep } from "node:path";
import { HashError, type HashErrorInfo } from "../src/errors.js";
import { fileKind } from "./file-kind.js";

/** Which files found in folders are yielded: pictures (the default), pictures and videos, or every file. */
export type WalkScope = "pictures" | "pictures-and-videos" | "all-files";

export interface WalkEvents {
  /** A file found in a folder that is outside the walk's scope (by default: not named or shaped like a picture). */
  onSkipped(path: string): void;
  /** A folder that could not be listed; the walk carries on with the rest. */
  onFolderError(path: string, error: HashErrorInfo): void;
}

/**
 * Yields paths as the user would write them (`photos/2024/a.jpg` for the argument `photos`). Named files are
 * always yielded, so a named non-picture or missing file gets its own error line; files met inside folders are
 * yielded when their extension or their first bytes say picture, so `scan.jpg` full of noise is tried (and
 * reported) while `notes.txt` is skipped.
 */
export async function* walkPaths(args: readonly string[], events: WalkEvents, scope: WalkScope = "pictures"): AsyncGenerator<string> {
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) yield* walkFolder(arg, new Set(), events, scope);
    else yield arg;
  }
}

async function* walkFolder(folder: string, seen: Set<string>, events: WalkEvents, scope: WalkScope): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    // A symlink loop would otherwise recurse forever.
    const real = await realpath(folder);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    events.onFolderError(folder, folderError(error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const entry of entries) {
    const path = prefix + entry.name;
    const kind = entry.isSymbolicLink() ? await linkTargetKind(path) : entry.isDirectory() ? "folder" : entry.isFile() ? "file" : "other";
    if (kind === "folder") yield* walkFolder(path, seen, events, scope);
    else if (kind === "file" && (await inScope(path, scope))) yield path;
    else events.onSkipped(path);
  }
}

async function linkTargetKind(path: string): Promise<"folder" | "file" | "other"> {
  const target = await stat(path).catch(() => undefined);
  return target?.isDirectory() ? "folder" : target?.isFile() ? "file" : "other";
}

async function inScope(path: string, scope: WalkScope): Promise<boolean> {
  if (scope === "all-files") return true;
  const kind = await fileKind(path);
  // Unreadable: let the hashing step report it rather than hide it.
  return kind === "picture" || kind === "unreadable" || (kind === "video" && scope === "pictures-and-videos");
}

function folderError(error: unknown): HashErrorInfo {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = code === "EACCES" || code === "EPERM" ? "this account is not allowed to open it" : `the system said ${String(code ?? error)}`;
  return new HashError("read-failed", `This folder could not be opened: ${reason}.`).toJSON();
}
