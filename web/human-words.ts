import type { HashErrorCode } from "../src/errors.js";

/**
 * Short headlines for each failure, in plain words. The error's own message (from the decoder or the pool) says
 * what to do next and is shown under the headline.
 */
const FAILURE_HEADLINES: Record<HashErrorCode, string> = {
  empty: "This file is empty",
  truncated: "This picture seems to be cut off",
  "unsupported-format": "This kind of picture can't be read here",
  "not-an-image": "This file isn't a picture",
  "too-many-pixels": "This picture is too big to fingerprint here",
  "decode-failed": "This picture couldn't be opened",
  "read-failed": "This file couldn't be read",
  "worker-failed": "Something went wrong while fingerprinting this picture",
  timeout: "This picture took too long to fingerprint",
  cancelled: "Stopped before it was fingerprinted",
};

export function failureHeadline(code: HashErrorCode): string {
  return FAILURE_HEADLINES[code];
}

export const LOW_QUALITY_WARNING = "This picture is too plain to fingerprint reliably.";

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The sentence announced to screen readers and shown under the progress bar. */
export function progressSentence(done: number, total: number): string {
  return `${done} of ${plural(total, "picture", "pictures")} done`;
}

export function summarySentence(hashed: number, failed: number, cancelled: boolean): string {
  const parts = [`${plural(hashed, "fingerprint", "fingerprints")} ready`];
  if (failed > 0) parts.push(`${plural(failed, "file", "files")} could not be fingerprinted`);
  return (cancelled ? "Stopped. " : "Finished. ") + parts.join(", ") + ".";
}

/** Long hashes are hard to read and to say; show the two ends, keep the whole one a click away. */
export function shortHash(pdq: string): string {
  return `${pdq.slice(0, 8)}…${pdq.slice(-8)}`;
}
