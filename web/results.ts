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

/** One element of the `results` property; with `file-details`, also the `detail` of each `ncii-hashed` event. */
export type NciiResult = NciiHashed | NciiMd5 | NciiFailed;

/**
 * The `detail` of each `ncii-hashed` event and an element of `ncii-done`'s `results`: a result without the file's
 * `name` and `size` unless the host set the `file-details` attribute. Events are what analytics and replay scripts
 * on a host page pick up passively; `results` is read only by code that asks for it.
 */
export type NciiResultDetail = NciiResult | WithoutFileDetails<NciiResult>;

type WithoutFileDetails<T> = T extends unknown ? Omit<T, "name" | "size"> : never;

/** The `detail` of `ncii-done`. */
export interface NciiDoneDetail {
  /** Every result so far, in the order the files were added (the `results` property, as `ncii-hashed` gives them). */
  results: NciiResultDetail[];
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

/** A result as an event carries it when the host did not opt in to file details. */
export function withoutFileDetails(result: NciiResult): WithoutFileDetails<NciiResult> {
  const { name: _name, ...rest } = result;
  if (!("size" in rest)) return rest;
  const { size: _size, ...withoutSize } = rest;
  return withoutSize;
}

export function toHashRecord(result: NciiHashed): NciiHashRecord {
  const record: NciiHashRecord = { pdq: result.pdq, quality: result.quality };
  if (result.dihedral) record.dihedral = result.dihedral;
  return record;
}

declare global {
  interface HTMLElementEventMap {
    "ncii-hashed": CustomEvent<NciiResultDetail>;
    "ncii-integrity-failed": CustomEvent<HashErrorInfo>;
    "ncii-done": CustomEvent<NciiDoneDetail>;
  }
}
