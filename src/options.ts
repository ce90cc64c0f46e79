/**
 * The one options object every layer agrees on (CLI flags, component attributes, library calls and worker
 * messages all become this shape once, at the edge, and travel down unchanged).
 */

/**
 * How the image is sized before the PDQ pipeline runs.
 * - `full`: no pre-resize; what HMA, the `pdqhash` Python package, and the Java and Rust ports compute.
 * - `512`: the reference C++ CLI's (and Meta's WASM build's) nearest-neighbour 512x512 pre-resize when a
 *   side exceeds 512.
 * - `fast`: for bulk photo sets. JPEGs are decoded at a reduced scale (libjpeg's DCT scaling, 1/2, 1/4 or 1/8)
 *   that keeps the shorter side at or above `FAST_MIN_SHORT_SIDE`, then hashed as in `full`; a few bits away from
 *   `full` (bench/fast-mode-distance.ts measures how many). Other formats, and decoders that cannot scale while
 *   decoding (the browser's), decode in full, so there `fast` gives the `full` hash.
 */
export type ResizeMode = KernelResizeMode | "fast";

/** The sizing the PDQ kernel itself applies. `fast` is a decoding choice: the kernel runs it as `full`. */
export type KernelResizeMode = "full" | "512";

/**
 * Fast mode's floor for the shorter side of the decoded picture. Measured on the 200-photo bench set
 * (bench/fast-mode-distance.ts): at 512 the hashes stay within a median of 2 and a maximum of 16 bits of `full`
 * for a third of full decoding's CPU time; 256 saves a fifth more time but reaches 22 bits, and 768 costs a third
 * more time for a maximum of 8.
 */
export const FAST_MIN_SHORT_SIDE = 512;

/** Which PDQ implementation runs. Both give identical bits; `wasm` is the fast one. */
export type EngineKind = "wasm" | "js";

/** `apply`: hash what a person sees (EXIF orientation applied). `ignore`: hash the stored pixel grid. */
export type OrientationPolicy = "apply" | "ignore";

export interface HashOptions {
  resize: ResizeMode;
  /** Also compute the 8 dihedral variants (orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1). */
  dihedral: boolean;
  orientation: OrientationPolicy;
  engine: EngineKind;
  /** Images whose header claims more pixels than this are refused before decoding (`too-many-pixels`). */
  maxPixels: number;
  /**
   * Pictures larger than this many bytes are refused before they are read (`file-too-large`). Not applied to
   * MD5 digests, which stream the file in chunks whatever its size.
   */
  maxBytes: number;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
/**
 * 256 MiB: far above what phones and cameras save as JPEG, HEIC or PNG (tens of MB at most). An uncompressed TIFF
 * near `DEFAULT_MAX_PIXELS` can be larger and needs a higher limit.
 */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export const DEFAULT_HASH_OPTIONS: Readonly<HashOptions> = Object.freeze({
  resize: "full",
  dihedral: false,
  orientation: "apply",
  engine: "wasm",
  maxPixels: DEFAULT_MAX_PIXELS,
  maxBytes: DEFAULT_MAX_BYTES,
});

export const RESIZE_MODES: readonly ResizeMode[] = ["full", "512", "fast"];
export const ENGINE_KINDS: readonly EngineKind[] = ["wasm", "js"];
export const ORIENTATION_POLICIES: readonly OrientationPolicy[] = ["apply", "ignore"];

/** Fills in defaults; the single place where a partial options object becomes a complete one. */
export function resolveHashOptions(partial: Partial<HashOptions> = {}): HashOptions {
  const options = { ...DEFAULT_HASH_OPTIONS, ...stripUndefined(partial) };
  if (!RESIZE_MODES.includes(options.resize)) throw new RangeError(`resize must be one of ${RESIZE_MODES.join(", ")}`);
  if (!ENGINE_KINDS.includes(options.engine)) throw new RangeError(`engine must be one of ${ENGINE_KINDS.join(", ")}`);
  if (!ORIENTATION_POLICIES.includes(options.orientation)) {
    throw new RangeError(`orientation must be one of ${ORIENTATION_POLICIES.join(", ")}`);
  }
  if (!(options.maxPixels > 0)) throw new RangeError("maxPixels must be a positive number");
  if (!(options.maxBytes > 0)) throw new RangeError("maxBytes must be a positive number");
  return options;
}

/** What the kernel runs for a resize mode: `fast` has already done its part while decoding. */
export function kernelResizeMode(resize: ResizeMode): KernelResizeMode {
  return resize === "fast" ? "full" : resize;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
