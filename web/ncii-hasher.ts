/**
 * `<ncii-hasher>`: pick, drop or paste pictures; each is fingerprinted (PDQ) in a Web Worker on this device and
 * only the fingerprint is handed to the host page (videos get an MD5 of the file, streamed, as hash lists use), through events, `results` and `hashes()`. The element itself
 * sends nothing: its one request is a GET of its own words for a language other than English (language.ts), and it
 * has no beacon, no form and no image URL.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { HashErrorInfo } from "../src/errors.js";
import { imagePdqSignal, videoMd5Signal, type SignalRecord } from "../src/formats/signal-record.js";
import { PDQ_QUALITY_THRESHOLD } from "../src/hash/pdq-hash.js";
import { DEFAULT_MAX_BYTES, type KernelResizeMode, type OrientationPolicy, type ResizeMode } from "../src/options.js";
import { createBrowserPool } from "../workers/browser-pool.browser.js";
import type { DigestResult, DigestTask, HashPool } from "../src/pool-contract.js";
import {
  fromClipboard,
  fromFileList,
  isVideoFile,
  readDroppedEntries,
  takeDroppedEntries,
  type Intake,
  type PickedFile,
} from "./file-intake.js";
import { hashesToCsv, hashesToJson, saveLocally, signalsToJsonLines } from "./hash-export.js";
import { hasherStyles } from "./hasher-styles.js";
import {
  copiedSentence,
  copyBlockedSentence,
  copyLabel,
  failureAdvice,
  failureHeadline,
  listFullSentence,
  lowQualityWarning,
  progressSentence,
  qualitySentence,
  shortHash,
  showWholeLabel,
  skippedSentence,
  startSentence,
  summarySentence,
} from "./human-words.js";
import { ENGLISH, addTranslations, languageFor, msg, nearestLang, speaking, watchLanguage, type Language } from "./language.js";
import {
  isFingerprinted,
  isHashed,
  isMd5,
  toHashRecord,
  withoutFileDetails,
  type NciiDoneDetail,
  type NciiHashed,
  type NciiHashRecord,
  type NciiResult,
  type NciiResultDetail,
} from "./results.js";
import { PRIVATE, markPrivate } from "./private-markers.js";
import "./thumbnail.js";

export type { NciiDoneDetail, NciiFailed, NciiHashed, NciiHashRecord, NciiMd5, NciiResult, NciiResultDetail } from "./results.js";
export type { SignalRecord } from "../src/formats/signal-record.js";
export type { Catalogue, CatalogueSource } from "./language.js";

interface Entry {
  readonly key: number;
  readonly file: File;
  readonly name: string;
  result: NciiResult | null;
  /** How the picture was sized for its PDQ, which a receiver of its exchange record needs to know. */
  resize?: KernelResizeMode;
}

/** One batch: the files given to it (more can join while it runs) and the switch that stops it. */
interface Batch {
  readonly entries: Entry[];
  readonly pending: Entry[];
  readonly abort: AbortController;
}

const DEFAULT_MAX_FILES = 1000;
/** How long the first rendering waits for a catalogue before it shows English (and switches once it arrives). */
const FIRST_WORDS_WAIT_MS = 3000;

@customElement("ncii-hasher")
export class NciiHasher extends LitElement {
  static override styles = hasherStyles;

  /**
   * `full` (default; what HMA and StopNCII-style services compute) or `512` (the reference C++ CLI's pre-resize).
   * `fast` is accepted and equals `full` here: browsers cannot decode JPEG at the reduced scales it relies on.
   */
  @property({ reflect: true }) resize: ResizeMode = "full";

  /** Number of workers; 0 (default) uses the device's core count. */
  @property({ type: Number, reflect: true }) workers = 0;

  /** `apply` (default): hash the picture as it is shown (EXIF orientation applied); `ignore`: the stored grid. */
  @property({ reflect: true }) orientation: OrientationPolicy = "apply";

  /** Also compute the 8 rotated/flipped variants of each fingerprint. */
  @property({ type: Boolean, reflect: true }) dihedral = false;

  /**
   * Whether `ncii-hashed` and `ncii-done` carry each file's `name` and `size`. Off by default: events are what a
   * host page's analytics or session-replay scripts record without asking, and a file name can say who is in the
   * picture. The `results` property always has them.
   */
  @property({ type: Boolean, attribute: "file-details", reflect: true }) fileDetails = false;

  /** Most files the list holds until it is cleared; extra files are left out with a notice. */
  @property({ type: Number, attribute: "max-files", reflect: true }) maxFiles = DEFAULT_MAX_FILES;

  /**
   * Largest file, in bytes, a worker reads; bigger ones end with `file-too-large` before a byte is read (a phone's
   * memory is the limit a hostile or mistaken pick would hit first). Default 256 MiB, as in the CLI.
   */
  @property({ type: Number, attribute: "max-bytes", reflect: true }) maxBytes = DEFAULT_MAX_BYTES;

  @state() private entries: Entry[] = [];
  @state() private batchTotal = 0;
  @state() private batchDone = 0;
  @state() private busy = false;
  @state() private dragging = false;
  /** Kept as words to say rather than sentences, so they follow a change of language. */
  @state() private notices: (() => string)[] = [];
  @state() private announcement = "";

  @query("#pick-files") private filePicker!: HTMLInputElement;
  @query("#pick-folder") private folderPicker!: HTMLInputElement;
  @query('[part~="pick-button"]') private pickButton!: HTMLButtonElement;
  @query('[part~="clear-button"]') private clearButton!: HTMLButtonElement | null;

  #nextKey = 0;
  /** The running batch; a cancelled or cleared one may still be winding down after it is replaced. */
  #batch: Batch | null = null;
  #pool: { key: string; pool: HashPool; resize: KernelResizeMode } | null = null;
  #language: Language = ENGLISH;
  /** The newest language asked for; an older one that arrives late is dropped. */
  #languageLoading: Promise<void> | undefined;
  #stopWatchingLanguage: (() => void) | undefined;
  /** Set by the first file whose code failed its integrity check: from then on nothing more is hashed. */
  #integrityFailure: HashErrorInfo | null = null;

  /**
   * Adds or replaces words for a locale, for every `<ncii-hasher>` on the page: a catalogue of message ids (see
   * web/locales/xliff/) to strings, or a function that fetches one when an element first needs it.
   */
  static addTranslations = addTranslations;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, "lang"];
  }

  /** Every result so far (hashed or failed), in the order the files were added. */
  get results(): NciiResult[] {
    return this.entries.flatMap((entry) => (entry.result ? [entry.result] : []));
  }

  /** The fingerprints only (no names, sizes or pixels): what a host may send on, once the person agrees. */
  hashes(): NciiHashRecord[] {
    return this.results.filter(isHashed).map(toHashRecord);
  }

  /**
   * Every fingerprint, pictures' PDQ and videos' MD5, as exchange records (`signalType`, `hashValue`, quality):
   * the shape hash-sharing services take, with no file names. What "Save for sharing services" writes.
   */
  signals(): SignalRecord[] {
    return this.entries.flatMap((entry): SignalRecord[] => {
      const result = entry.result;
      if (result && isHashed(result)) return [imagePdqSignal(result, { resize: entry.resize ?? "full" })];
      if (result && isMd5(result)) return [videoMd5Signal(result.md5)];
      return [];
    });
  }

  /** Adds files as if the person had picked them. */
  addFiles(files: Iterable<File>): void {
    this.#accept({ files: Array.from(files, (file) => ({ file, name: file.name })), skipped: 0 });
  }

  /** Stops the current batch: files not yet fingerprinted end as `cancelled`. */
  cancel(): void {
    this.#batch?.abort.abort();
  }

  /** Cancels any work and forgets every file, preview and result. */
  clear(): void {
    this.cancel();
    this.#batch = null;
    this.busy = false;
    this.entries = [];
    this.batchTotal = 0;
    this.batchDone = 0;
    this.notices = [];
    this.#say(() => msg("The list is cleared.", { id: "cleared" }));
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === "lang") this.#followLanguage();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopWatchingLanguage = watchLanguage(() => this.#followLanguage());
    this.#followLanguage();
    this.addEventListener("dragover", this.#onDragOver);
    this.addEventListener("dragleave", this.#onDragLeave);
    this.addEventListener("drop", this.#onDrop);
    this.addEventListener("paste", this.#onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatchingLanguage?.();
    this.removeEventListener("dragover", this.#onDragOver);
    this.removeEventListener("dragleave", this.#onDragLeave);
    this.removeEventListener("drop", this.#onDrop);
    this.removeEventListener("paste", this.#onPaste);
    this.cancel();
    void this.#pool?.pool.close();
    this.#pool = null;
  }

  #onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    this.dragging = true;
  };

  #onDragLeave = (event: DragEvent): void => {
    if (event.relatedTarget instanceof Node && this.contains(event.relatedTarget)) return;
    this.dragging = false;
  };

  #onDrop = (event: DragEvent): void => {
    if (!event.dataTransfer) return;
    event.preventDefault();
    this.dragging = false;
    const taken = takeDroppedEntries(event.dataTransfer);
    void readDroppedEntries(taken).then(
      (intake) => this.#accept(intake),
      () => this.#say(() =>
        msg("Some of the dropped files could not be opened. Try choosing them with the button instead.", { id: "drop-failed" })),
    );
  };

  #onPaste = (event: ClipboardEvent): void => {
    const intake = fromClipboard(event.clipboardData);
    if (intake.files.length === 0) return;
    event.preventDefault();
    this.#accept(intake);
  };

  #onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.#accept(fromFileList(input.files));
    // Picking the same file again must fire `change` again.
    input.value = "";
  }

  #accept(intake: Intake): void {
    const room = Math.max(0, this.maxFiles - this.entries.length);
    const taken = intake.files.slice(0, room);
    const { maxFiles } = this;
    const notices: (() => string)[] = [];
    if (intake.files.length > room) notices.push(() => listFullSentence(room, maxFiles));
    if (intake.skipped > 0) notices.push(() => skippedSentence(intake.skipped));
    this.notices = notices;
    if (taken.length === 0) {
      if (notices.length > 0) this.#say(() => notices.map((notice) => notice()).join(" "));
      return;
    }
    const entries = taken.map((picked: PickedFile): Entry => ({ key: this.#nextKey++, ...picked, result: null }));
    this.entries = [...this.entries, ...entries];
    const running = this.#batch;
    if (running) {
      running.entries.push(...entries);
      running.pending.push(...entries);
      this.batchTotal += entries.length;
      return;
    }
    this.batchTotal = entries.length;
    this.batchDone = 0;
    void this.#run({ entries: [...entries], pending: [...entries], abort: new AbortController() });
  }

  async #run(batch: Batch): Promise<void> {
    this.#batch = batch;
    this.busy = true;
    const total = this.batchTotal;
    this.#say(() => startSentence(total));
    const { signal } = batch.abort;
    try {
      const refused = this.#integrityFailure;
      if (refused) for (const entry of batch.pending.splice(0)) this.#settle(entry, { name: entry.name, error: refused });
      const { pool, resize } = this.#currentPool();
      // Files added while a batch runs join it: the pool reads its input lazily, and anything added after the
      // input ran dry is picked up by the next round.
      while (batch.pending.length > 0 && !signal.aborted) {
        const taken: Entry[] = [];
        for await (const result of pool.digestAll(drain(batch.pending, taken), { signal })) {
          const entry = taken[result.index]!;
          entry.resize = resize;
          this.#settle(entry, outcomeOf(entry, result));
        }
      }
    } catch (error) {
      // The pool contract is to never throw; this guards the UI against a pool that cannot even be set up, so
      // no file is left waiting forever.
      const failure: HashErrorInfo = { code: "worker-failed", message: workerStartMessage(error) };
      for (const entry of batch.entries) this.#settle(entry, { name: entry.name, error: failure });
    }
    for (const entry of batch.pending.splice(0)) this.#settle(entry, cancelledResult(entry));
    // A batch stopped by a failed integrity check was not cancelled by anyone: its files failed.
    const cancelled = signal.aborted && this.#integrityFailure === null;
    if (this.#batch === batch) {
      // The Cancel button is about to go; keep the keyboard focus in the list's actions rather than lose it.
      const focusWasOnCancel = this.shadowRoot?.activeElement?.matches('[part~="cancel-button"]') ?? false;
      this.#batch = null;
      this.busy = false;
      if (focusWasOnCancel) void this.updateComplete.then(() => this.clearButton?.focus());
      const results = this.results;
      const hashed = results.filter(isFingerprinted).length;
      this.#say(() => summarySentence(hashed, results.length - hashed, cancelled));
    }
    // Every batch ends with exactly one ncii-done, a cleared one included (it ends cancelled).
    this.dispatchEvent(
      new CustomEvent<NciiDoneDetail>("ncii-done", {
        detail: { results: this.results.map((result) => this.#detailOf(result)), cancelled },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #settle(entry: Entry, result: NciiResult): void {
    if (entry.result || !this.entries.includes(entry)) return;
    if (!isFingerprinted(result) && result.error.code === "integrity-failed" && !this.#integrityFailure) {
      this.#integrityFailure = result.error;
      this.#batch?.abort.abort();
      this.dispatchEvent(
        new CustomEvent<HashErrorInfo>("ncii-integrity-failed", { detail: result.error, bubbles: true, composed: true }),
      );
    }
    // Once some code of the bundle failed its check, the rest of the bundle is not trusted with any file either.
    if (this.#integrityFailure) result = { name: entry.name, error: this.#integrityFailure };
    entry.result = result;
    this.batchDone++;
    this.requestUpdate();
    const detail = this.#detailOf(result);
    this.dispatchEvent(new CustomEvent<NciiResultDetail>("ncii-hashed", { detail, bubbles: true, composed: true }));
  }

  #detailOf(result: NciiResult): NciiResultDetail {
    return this.fileDetails ? result : withoutFileDetails(result);
  }

  /** One pool per option set; changing an option takes effect at the next batch. */
  #currentPool(): { pool: HashPool; resize: KernelResizeMode } {
    const key = JSON.stringify([this.workers, this.resize, this.orientation, this.dihedral, this.maxBytes]);
    if (this.#pool?.key === key) return this.#pool;
    void this.#pool?.pool.close();
    const pool = createBrowserPool({
      size: this.workers > 0 ? this.workers : undefined,
      hashOptions: { resize: this.resize, orientation: this.orientation, dihedral: this.dihedral, maxBytes: this.maxBytes },
    });
    // `fast` hashes at full size in browsers (see `resize`).
    this.#pool = { key, pool, resize: this.resize === "512" ? "512" : "full" };
    return this.#pool;
  }

  async #clearAndRefocus(): Promise<void> {
    this.clear();
    await this.updateComplete;
    this.pickButton.focus();
  }

  /** Follows the nearest `lang`: the element renders in the old language until the new one's words are here. */
  #followLanguage(): void {
    const loading = languageFor(nearestLang(this)).then((language) => {
      if (this.#languageLoading !== loading || language === this.#language) return;
      this.#language = language;
      this.requestUpdate();
    });
    this.#languageLoading = loading;
  }

  /** The first rendering waits for the words, so a person never sees (or hears) English flash by first. */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) {
      await Promise.race([this.#languageLoading, new Promise((resolve) => setTimeout(resolve, FIRST_WORDS_WAIT_MS))]);
    }
    super.scheduleUpdate();
  }

  /** New rows get their markers before a recorder's mutation observer, which runs after this task, reads them. */
  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    for (const element of this.renderRoot.querySelectorAll(PRIVATE)) markPrivate(element);
  }

  /** Rendering, directives included, happens here: every `msg` inside answers in the element's language. */
  protected override update(changed: PropertyValues): void {
    speaking(this.#language, () => super.update(changed));
  }

  #say(words: () => string): void {
    const message = speaking(this.#language, words);
    // Re-announcing the same sentence needs a change for screen readers to pick it up.
    this.announcement = this.announcement === message ? `${message}\u00a0` : message;
  }

  async #copy(entry: Entry, hash: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(hash);
      this.#say(() => copiedSentence(entry.name));
    } catch {
      this.#say(copyBlockedSentence);
    }
  }

  #save(format: "json" | "csv" | "signals"): void {
    if (format === "signals") {
      saveLocally(signalsToJsonLines(this.signals()), "fingerprints-for-sharing.jsonl", "application/jsonl");
      return;
    }
    const records = this.hashes();
    if (format === "json") saveLocally(hashesToJson(records), "fingerprints.json", "application/json");
    else saveLocally(hashesToCsv(records), "fingerprints.csv", "text/csv");
  }

  override render(): TemplateResult {
    const hashedCount = this.results.filter(isHashed).length;
    const fingerprintedCount = this.results.filter(isFingerprinted).length;
    const pick = msg("Choose pictures", { id: "pick" });
    const pickFolder = msg("Choose a folder", { id: "pick-folder" });
    return html`<div class="root" lang=${this.#language.tag} dir=${this.#language.dir}>
      <section
        class="dropzone ${this.dragging ? "dragging" : ""}"
        part="dropzone"
        tabindex="0"
        aria-labelledby="title"
        aria-describedby="hint privacy"
      >
        <h2 id="title">${msg("Add pictures", { id: "title" })}</h2>
        <p id="hint">${msg("Drop pictures, videos or a folder here, choose them below, or paste a picture.", { id: "hint" })}</p>
        <p id="privacy" class="privacy">
          ${msg("Your pictures stay on this device. Only a fingerprint of each is made.", { id: "privacy" })}
        </p>
        <div class="pickers">
          <button class="primary" part="button pick-button" @click=${() => this.filePicker.click()}>${pick}</button>
          <button part="button folder-button" @click=${() => this.folderPicker.click()}>${pickFolder}</button>
        </div>
        <input id="pick-files" type="file" multiple accept="image/*,.heic,.heif,video/*" hidden aria-label=${pick} data-ncii-private
          @change=${this.#onPicked} />
        <input id="pick-folder" type="file" webkitdirectory hidden aria-label=${pickFolder} data-ncii-private
          @change=${this.#onPicked} />
      </section>
      <p class="visually-hidden" role="status" data-ncii-private>${this.announcement}</p>
      ${this.notices.length > 0
        ? html`<p class="notice" part="notice">${this.notices.map((notice) => html`<span>${notice()}</span> `)}</p>`
        : nothing}
      ${this.batchTotal > 0 ? this.#renderProgress() : nothing}
      ${this.entries.length > 0 ? this.#renderActions(hashedCount, fingerprintedCount) : nothing}
      ${this.entries.length > 0
        ? html`<ol part="list" aria-label=${msg("Pictures", { id: "list" })}>
            ${repeat(this.entries, (entry) => entry.key, (entry) => this.#renderEntry(entry))}
          </ol>`
        : nothing}
    </div>`;
  }

  #renderProgress(): TemplateResult {
    return html`<div class="progress" part="progress-area">
      <label for="progress">${progressSentence(this.batchDone, this.batchTotal)}</label>
      <progress id="progress" part="progress" max=${this.batchTotal} .value=${this.batchDone}></progress>
    </div>`;
  }

  /** The JSON and CSV exports hold pictures' PDQ only (their documented shape); the sharing export holds all. */
  #renderActions(hashedCount: number, fingerprintedCount: number): TemplateResult {
    return html`<div class="actions" part="actions">
      ${this.busy
        ? html`<button part="button cancel-button" @click=${() => this.cancel()}>${msg("Cancel", { id: "cancel" })}</button>`
        : nothing}
      <button part="button clear-button" @click=${this.#clearAndRefocus}>${msg("Clear the list", { id: "clear" })}</button>
      <button part="button export-json-button" ?disabled=${hashedCount === 0} @click=${() => this.#save("json")}>
        ${msg("Save fingerprints (JSON)", { id: "save-json" })}
      </button>
      <button part="button export-csv-button" ?disabled=${hashedCount === 0} @click=${() => this.#save("csv")}>
        ${msg("Save fingerprints (CSV)", { id: "save-csv" })}
      </button>
      <button part="button export-signals-button" ?disabled=${fingerprintedCount === 0} @click=${() => this.#save("signals")}>
        ${msg("Save for sharing services", { id: "save-signals" })}
      </button>
    </div>`;
  }

  #renderEntry(entry: Entry): TemplateResult {
    const result = entry.result;
    return html`<li part="item" data-status=${statusOf(result)}>
      <ncii-hasher-thumbnail part="thumbnail" aria-hidden="true" data-ncii-private
        .file=${result && isHashed(result) ? entry.file : null}></ncii-hasher-thumbnail>
      <div class="details">
        <p class="name" part="name" dir="auto" data-ncii-private>${entry.name}</p>
        ${result === null
          ? html`<p class="status" part="status">${msg("Waiting…", { id: "waiting" })}</p>`
          : isHashed(result)
            ? this.#renderHashed(entry, result.pdq, result.quality)
            : isMd5(result)
              ? this.#renderMd5(entry, result.md5)
              : this.#renderFailed(result.error)}
      </div>
    </li>`;
  }

  #renderHashed(entry: Entry, pdq: string, quality: number): TemplateResult {
    return html`
      <p class="status" part="status">${qualitySentence(quality)}</p>
      ${this.#renderHash(entry, pdq, "pdq")}
      ${quality < PDQ_QUALITY_THRESHOLD ? html`<p class="warning" part="warning">${lowQualityWarning()}</p>` : nothing}
    `;
  }

  #renderMd5(entry: Entry, md5: string): TemplateResult {
    return html`
      <p class="status" part="status">${msg("Video fingerprint ready (MD5 of the whole file)", { id: "video-ready" })}</p>
      ${this.#renderHash(entry, md5, "md5")}
    `;
  }

  /**
   * The short hash with its Copy button, and the whole hash on request; `data-pdq` or `data-md5` holds it. Hex
   * reads left to right in every language.
   */
  #renderHash(entry: Entry, hash: string, kind: "pdq" | "md5"): TemplateResult {
    return html`
      <div class="hash-row">
        <code part="hash" dir="ltr" data-pdq=${kind === "pdq" ? hash : nothing} data-md5=${kind === "md5" ? hash : nothing}>${shortHash(hash)}</code>
        <button part="button copy-button" aria-label=${copyLabel(entry.name)} data-ncii-private
          @click=${() => this.#copy(entry, hash)}>${msg("Copy", { id: "copy" })}</button>
      </div>
      <details part="full-hash">
        <summary>${showWholeLabel()}</summary>
        <code dir="ltr">${hash}</code>
      </details>
    `;
  }

  /** Words from the code alone; the English `message` stays in the event and `results` for the host page. */
  #renderFailed(error: HashErrorInfo): TemplateResult {
    const advice = failureAdvice(error.code);
    return html`<p class="status" part="status">${failureHeadline(error.code)}</p>
      ${advice === undefined ? nothing : html`<p class="error" part="error" data-code=${error.code}>${advice}</p>`}`;
  }
}

/**
 * Hands the batch's files to the pool one at a time, as it asks for them, noting which were taken in what order.
 * Videos go as MD5 tasks: the worker streams the Blob, so a 2 GB video never sits in memory.
 */
function* drain(pending: Entry[], taken: Entry[]): Generator<DigestTask> {
  while (pending.length > 0) {
    const entry = pending.shift()!;
    taken.push(entry);
    yield { name: entry.name, source: { kind: "blob", blob: entry.file }, digest: isVideoFile(entry.file) ? "md5" : "pdq" };
  }
}

function statusOf(result: NciiResult | null): string {
  if (result === null) return "waiting";
  if (isFingerprinted(result)) return "hashed";
  return result.error.code === "cancelled" ? "cancelled" : "failed";
}

function outcomeOf(entry: Entry, result: DigestResult): NciiResult {
  if (!result.ok) return { name: entry.name, error: result.error };
  if ("md5" in result) return { name: entry.name, size: entry.file.size, type: entry.file.type, md5: result.md5 };
  const { pdq, quality, width, height, dihedral } = result.hash;
  const hashed: NciiHashed = { name: entry.name, size: entry.file.size, type: entry.file.type, pdq, quality, width, height };
  if (dihedral) hashed.dihedral = dihedral;
  return hashed;
}

function cancelledResult(entry: Entry): NciiResult {
  return { name: entry.name, error: { code: "cancelled", message: "Stopped before this picture was fingerprinted." } };
}

function workerStartMessage(error: unknown): string {
  const detail = error instanceof Error ? ` (${error.message})` : "";
  return `The fingerprinting helper could not start in this page${detail}. Try reloading the page.`;
}

declare global {
  interface HTMLElementTagNameMap {
    "ncii-hasher": NciiHasher;
  }
}
