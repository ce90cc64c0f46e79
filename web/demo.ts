/**
 * The partner side of the demo page: what a host site does with `<ncii-hasher>`. It waits for the person to
 * agree, then shows the exact JSON it would POST (the fingerprints and nothing else). It never sends it.
 */
import type { NciiHasher, NciiHashRecord } from "./ncii-hasher.js";

const hasher = document.querySelector<NciiHasher>("ncii-hasher")!;
const consent = document.querySelector<HTMLInputElement>("#consent")!;
const showPayload = document.querySelector<HTMLButtonElement>("#show-payload")!;
const payload = document.querySelector<HTMLPreElement>("#payload")!;
const language = document.querySelector<HTMLSelectElement>("#language")!;

/** Below quality 50 a fingerprint is too unreliable to match on (the component warns), so it is not sent. */
function shareable(): NciiHashRecord[] {
  return hasher.hashes().filter((record) => record.quality >= 50);
}

function showWhatWouldBeSent(): void {
  payload.textContent = JSON.stringify({ hashes: shareable() }, null, 2);
  payload.hidden = false;
}

function refresh(): void {
  showPayload.disabled = !consent.checked || shareable().length === 0;
  // What is shown must never outlive the agreement, and must follow the list as it changes.
  if (showPayload.disabled) payload.hidden = true;
  else if (!payload.hidden) showWhatWouldBeSent();
}

consent.addEventListener("change", refresh);
hasher.addEventListener("ncii-hashed", refresh);
hasher.addEventListener("ncii-done", refresh);
// "Clear the list" has no event of its own; any click inside the component may have been it.
hasher.addEventListener("click", () => queueMicrotask(refresh));
showPayload.addEventListener("click", showWhatWouldBeSent);
// The component takes its language from its own `lang` (else the nearest ancestor's); the rest of this page stays
// in English.
language.addEventListener("change", () => {
  hasher.lang = language.value;
});
