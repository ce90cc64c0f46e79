/**
 * The markers with which common session-replay and analytics tools leave an element out of what they record:
 * rrweb (`rr-block`, `rr-mask`), Sentry Replay, FullStory (`fs-exclude`), PostHog (`ph-no-capture`), Hotjar
 * (`data-hj-suppress`), Microsoft Clarity (`data-clarity-mask`), LogRocket (`data-private`) and Datadog RUM
 * (`data-dd-privacy`). Everything that shows a file's name or pixels (the file inputs too: a recorder logs their
 * `value`, "C:\fakepath\<name>") is written with `data-ncii-private` and
 * gets them all after each rendering, so a host page's recorder keeps neither. Blocking, not only masking: a
 * masked name still gives away its length.
 */
const CLASSES = ["rr-block", "rr-mask", "sentry-block", "sentry-mask", "fs-exclude", "ph-no-capture"];
const ATTRIBUTES: [string, string][] = [
  ["data-hj-suppress", ""],
  ["data-clarity-mask", "true"],
  ["data-private", ""],
  ["data-dd-privacy", "hidden"],
  ["data-sentry-block", ""],
];

/** Selects the elements not yet marked. */
export const PRIVATE = "[data-ncii-private]:not(.rr-block)";

export function markPrivate(element: Element): void {
  element.classList.add(...CLASSES);
  for (const [name, value] of ATTRIBUTES) element.setAttribute(name, value);
}
