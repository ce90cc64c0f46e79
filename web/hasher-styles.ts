import { css } from "lit";

/**
 * Calm, high-contrast, roomy. Every colour and radius is a custom property so a partner can match their site;
 * every piece a partner may want to restyle is a `::part`. Contrast of the defaults is WCAG AA or better.
 * Logical directions (block and inline) throughout, so the same rules lay out right to left; left and right
 * appear only where a name or hash must line up with the language around it.
 */
export const hasherStyles = css`
  :host {
    --_bg: var(--ncii-background, #ffffff);
    --_fg: var(--ncii-text, #1f2a30);
    --_muted: var(--ncii-muted-text, #4b5a62);
    --_surface: var(--ncii-surface, #f3f6f7);
    --_border: var(--ncii-border, #c5d0d4);
    --_accent: var(--ncii-accent, #1d6b74);
    --_accent-text: var(--ncii-accent-text, #ffffff);
    --_focus: var(--ncii-focus, #b3541e);
    --_warn-bg: var(--ncii-warning-background, #fff4db);
    --_warn-fg: var(--ncii-warning-text, #5c3b00);
    --_error-bg: var(--ncii-error-background, #fdecea);
    --_error-fg: var(--ncii-error-text, #7a1f17);
    --_radius: var(--ncii-radius, 12px);
    display: block;
    container-type: inline-size;
    box-sizing: border-box;
    min-width: 0;
    max-width: 100%;
    color: var(--_fg);
    background: var(--_bg);
    font: var(--ncii-font, 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .dropzone {
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 1.25rem 1rem;
    text-align: center;
    transition: border-color 120ms, background-color 120ms;
  }
  .dropzone.dragging {
    border-color: var(--_accent);
    border-style: solid;
  }
  .dropzone:focus-within {
    border-color: var(--_accent);
  }
  .dropzone h2 {
    font-size: 1.125rem;
    margin-block: 0 0.25rem;
  }
  .dropzone p {
    margin-block: 0.25rem;
    color: var(--_muted);
  }
  .privacy {
    font-weight: 600;
    color: var(--_fg);
  }

  .actions,
  .pickers {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    justify-content: center;
    margin-block-start: 0.75rem;
  }
  .actions {
    justify-content: flex-start;
  }

  button {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: calc(var(--_radius) / 1.5);
    border: 1px solid var(--_accent);
    background: var(--_bg);
    color: var(--_accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  button:focus-visible,
  summary:focus-visible,
  .dropzone:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .progress {
    margin-block: 1rem 0.5rem;
  }
  .progress label {
    display: block;
    color: var(--_muted);
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--_accent);
  }

  .notice {
    margin-block: 0.75rem 0;
    color: var(--_muted);
  }

  ol {
    list-style: none;
    margin-block: 1rem 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  li {
    display: grid;
    grid-template-columns: 3.5rem minmax(0, 1fr);
    gap: 0.75rem;
    align-items: start;
    padding: 0.75rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  [part~="thumbnail"] {
    width: 3.5rem;
    height: 3.5rem;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface);
  }
  .details {
    min-width: 0;
  }
  /*
   * Names keep their own direction (dir="auto") and hashes read left to right, yet both line up with the sentences
   * around them. (This is what text-align: match-parent means, but Chromium resolves it against the element's own
   * direction.)
   */
  .root[dir="ltr"] :is(.name, code) {
    text-align: left;
  }
  .root[dir="rtl"] :is(.name, code) {
    text-align: right;
  }
  .name {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .status {
    margin: 0;
    color: var(--_muted);
  }
  .hash-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-block-start: 0.25rem;
  }
  code {
    font-family: var(--ncii-mono-font, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
    font-size: 0.9375rem;
  }
  .hash-row button {
    min-height: 36px;
    padding: 0.25rem 0.75rem;
  }
  details {
    margin-block-start: 0.25rem;
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
  }
  details code {
    display: block;
    overflow-wrap: anywhere;
    user-select: all;
    padding-block: 0.25rem;
  }
  .warning,
  .error {
    margin-block: 0.5rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_radius) / 2);
  }
  .warning {
    background: var(--_warn-bg);
    color: var(--_warn-fg);
  }
  .error {
    background: var(--_error-bg);
    color: var(--_error-fg);
  }

  /* Phone-narrow (a 320 px screen leaves the component about 270 px): smaller previews, tighter rows. */
  @container (max-width: 22rem) {
    .dropzone {
      padding: 1rem 0.75rem;
    }
    li {
      grid-template-columns: 2.5rem minmax(0, 1fr);
      gap: 0.5rem;
      padding: 0.5rem;
    }
    [part~="thumbnail"] {
      width: 2.5rem;
      height: 2.5rem;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .dropzone {
      transition: none;
    }
  }
`;
