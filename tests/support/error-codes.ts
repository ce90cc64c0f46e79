import type { HashErrorCode } from "../../src/errors.js";

/** Compile-time mirror of `HashErrorCode`: adding or removing a code without updating this fails `npm run typecheck`. */
const STABLE_CODES: Record<HashErrorCode, true> = {
  empty: true,
  truncated: true,
  "unsupported-format": true,
  "not-an-image": true,
  "too-many-pixels": true,
  "file-too-large": true,
  "decode-failed": true,
  "pixels-altered": true,
  "read-failed": true,
  "worker-failed": true,
  timeout: true,
  cancelled: true,
  "integrity-failed": true,
};

/** Every error code of src/errors.ts, at run time. */
export const ERROR_CODES = Object.keys(STABLE_CODES) as HashErrorCode[];

export function isErrorCode(code: string): code is HashErrorCode {
  return Object.hasOwn(STABLE_CODES, code);
}
