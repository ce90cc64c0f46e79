/**
 * The markers with which common session-replay and analytics tools leave an element out of what they record:
 * rrweb (`rr-block`, `rr-mask`), Sentry Replay, FullStory (`fs-exclude`), PostHog (`ph-no-capture`), Hotjar
 * (`data-hj-suppress`), Microsoft Clarity (`data-clarity-mask`), LogRocket (`data-private`) and Datadog RUM
 * (`data-dd-privacy`). Put on everything that shows a file's name or pixels (`${ref(markPrivate)}`), so a
 * host page's recorder keeps neither. Blocking, not only masking: a masked name still gives away its length.
 */
const CLASSES = ["rr-block", "rr-mask", "sentry-block", "sentry-mask", "fs-exclude", "ph-no-capture"];
const ATTRIBUTES: [string, string][] = [
  ["data-hj-suppress", ""],
  ["data-clarity-mask", "true"],
  ["data-private", ""],
  ["data-dd-privacy", "hidden"],
  ["data-sentry-block", ""],
];

export function markPrivate(element: Element | undefined): void {
  if (!element) return;
  element.classList.add(...CLASSES);
  for (const [name, value] of ATTRIBUTES) element.setAttribute(name, value);
}
