/**
 * The partner side of the demo page: what a host site does with `<ncii-hasher>`. It waits for the person to
 * agree, then shows the exact JSON it would POST (the fingerprints and nothing else). It never sends it.
 */
import type { NciiHasher } from "./ncii-hasher.js";

const hasher = document.querySelector<NciiHasher>("ncii-hasher")!;
const consent = document.querySelector<HTMLInputElement>("#consent")!;
const showPayload = document.querySelector<HTMLButtonElement>("#show-payload")!;
const payload = document.querySelector<HTMLPreElement>("#payload")!;

function refresh(): void {
  showPayload.disabled = !consent.checked || hasher.hashes().length === 0;
  // What was shown must never outlive the agreement or the list it was made from.
  if (showPayload.disabled) payload.hidden = true;
}

consent.addEventListener("change", refresh);
hasher.addEventListener("ncii-hashed", refresh);
hasher.addEventListener("ncii-done", refresh);
hasher.addEventListener("click", () => queueMicrotask(refresh));

showPayload.addEventListener("click", () => {
  payload.textContent = JSON.stringify({ hashes: hasher.hashes() }, null, 2);
  payload.hidden = false;
});
