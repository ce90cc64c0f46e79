/**
 * `--shard INDEX/COUNT`: which of COUNT machines hashes a file. Every machine must agree without talking to the
 * others, whatever its mount point, so a file is assigned by a key that does not depend on where the archive is
 * mounted: its path relative to the folder named on the command line (a named file: its path as written), with
 * `/` separators. The shard is the first 32 bits of the key's SHA-256 (UTF-8), big-endian, scaled to COUNT:
 * `floor(u32 * COUNT / 2^32)`. SHA-256 spreads any naming scheme evenly, and any tool can recompute it.
 */
import { createHash } from "node:crypto";
import { posix, sep } from "node:path";

export interface Shard {
  /** 0-based, as Kubernetes numbers the pods of an Indexed Job. */
  index: number;
  count: number;
}

/** Kubernetes caps an Indexed Job at 100,000 completions; the scaling stays exact far beyond that. */
export const MAX_SHARDS = 1_000_000;

/** The variable a Kubernetes Indexed Job sets to each pod's index; `--shard auto/COUNT` reads it. */
export const SHARD_INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

/** Why a `--shard` value cannot be used; the caller turns it into a usage error. */
export class ShardSpecError extends Error {
  override name = "ShardSpecError";
}

/** `INDEX/COUNT` or `auto/COUNT` (INDEX from JOB_COMPLETION_INDEX in `env`). */
export function parseShard(value: string, env: Readonly<Record<string, string | undefined>>): Shard {
  const match = /^(\d+|auto)\/(\d+)$/.exec(value);
  if (!match) throw new ShardSpecError(`--shard must be INDEX/COUNT or auto/COUNT (e.g. 0/8), not "${value}"`);
  const count = Number(match[2]);
  if (!(count >= 1 && count <= MAX_SHARDS)) throw new ShardSpecError(`--shard COUNT must be from 1 to ${MAX_SHARDS}, not ${match[2]}`);
  let indexText = match[1]!;
  if (indexText === "auto") {
    const fromEnv = env[SHARD_INDEX_VARIABLE];
    if (fromEnv === undefined || fromEnv === "") {
      throw new ShardSpecError(`--shard auto/${count} reads the shard index from ${SHARD_INDEX_VARIABLE}, which is not set (a Kubernetes Indexed Job sets it)`);
    }
    if (!/^\d+$/.test(fromEnv)) throw new ShardSpecError(`${SHARD_INDEX_VARIABLE} must be a whole number, not "${fromEnv}"`);
    indexText = fromEnv;
  }
  const index = Number(indexText);
  if (!(index < count)) {
    const source = match[1] === "auto" ? ` (from ${SHARD_INDEX_VARIABLE})` : "";
    throw new ShardSpecError(`--shard index ${indexText}${source} must be below COUNT ${count}: shards are numbered 0 to ${count - 1}`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard, of `count`, that a file with this key belongs to. */
export function shardOf(key: string, count: number): number {
  const digest = createHash("sha256").update(key, "utf8").digest();
  return Math.floor((digest.readUInt32BE(0) * count) / 2 ** 32);
}

/** A file met in folder `root`: its path below the root, with `/` separators on every system. */
export function keyBelowFolder(relativePath: string): string {
  return sep === "/" ? relativePath : relativePath.split(sep).join("/");
}

/**
 * A file named on the command line: its path as written, normalised (`./a/b.jpg` and `a//b.jpg` are `a/b.jpg`),
 * so naming `a/b.jpg` puts it in the same shard as finding it at `a/b.jpg` below the folder `.`.
 */
export function keyOfNamedPath(path: string): string {
  return posix.normalize(keyBelowFolder(path));
}
