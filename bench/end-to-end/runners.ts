/**
 * Child side: how each contender turns a list of files into one value per file. Each runs the way its own docs
 * suggest a caller use it; parallelism means concurrent promise chains for promise APIs and workers for our pool.
 */
import { createRequire } from "node:module";
import type sharpModule from "sharp";
import { mapConcurrently } from "../concurrency.js";
import { digestValue, dimensionsValue } from "./specs.js";
import type { ContenderSpec, DecodeScale, FileValue, PeerId } from "./specs.js";

export interface Runner {
  run(files: readonly string[]): Promise<FileValue[]>;
  close(): Promise<void>;
}

/** Bits per side for the blockhash contenders: 16 x 16 = 256 bits, the size of a PDQ hash. */
const BLOCKHASH_GRID = 16;

type FileTask = (path: string) => Promise<string>;

async function settle(work: () => Promise<string>): Promise<FileValue> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function promiseRunner(parallelism: number, perFile: FileTask): Runner {
  return {
    run: (files) => mapConcurrently(files, parallelism, (path) => settle(() => perFile(path))),
    close: async () => {},
  };
}

/**
 * Each child loads only its own contender's libraries, so start-up and peak RSS are theirs alone. sharp comes with
 * libvips' operation cache off, as our decoder runs it (src/decode/node-sharp.ts), so all share that setting.
 */
async function loadSharp(): Promise<typeof sharpModule> {
  const { default: sharp } = await import("sharp");
  sharp.cache(false);
  return sharp;
}

const DECODERS: Record<DecodeScale, () => Promise<FileTask>> = {
  full: async () => {
    const sharp = await loadSharp();
    return async (path) => {
      const { info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
      return dimensionsValue(info);
    };
  },
  // The same shrink-on-load request fast mode makes (src/decode/node-sharp.ts), minus the hash and pixel policy.
  reduced: async () => {
    const sharp = await loadSharp();
    const { SHRINK_ON_LOAD_RESIZE, shrinkOnLoadSize } = await import("../../src/decode/shrink-on-load.js");
    const { FAST_MIN_SHORT_SIDE } = await import("../../src/options.js");
    return async (path) => {
      const { width = 0, height = 0 } = await sharp(path).metadata();
      const reduced = shrinkOnLoadSize(width, height, FAST_MIN_SHORT_SIDE);
      const decode = reduced ? sharp(path).resize(reduced.width, reduced.height, SHRINK_ON_LOAD_RESIZE) : sharp(path);
      const { info } = await decode.raw().toBuffer({ resolveWithObject: true });
      return dimensionsValue(info);
    };
  },
};

const PEER_HASHERS: Record<PeerId, () => Promise<FileTask>> = {
  "sharp-phash": async () => {
    await loadSharp();
    // Its typings declare an ES default export, but the package sets module.exports to the function itself.
    const phash = createRequire(import.meta.url)("sharp-phash") as typeof import("sharp-phash").default;
    return (path) => phash(path);
  },
  "blockhash-core": async () => {
    const { bmvbhash } = await import("blockhash-core");
    const sharp = await loadSharp();
    return async (path) => {
      const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return bmvbhash({ data, width: info.width, height: info.height }, BLOCKHASH_GRID);
    };
  },
  imghash: async () => {
    const { default: imghash } = await import("imghash");
    return (path) => imghash.hash(path, BLOCKHASH_GRID);
  },
};

async function poolRunner(spec: Extract<ContenderSpec, { kind: "ncii-hasher" }>): Promise<Runner> {
  const { createNodePool } = await import("../../workers/node-pool.js");
  const pool = createNodePool({ size: spec.workers, hashOptions: { resize: spec.resize, engine: "wasm" } });
  return {
    async run(files) {
      const values = new Array<FileValue>(files.length);
      const tasks = files.map((path) => ({ name: path, source: { kind: "path" as const, path } }));
      for await (const result of pool.hashAll(tasks)) {
        values[result.index] = result.ok
          ? { ok: true, value: digestValue(result.hash) }
          : { ok: false, error: `${result.error.code}: ${result.error.message}` };
      }
      return values;
    },
    close: () => pool.close(),
  };
}

export async function createRunner(spec: ContenderSpec): Promise<Runner> {
  switch (spec.kind) {
    case "ncii-hasher":
      return poolRunner(spec);
    case "sharp-decode":
      return promiseRunner(spec.parallelism, await DECODERS[spec.scale]());
    case "peer":
      return promiseRunner(spec.parallelism, await PEER_HASHERS[spec.peer]());
  }
}
