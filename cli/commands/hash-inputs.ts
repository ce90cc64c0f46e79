/** The pictures named on a subcommand's line, hashed: the same walk, workers and progress bar as `ncii-hash`. */
import type { HashErrorInfo } from "../../src/errors.js";
import type { ImageHash } from "../../src/hash-image.js";
import type { HashRequest } from "../args.js";
import { hashPaths } from "../hash-paths.js";
import type { CliIo } from "../io.js";
import { createProgressDisplay } from "../progress.js";
import { walkPaths, type SkipCounts } from "../walk.js";

export interface HashedInput {
  path: string;
  hash: ImageHash;
}

export interface InputCounts {
  hashed: number;
  failed: number;
  /** Files in folders that were not tried: not pictures, or symbolic links. */
  skipped: SkipCounts;
}

/** Yields each hashed picture as it finishes; failures go to `onFailure` (and are counted), never thrown. */
export async function* hashInputs(
  request: HashRequest,
  io: CliIo,
  counts: InputCounts,
  onFailure: (path: string, error: HashErrorInfo) => void,
): AsyncGenerator<HashedInput> {
  const fail = (path: string, error: HashErrorInfo) => {
    counts.failed++;
    onFailure(path, error);
  };
  const events = { onSkipped: (_path: string, reason: keyof SkipCounts) => counts.skipped[reason]++, onFolderError: fail };
  const paths = walkPaths(request.paths, events, "pictures", { followSymlinks: request.followSymlinks });
  const progress = createProgressDisplay(io);
  try {
    for await (const result of hashPaths(paths, {
      hashOptions: request.hashOptions,
      workers: request.workers,
      onProgress: progress?.update,
    })) {
      if (!result.ok) {
        fail(result.name, result.error);
        continue;
      }
      counts.hashed++;
      yield { path: result.name, hash: result.hash };
    }
  } finally {
    progress?.stop();
  }
}
