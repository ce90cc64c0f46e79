/**
 * The files a run hashes: the walk over each input (walk.ts), narrowed to this shard's share (shard.ts), leaving
 * out the run's own output files when they sit among the inputs.
 */
import { stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { keyBelowFolder, keyOfNamedPath, shardOf, type Shard } from "./shard.js";
import { walkPaths, type WalkEvents, type WalkScope } from "./walk.js";

export interface InputSelection {
  shard?: Shard;
  /** Files never hashed nor counted, by absolute path. */
  exclude?: ReadonlySet<string>;
  /** Follow symbolic links met inside folders. */
  followSymlinks?: boolean;
}

/**
 * `walkPaths`, with this shard's files only. Skipped files and folders that cannot be listed are reported by the
 * shard they belong to, so summing the shards' summaries counts each once.
 */
export async function* selectInputs(
  args: readonly string[],
  events: WalkEvents,
  scope: WalkScope,
  { shard, exclude, followSymlinks }: InputSelection,
): AsyncGenerator<string> {
  const excluded = (path: string) => exclude !== undefined && exclude.size > 0 && exclude.has(resolve(path));
  for (const arg of args) {
    const root = await folderPrefix(arg);
    const key = (path: string) => (root !== undefined && path.startsWith(root) ? keyBelowFolder(path.slice(root.length)) : keyOfNamedPath(path));
    const mine = (path: string) => !excluded(path) && (shard === undefined || shardOf(key(path), shard.count) === shard.index);
    const argEvents: WalkEvents = {
      onSkipped: (path, reason) => mine(path) && events.onSkipped(path, reason),
      onFolderError: (path, error) => mine(path) && events.onFolderError(path, error),
    };
    for await (const path of walkPaths([arg], argEvents, scope, { followSymlinks })) if (mine(path)) yield path;
  }
}

/** What the walk puts before the names of the files in folder `arg` (`photos/` for `photos`); undefined for a file. */
async function folderPrefix(arg: string): Promise<string | undefined> {
  const info = await stat(arg).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  return arg.endsWith(sep) ? arg : arg + sep;
}
