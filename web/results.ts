import type { HashErrorInfo } from "../src/errors.js";

/** A picture that was fingerprinted. `name` stays on the device: it is only ever given to the host page's code. */
export interface NciiHashed {
  name: string;
  size: number;
  type: string;
  pdq: string;
  quality: number;
  width: number;
  height: number;
  /** With `dihedral`: orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1. */
  dihedral?: string[];
}

/**
 * A video (or other file hash lists identify by its bytes): the MD5 of the whole file, streamed in a worker, as
 * StopNCII and Take It Down fingerprint videos.
 */
export interface NciiMd5 {
  name: string;
  size: number;
  type: string;
  /** 32 lowercase hex chars. */
  md5: string;
}

/** A file that could not be fingerprinted, with a stable code (src/errors.ts) and words a person can act on. */
export interface NciiFailed {
  name: string;
  error: HashErrorInfo;
}

/** The `detail` of each `ncii-hashed` event and one element of the `results` property. */
export type NciiResult = NciiHashed | NciiMd5 | NciiFailed;

/** The `detail` of `ncii-done`. */
export interface NciiDoneDetail {
  /** Every result so far, in the order the files were added (the same array as the `results` property). */
  results: NciiResult[];
  /** True when the person pressed Cancel: the files not yet fingerprinted end as `cancelled`. */
  cancelled: boolean;
}

/**
 * What is safe to share: the fingerprint and its quality, nothing about the file (no name, size, dimensions or
 * pixels). This is what `hashes()` returns and what the exports contain.
 */
export interface NciiHashRecord {
  pdq: string;
  quality: number;
  dihedral?: string[];
}

/** A picture's PDQ result. */
export function isHashed(result: NciiResult): result is NciiHashed {
  return "pdq" in result;
}

/** A video's MD5 result. */
export function isMd5(result: NciiResult): result is NciiMd5 {
  return "md5" in result;
}

/** Any result that holds a fingerprint, PDQ or MD5. */
export function isFingerprinted(result: NciiResult): result is NciiHashed | NciiMd5 {
  return !("error" in result);
}

export function toHashRecord(result: NciiHashed): NciiHashRecord {
  const record: NciiHashRecord = { pdq: result.pdq, quality: result.quality };
  if (result.dihedral) record.dihedral = result.dihedral;
  return record;
}

declare global {
  interface HTMLElementEventMap {
    "ncii-hashed": CustomEvent<NciiResult>;
    "ncii-done": CustomEvent<NciiDoneDetail>;
  }
}
