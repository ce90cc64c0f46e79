/**
 * The end-to-end contenders: what each one computes and how parallel it runs. Plain data, shared by the parent
 * (which forks one child per run) and the child (which runs it). A new row is one more entry in `contenderSpecs`.
 */
import type { ResizeMode } from "../../src/options.js";

export type PeerId = "sharp-phash" | "blockhash-core" | "imghash";

/**
 * The decode-only floor's scale. Exact full-resolution PDQ is measured against a full decode; the fast resize mode
 * (issue 8) against a `reduced` one: sharp's shrink-on-load at the same DCT scale and size fast mode decodes at.
 */
export type DecodeScale = "full" | "reduced";

export type ContenderSpec =
  | { kind: "ncii-hasher"; workers: number; resize: ResizeMode }
  | { kind: "sharp-decode"; parallelism: number; scale: DecodeScale }
  | { kind: "peer"; peer: PeerId; parallelism: number };

/** Threads or in-flight calls the contender uses. For ours, workers; for the rest, concurrent promise chains. */
export function parallelismOf(spec: ContenderSpec): number {
  return spec.kind === "ncii-hasher" ? spec.workers : spec.parallelism;
}

/** Runs with the same computation must give the same value per file, whatever their parallelism or repetition. */
export function computationOf(spec: ContenderSpec): string {
  switch (spec.kind) {
    case "ncii-hasher":
      return `ncii-hasher/${spec.resize}`;
    case "sharp-decode":
      return `sharp-decode/${spec.scale}`;
    case "peer":
      return spec.peer;
  }
}

/**
 * The decode-only run a contender is compared with: same parallelism, and the decode it does (reduced scale for the
 * fast mode, full for everything else).
 */
export function floorFor(spec: ContenderSpec): ContenderSpec {
  const scale = spec.kind === "ncii-hasher" && spec.resize === "fast" ? "reduced" : "full";
  return { kind: "sharp-decode", parallelism: parallelismOf(spec), scale };
}

export function contenderId(spec: ContenderSpec): string {
  return `${computationOf(spec)}/x${parallelismOf(spec)}`;
}

const PEER_COMPUTES: Record<PeerId, string> = {
  "sharp-phash": "pHash 64-bit from 32x32 grey (sharp shrink-on-load decode)",
  "blockhash-core": "blockhash 256-bit on a full sharp RGBA decode",
  imghash: "blockhash 256-bit, own decoder (libjpeg-turbo in WASM)",
};

const NCII_COMPUTES: Record<ResizeMode, string> = {
  full: "PDQ 256-bit, exact full resolution",
  "512": "PDQ 256-bit, resize 512",
  fast: "PDQ 256-bit, fast (JPEG decoded at reduced scale)",
};

const DECODE_COMPUTES: Record<DecodeScale, string> = {
  full: "full decode to RGB, no hash",
  reduced: "reduced-scale decode to RGB, as fast mode's, no hash",
};

export function describeContender(spec: ContenderSpec): { name: string; computes: string } {
  switch (spec.kind) {
    case "ncii-hasher":
      return {
        name: `ncii-hasher, ${spec.workers} worker${spec.workers === 1 ? "" : "s"}`,
        computes: NCII_COMPUTES[spec.resize],
      };
    case "sharp-decode":
      return { name: `sharp decode only (floor), ${spec.parallelism}-way`, computes: DECODE_COMPUTES[spec.scale] };
    case "peer":
      return { name: `${spec.peer}, ${spec.parallelism}-way`, computes: PEER_COMPUTES[spec.peer] };
  }
}

export const PEERS: readonly PeerId[] = ["sharp-phash", "blockhash-core", "imghash"];
/** Single-threaded JavaScript over every pixel: minutes per run on the full set, and in no target, so run less often. */
export const SLOW_PEERS: readonly PeerId[] = ["blockhash-core", "imghash"];
export const PARALLELISM_LEVELS = [1, 2] as const;

export function contenderSpecs(): ContenderSpec[] {
  const specs: ContenderSpec[] = [];
  for (const n of PARALLELISM_LEVELS) {
    specs.push({ kind: "ncii-hasher", workers: n, resize: "full" });
    specs.push({ kind: "sharp-decode", parallelism: n, scale: "full" });
    specs.push({ kind: "ncii-hasher", workers: n, resize: "fast" });
    specs.push({ kind: "sharp-decode", parallelism: n, scale: "reduced" });
    for (const peer of PEERS) specs.push({ kind: "peer", peer, parallelism: n });
  }
  return specs;
}

/** Parent -> child. */
export interface ContenderJob {
  spec: ContenderSpec;
  /** Timed. */
  files: string[];
  /** Run first, untimed, so start-up (module load, WASM compile, JIT) is not counted; not part of `files`. */
  warmupFiles: string[];
}

/** What ours reports per file; equal to the in-process engine's digest or the run is wrong. */
export function digestValue(digest: { pdq: string; quality: number }): string {
  return `${digest.pdq} q${digest.quality}`;
}

/** What the decode floor reports per file: the decoded size, full or fast mode's reduced one as its scale says. */
export function dimensionsValue(image: { width: number; height: number }): string {
  return `${image.width}x${image.height}`;
}

export type FileValue = { ok: true; value: string } | { ok: false; error: string };

/** Child -> parent. */
export interface ContenderReport {
  elapsedMs: number;
  /** CPU time of the whole process (all threads) over the timed run: what the work costs, whatever else runs. */
  cpuMs: number;
  /** Creating the pool or loading the library, before warm-up. */
  setupMs: number;
  /** One per timed file, in `files` order. */
  values: FileValue[];
  /** The child process's peak resident set (all threads: workers and libvips included). */
  maxRssBytes: number;
}
