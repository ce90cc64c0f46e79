import { html, nothing, type TemplateResult } from "lit";
import type { HashErrorInfo } from "../src/errors.js";
import { PDQ_QUALITY_THRESHOLD } from "../src/hash/pdq-hash.js";
import type { Entry } from "./hash-batch.js";
import type { ExportFormat } from "./hash-export.js";
import {
  copyLabel,
  failureAdvice,
  failureHeadline,
  lowQualityWarning,
  progressSentence,
  qualitySentence,
  shortHash,
  showWholeLabel,
} from "./human-words.js";
import { msg } from "./language.js";
import { isFingerprinted, isHashed, isMd5, type NciiResult } from "./results.js";

/**
 * The pieces of `<ncii-hasher>`'s rendering below the drop zone: the progress, the list's actions and its rows.
 * Names and pixels are written with `data-ncii-private` (see private-markers.ts).
 */

export function renderProgress(done: number, total: number): TemplateResult {
  return html`<div class="progress" part="progress-area">
    <label for="progress">${progressSentence(done, total)}</label>
    <progress id="progress" part="progress" max=${total} .value=${done}></progress>
  </div>`;
}

export interface ListActions {
  readonly busy: boolean;
  readonly hashed: number;
  readonly fingerprinted: number;
  cancel(): void;
  clear(): void;
  save(format: ExportFormat): void;
}

/** The JSON and CSV exports hold pictures' PDQ only (their documented shape); the sharing export holds all. */
export function renderActions(actions: ListActions): TemplateResult {
  return html`<div class="actions" part="actions">
    ${actions.busy
      ? html`<button part="button cancel-button" @click=${() => actions.cancel()}>${msg("Cancel", { id: "cancel" })}</button>`
      : nothing}
    <button part="button clear-button" @click=${() => actions.clear()}>${msg("Clear the list", { id: "clear" })}</button>
    <button part="button export-json-button" ?disabled=${actions.hashed === 0} @click=${() => actions.save("json")}>
      ${msg("Save fingerprints (JSON)", { id: "save-json" })}
    </button>
    <button part="button export-csv-button" ?disabled=${actions.hashed === 0} @click=${() => actions.save("csv")}>
      ${msg("Save fingerprints (CSV)", { id: "save-csv" })}
    </button>
    <button part="button export-signals-button" ?disabled=${actions.fingerprinted === 0} @click=${() => actions.save("signals")}>
      ${msg("Save for sharing services", { id: "save-signals" })}
    </button>
  </div>`;
}

/** One row of the list; `copy` is what its Copy button does. */
export function renderEntry(entry: Entry, copy: (entry: Entry, hash: string) => void): TemplateResult {
  const result = entry.result;
  const hashRow = (hash: string, kind: "pdq" | "md5"): TemplateResult => renderHash(hash, kind, entry.name, () => copy(entry, hash));
  return html`<li part="item" data-status=${statusOf(result)}>
    <ncii-hasher-thumbnail part="thumbnail" aria-hidden="true" data-ncii-private
      .file=${result && isHashed(result) ? entry.file : null}></ncii-hasher-thumbnail>
    <div class="details">
      <p class="name" part="name" dir="auto" data-ncii-private>${entry.name}</p>
      ${result === null
        ? html`<p class="status" part="status">${msg("Waiting…", { id: "waiting" })}</p>`
        : isHashed(result)
          ? html`<p class="status" part="status">${qualitySentence(result.quality)}</p>
              ${hashRow(result.pdq, "pdq")}
              ${result.quality < PDQ_QUALITY_THRESHOLD ? html`<p class="warning" part="warning">${lowQualityWarning()}</p>` : nothing}`
          : isMd5(result)
            ? html`<p class="status" part="status">${msg("Video fingerprint ready (MD5 of the whole file)", { id: "video-ready" })}</p>
                ${hashRow(result.md5, "md5")}`
            : renderFailed(result.error)}
    </div>
  </li>`;
}

/**
 * The short hash with its Copy button, and the whole hash on request; `data-pdq` or `data-md5` holds it. Hex
 * reads left to right in every language.
 */
function renderHash(hash: string, kind: "pdq" | "md5", name: string, copy: () => void): TemplateResult {
  return html`
    <div class="hash-row">
      <code part="hash" dir="ltr" data-pdq=${kind === "pdq" ? hash : nothing} data-md5=${kind === "md5" ? hash : nothing}>${shortHash(hash)}</code>
      <button part="button copy-button" aria-label=${copyLabel(name)} data-ncii-private @click=${copy}>${msg("Copy", { id: "copy" })}</button>
    </div>
    <details part="full-hash">
      <summary>${showWholeLabel()}</summary>
      <code dir="ltr">${hash}</code>
    </details>
  `;
}

/** Words from the code alone; the English `message` stays in the event and `results` for the host page. */
function renderFailed(error: HashErrorInfo): TemplateResult {
  const advice = failureAdvice(error.code);
  return html`<p class="status" part="status">${failureHeadline(error.code)}</p>
    ${advice === undefined ? nothing : html`<p class="error" part="error" data-code=${error.code}>${advice}</p>`}`;
}

function statusOf(result: NciiResult | null): string {
  if (result === null) return "waiting";
  if (isFingerprinted(result)) return "hashed";
  return result.error.code === "cancelled" ? "cancelled" : "failed";
}
