/**
 * Never imported: this module is read by lit-localize's extractor only. English needs the `one` and `other`
 * forms written where each sentence is made (human-words.ts); the other plural categories of CLDR (zero, two,
 * few, many: Arabic has all four; Spanish, French, Italian and Portuguese have `many`) are declared here, so each
 * locale's XLIFF has a slot for them. At run time `plural()` asks the catalogue for them by id and falls back to
 * the `other` form. Their English text is the `other` form's.
 */
import { msg, str } from "../language.js";

// The values' names are those of human-words.ts, which translators see beside each placeholder.
declare const n: string, d: string, t: string, f: string, max: string;

export const PLURAL_CATEGORIES = [
  msg(str`Fingerprinting ${n} pictures…`, { id: "starting.zero" }),
  msg(str`Fingerprinting ${n} pictures…`, { id: "starting.two" }),
  msg(str`Fingerprinting ${n} pictures…`, { id: "starting.few" }),
  msg(str`Fingerprinting ${n} pictures…`, { id: "starting.many" }),
  msg(str`${d} of ${t} pictures done`, { id: "progress.zero" }),
  msg(str`${d} of ${t} pictures done`, { id: "progress.two" }),
  msg(str`${d} of ${t} pictures done`, { id: "progress.few" }),
  msg(str`${d} of ${t} pictures done`, { id: "progress.many" }),
  msg(str`${n} fingerprints ready`, { id: "ready.zero" }),
  msg(str`${n} fingerprints ready`, { id: "ready.two" }),
  msg(str`${n} fingerprints ready`, { id: "ready.few" }),
  msg(str`${n} fingerprints ready`, { id: "ready.many" }),
  msg(str`${f} files could not be fingerprinted`, { id: "not-ready.zero" }),
  msg(str`${f} files could not be fingerprinted`, { id: "not-ready.two" }),
  msg(str`${f} files could not be fingerprinted`, { id: "not-ready.few" }),
  msg(str`${f} files could not be fingerprinted`, { id: "not-ready.many" }),
  msg(str`${n} files in the folder are not pictures and were left out.`, { id: "skipped.zero" }),
  msg(str`${n} files in the folder are not pictures and were left out.`, { id: "skipped.two" }),
  msg(str`${n} files in the folder are not pictures and were left out.`, { id: "skipped.few" }),
  msg(str`${n} files in the folder are not pictures and were left out.`, { id: "skipped.many" }),
  msg(str`Only ${n} files were added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.zero" }),
  msg(str`Only ${n} files were added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.two" }),
  msg(str`Only ${n} files were added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.few" }),
  msg(str`Only ${n} files were added: this list holds up to ${max}. Clear it to add more.`, { id: "list-full.many" }),
];
