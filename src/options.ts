/**
 * The one options object every layer agrees on (CLI flags, component attributes, library calls and worker
 * messages all become this shape once, at the edge, and travel down unchanged).
 */

/**
 * How the image is sized before the PDQ pipeline runs.
 * - `full`: no pre-resize; what HMA, the `pdqhash` Python package, and the Java and Rust ports compute.
 * - `512`: the reference C++ CLI's (and Meta's WASM build's) nearest-neighbour 512x512 pre-resize when a
 *   side exceeds 512.
 */
export type ResizeMode = "full" | "512";

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
}

export const DEFAULT_MAX_PIXELS = 100_000_000;

export const DEFAULT_HASH_OPTIONS: Readonly<HashOptions> = Object.freeze({
  resize: "full",
  dihedral: false,
  orientation: "apply",
  engine: "wasm",
  maxPixels: DEFAULT_MAX_PIXELS,
});

export const RESIZE_MODES: readonly ResizeMode[] = ["full", "512"];
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
  return options;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
