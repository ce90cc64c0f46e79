import type { EngineKind, KernelResizeMode } from "../options.js";

/** Channel layouts the kernels read. Alpha (channels 2 and 4) is ignored: stored colour is used, as the reference does. */
export type Channels = 1 | 2 | 3 | 4;

/** Decoded 8-bit pixels, rows top to bottom, channels interleaved, no row padding. */
export interface PixelImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: Channels;
}

export interface KernelOptions {
  resize: KernelResizeMode;
  dihedral: boolean;
}

/** The PDQ of one image, as the reference computes it. */
export interface PdqDigest {
  /** 64 lowercase hex chars, the reference's `%04hx` of words 15..0. */
  pdq: string;
  /** 0..100; below 50 the hash is too unreliable to match on. */
  quality: number;
  /** With `dihedral`: orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1 (the reference order). */
  dihedral?: string[];
}

/** One PDQ implementation. The WASM kernel and the TypeScript twin both implement it and give identical bits. */
export interface PdqEngine {
  readonly kind: EngineKind;
  hash(image: PixelImage, options: KernelOptions): PdqDigest;
}

export const DIHEDRAL_NAMES = [
  "orig",
  "rot90",
  "rot180",
  "rot270",
  "flipx",
  "flipy",
  "flipplus1",
  "flipminus1",
] as const;
