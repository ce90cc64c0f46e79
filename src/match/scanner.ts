/**
 * The kernel behind a hash index: a linear scan of packed hashes (packed-hashes.ts) against a query and its
 * variants. Two implementations give identical answers: WASM SIMD (wasm-scanner.ts) and a TypeScript twin
 * (js-scanner.ts), so a result can always be checked against code that shares no arithmetic with it.
 */

export type ScannerKind = "wasm" | "js";

export const SCANNER_KINDS: readonly ScannerKind[] = ["wasm", "js"];

/** A query is one hash, or a hash and its 7 other dihedral variants. */
export const MAX_QUERY_VARIANTS = 8;

/** A stored hash within the threshold of the query. */
export interface ScanHit {
  /** Position of the stored hash. */
  index: number;
  /** Smallest distance over the query variants. */
  distance: number;
  /** First query variant at that distance. */
  variant: number;
}

export interface HashScanner {
  readonly kind: ScannerKind;
  readonly count: number;
  /** The stored hashes, packed; owned by the scanner, read-only for callers. */
  readonly hashes: Uint32Array;
  /**
   * Every stored hash whose distance to one of the `variants` packed queries is at most `threshold`, in stored
   * order.
   */
  scan(queries: Uint32Array, threshold: number): ScanHit[];
}

/** Shared argument checks, so both scanners refuse the same inputs with the same messages. */
export function queryVariantCount(queries: Uint32Array, threshold: number): number {
  const variants = queries.length / 8;
  if (!Number.isInteger(variants) || variants < 1 || variants > MAX_QUERY_VARIANTS) {
    throw new RangeError(`a query is 1 to ${MAX_QUERY_VARIANTS} packed hashes (8 words each), got ${queries.length} words`);
  }
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 256) {
    throw new RangeError(`threshold must be an integer from 0 to 256, got ${threshold}`);
  }
  return variants;
}
