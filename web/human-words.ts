import type { HashErrorCode } from "../src/errors.js";

/**
 * The status line of a file that was not fingerprinted, in plain words. The error's own message (from the
 * decoder or the pool) says what to do next and is shown under it.
 */
const FAILURE_HEADLINES: Record<HashErrorCode, string> = {
  empty: "Not fingerprinted: the file is empty",
  truncated: "Not fingerprinted: the picture is cut off",
  "unsupported-format": "Not fingerprinted: this kind of picture can't be opened here",
  "not-an-image": "Not fingerprinted: this is not a picture",
  "too-many-pixels": "Not fingerprinted: the picture is too big",
  "file-too-large": "Not fingerprinted: the file is too large",
  "decode-failed": "Not fingerprinted: the picture couldn't be opened",
  "read-failed": "Not fingerprinted: the file couldn't be read",
  "worker-failed": "Not fingerprinted: something went wrong",
  timeout: "Not fingerprinted: it took too long",
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

export function skippedSentence(skipped: number): string {
  return skipped === 1
    ? "1 file in the folder is not a picture and was left out."
    : `${skipped} files in the folder are not pictures and were left out.`;
}

export function listFullSentence(added: number, maxFiles: number): string {
  return `Only ${plural(added, "file was", "files were")} added: this list holds up to ${maxFiles}. Clear it to add more.`;
}

/** Long hashes are hard to read and to say; show the two ends, keep the whole one a click away. */
export function shortHash(pdq: string): string {
  return `${pdq.slice(0, 8)}…${pdq.slice(-8)}`;
}
