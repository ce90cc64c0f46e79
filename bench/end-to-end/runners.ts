/**
 * Child side: how each contender turns a list of files into one value per file. Each runs the way its own docs
 * suggest a caller use it; parallelism means concurrent promise chains for promise APIs and workers for our pool.
 */
import blockhash from "blockhash-core";
import imghash from "imghash";
import { createRequire } from "node:module";
import sharp from "sharp";
import { createNodePool } from "../../workers/node-pool.js";
import { mapConcurrently } from "../concurrency.js";
import { digestValue, dimensionsValue } from "./specs.js";
import type { ContenderSpec, DecodeScale, FileValue, PeerId } from "./specs.js";

// sharp-phash's typings declare an ES default export, but the package sets module.exports to the function itself.
const phash = createRequire(import.meta.url)("sharp-phash") as typeof import("sharp-phash").default;

export interface Runner {
  run(files: readonly string[]): Promise<FileValue[]>;
  close(): Promise<void>;
}

/** Bits per side for the blockhash contenders: 16 x 16 = 256 bits, the size of a PDQ hash. */
const BLOCKHASH_GRID = 16;

async function settle(work: () => Promise<string>): Promise<FileValue> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function promiseRunner(parallelism: number, perFile: (path: string) => Promise<string>): Runner {
  return {
    run: (files) => mapConcurrently(files, parallelism, (path) => settle(() => perFile(path))),
    close: async () => {},
  };
}

const DECODERS: Record<DecodeScale, (path: string) => Promise<string>> = {
  full: async (path) => {
    const { info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    return dimensionsValue(info);
  },
};

const PEER_HASHERS: Record<PeerId, (path: string) => Promise<string>> = {
  "sharp-phash": (path) => phash(path),
  "blockhash-core": async (path) => {
    const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return blockhash.bmvbhash({ data, width: info.width, height: info.height }, BLOCKHASH_GRID);
  },
  imghash: (path) => imghash.hash(path, BLOCKHASH_GRID),
};

async function poolRunner(spec: Extract<ContenderSpec, { kind: "ncii-hasher" }>): Promise<Runner> {
  const pool = await createNodePool({ size: spec.workers, hashOptions: { resize: spec.resize, engine: "wasm" } });
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
      return promiseRunner(spec.parallelism, DECODERS[spec.scale]);
    case "peer":
      return promiseRunner(spec.parallelism, PEER_HASHERS[spec.peer]);
  }
}
