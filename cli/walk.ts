/**
 * Command-line paths -> the files to hash, lazily and in a fixed order: each argument in turn, folders depth
 * first with entries sorted by name (code-unit order, the same on every machine and locale).
 */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { sep } from "node:path";
import { readFailed, type HashErrorInfo } from "../src/errors.js";
import { fileKind } from "./file-kind.js";

/** Which files found in folders are yielded: pictures (the default), pictures and videos, or every file. */
export type WalkScope = "pictures" | "pictures-and-videos" | "all-files";

/**
 * Why a file met in a folder was not yielded: outside the walk's scope (by default, not named or shaped like a
 * picture; also pipes, devices and sockets), or a symbolic link, which is not followed unless asked.
 */
export type SkipReason = "out-of-scope" | "symbolic-link";

export interface WalkEvents {
  onSkipped(path: string, reason: SkipReason): void;
  /** A folder that could not be listed; the walk carries on with the rest. */
  onFolderError(path: string, error: HashErrorInfo): void;
}

/**
 * Yields paths as the user would write them (`photos/2024/a.jpg` for the argument `photos`). Named files are
 * always yielded, so a named non-picture or missing file gets its own error line; files met inside folders are
 * yielded when their extension or their first bytes say picture, so `scan.jpg` full of noise is tried (and
 * reported) while `notes.txt` is skipped.
 */
export async function* walkPaths(
  args: readonly string[],
  events: WalkEvents,
  scope: WalkScope = "pictures",
  options: WalkOptions = {},
): AsyncGenerator<string> {
  const walk: Walk = { events, scope, followSymlinks: options.followSymlinks ?? false };
  for (const arg of args) {
    // Named paths are followed when they are links: the user chose them.
    const info = await stat(arg).catch(() => undefined);
    if (info?.isDirectory()) yield* walkFolder(arg, new Set(), walk);
    else yield arg;
  }
}

export interface WalkOptions {
  /**
   * Follow symbolic links met inside folders, to files and to folders anywhere (each folder is still walked
   * once, so a link back up the tree is no loop). Default false: links are skipped, and a walk stays inside the
   * folders it was given.
   */
  followSymlinks?: boolean;
}

interface Walk {
  events: WalkEvents;
  scope: WalkScope;
  followSymlinks: boolean;
}

async function* walkFolder(folder: string, seen: Set<string>, walk: Walk): AsyncGenerator<string> {
  const { events, scope } = walk;
  let entries: Dirent[];
  try {
    // A symlink loop would otherwise recurse forever.
    const real = await realpath(folder);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    events.onFolderError(folder, readFailed(error, "folder").toJSON());
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.isSymbolicLink() && !walk.followSymlinks) {
      events.onSkipped(path, "symbolic-link");
      continue;
    }
    const kind = entry.isSymbolicLink() ? await linkTargetKind(path) : entry.isDirectory() ? "folder" : entry.isFile() ? "file" : "other";
    if (kind === "folder") yield* walkFolder(path, seen, walk);
    else if (kind === "file" && (await inScope(path, scope))) yield path;
    else events.onSkipped(path, "out-of-scope");
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

/** Counts of files skipped in folders, by reason. */
export type SkipCounts = Record<SkipReason, number>;

export function noSkips(): SkipCounts {
  return { "out-of-scope": 0, "symbolic-link": 0 };
}

/** The end of a summary line: ", 3 skipped (not pictures), 1 symbolic link not followed", or "" if none. */
export function skippedSummary(counts: SkipCounts): string {
  const links = counts["symbolic-link"];
  return (
    (counts["out-of-scope"] > 0 ? `, ${counts["out-of-scope"]} skipped (not pictures)` : "") +
    (links > 0 ? `, ${links} symbolic link${links === 1 ? "" : "s"} not followed (--follow-symlinks follows them)` : "")
  );
}
