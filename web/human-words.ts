import type { HashErrorCode } from "../src/errors.js";
import { formatNumber, isolate, msg, plural, str } from "./language.js";

/**
 * Every sentence the component shows or announces, in the language being spoken (see language.ts). Each message
 * has a stable id: translators and partners' own catalogues refer to it.
 */

/** The status line of a file that was not fingerprinted. */
const FAILURE_HEADLINES: Record<HashErrorCode, () => string> = {
  empty: () => msg("Not fingerprinted: the file is empty", { id: "failed.empty" }),
  truncated: () => msg("Not fingerprinted: the picture is cut off", { id: "failed.truncated" }),
  "unsupported-format": () => msg("Not fingerprinted: this kind of picture can't be opened here", { id: "failed.unsupported-format" }),
  "not-an-image": () => msg("Not fingerprinted: this is not a picture", { id: "failed.not-an-image" }),
  "too-many-pixels": () => msg("Not fingerprinted: the picture is too big", { id: "failed.too-many-pixels" }),
  "file-too-large": () => msg("Not fingerprinted: the file is too large", { id: "failed.file-too-large" }),
  "decode-failed": () => msg("Not fingerprinted: the picture couldn't be opened", { id: "failed.decode-failed" }),
  "pixels-altered": () => msg("Not fingerprinted: this browser changes the picture", { id: "failed.pixels-altered" }),
  "read-failed": () => msg("Not fingerprinted: the file couldn't be read", { id: "failed.read-failed" }),
  "worker-failed": () => msg("Not fingerprinted: something went wrong", { id: "failed.worker-failed" }),
  "integrity-failed": () => msg("Not fingerprinted: the fingerprinting tool failed a safety check", { id: "failed.integrity-failed" }),
  timeout: () => msg("Not fingerprinted: it took too long", { id: "failed.timeout" }),
  cancelled: () => msg("Stopped before it was fingerprinted", { id: "failed.cancelled" }),
};

export function failureHeadline(code: HashErrorCode): string {
  return FAILURE_HEADLINES[code]();
}

const saveAgain = (): string => msg("Save or export the picture again, then add the new copy.", { id: "advice.save-again" });
const smallerCopy = (): string =>
  msg("Try a smaller copy of the picture, such as a screenshot or an exported version.", { id: "advice.smaller-copy" });

/**
 * What to do about a failure, derived from its code alone: the English message that comes with the code (from the
 * decoder or the pool) stays in the event for the host page, and is never shown.
 */
const FAILURE_ADVICE: Record<Exclude<HashErrorCode, "cancelled">, () => string> = {
  empty: saveAgain,
  truncated: saveAgain,
  "decode-failed": saveAgain,
  "unsupported-format": () =>
    msg("This browser can't open this kind of picture. Save it as JPEG or PNG, then add it again.", { id: "advice.unsupported-format" }),
  "not-an-image": () =>
    msg("Choose a photo or picture file, such as JPEG, PNG, WebP, GIF, HEIC or AVIF.", { id: "advice.not-an-image" }),
  "too-many-pixels": smallerCopy,
  "file-too-large": smallerCopy,
  timeout: smallerCopy,
  "pixels-altered": () =>
    msg(
      "This browser's privacy protection changes what web pages read from this kind of picture. Open this page in another browser or turn that protection off for this site, or save the picture as JPEG or PNG and add it again.",
      { id: "advice.pixels-altered" },
    ),
  "read-failed": () => msg("Check that the file is still there and can be opened, then choose it again.", { id: "advice.read-failed" }),
  "worker-failed": () => msg("Reload the page and try again. If it keeps happening, try another browser.", { id: "advice.worker-failed" }),
  "integrity-failed": () =>
    msg("Nothing was run. Reload the page later; if this keeps happening, please tell the site.", { id: "advice.integrity-failed" }),
};

/** Undefined for `cancelled`, which needs no advice. */
export function failureAdvice(code: HashErrorCode): string | undefined {
  return code === "cancelled" ? undefined : FAILURE_ADVICE[code]();
}

export function lowQualityWarning(): string {
  return msg("This picture is too plain to fingerprint reliably.", { id: "low-quality" });
}

export function qualitySentence(quality: number): string {
  return msg(str`Fingerprint ready (quality ${formatNumber(quality)} of ${formatNumber(100)})`, { id: "quality" });
}

export function startSentence(total: number): string {
  const n = formatNumber(total);
  return plural(
    total,
    () => msg(str`Fingerprinting ${n} picture…`, { id: "starting.one" }),
    () => msg(str`Fingerprinting ${n} pictures…`, { id: "starting.other" }),
  );
}

/** The sentence shown under the progress bar. */
export function progressSentence(done: number, total: number): string {
  const [d, t] = [formatNumber(done), formatNumber(total)];
  return plural(
    total,
    () => msg(str`${d} of ${t} picture done`, { id: "progress.one" }),
    () => msg(str`${d} of ${t} pictures done`, { id: "progress.other" }),
  );
}

export function summarySentence(hashed: number, failed: number, cancelled: boolean): string {
  const n = formatNumber(hashed);
  const ready = plural(
    hashed,
    () => msg(str`${n} fingerprint ready`, { id: "ready.one" }),
    () => msg(str`${n} fingerprints ready`, { id: "ready.other" }),
  );
  if (failed === 0) {
    return cancelled ? msg(str`Stopped. ${ready}.`, { id: "stopped" }) : msg(str`Finished. ${ready}.`, { id: "finished" });
  }
  const f = formatNumber(failed);
  const notReady = plural(
    failed,
    () => msg(str`${f} file could not be fingerprinted`, { id: "not-ready.one" }),
    () => msg(str`${f} files could not be fingerprinted`, { id: "not-ready.other" }),
  );
  return cancelled
    ? msg(str`Stopped. ${ready}, ${notReady}.`, { id: "stopped-with-failures" })
    : msg(str`Finished. ${ready}, ${notReady}.`, { id: "finished-with-failures" });
}

export function skippedSentence(skipped: number): string {
  const n = formatNumber(skipped);
  return plural(
    skipped,
    () => msg(str`${n} file in the folder is not a picture and was left out.`, { id: "skipped.one" }),
    () => msg(str`${n} files in the folder are not pictures and were left out.`, { id: "skipped.other" }),
  );
}

export function listFullSentence(added: number, maxFiles: number): string {
  const [n, max] = [formatNumber(added), formatNumber(maxFiles)];
  return plural(
    added,
    () => msg(str`Only ${n} file was added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.one" }),
    () => msg(str`Only ${n} files were added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.other" }),
  );
}

export function showWholeLabel(): string {
  return msg("Show the whole fingerprint", { id: "show-whole" });
}

export function copyLabel(name: string): string {
  return msg(str`Copy the fingerprint of ${isolate(name)}`, { id: "copy-label" });
}

export function copiedSentence(name: string): string {
  return msg(str`Fingerprint of ${isolate(name)} copied.`, { id: "copied" });
}

export function copyBlockedSentence(): string {
  const show = showWholeLabel();
  return msg(str`This page does not allow copying. Open “${show}” and copy it from there.`, { id: "copy-blocked" });
}

/** Long hashes are hard to read and to say; show the two ends, keep the whole one a click away. */
export function shortHash(pdq: string): string {
  return `${pdq.slice(0, 8)}…${pdq.slice(-8)}`;
}
