/**
 * `<ncii-hasher>`: pick, drop or paste pictures; each is fingerprinted (PDQ) in a Web Worker on this device and
 * only the fingerprint is handed to the host page (videos get an MD5 of the file, streamed, as hash lists use), through events, `results` and `hashes()`. The element itself
 * makes no network requests: it has no fetch, no beacon, no form and no image URL.
 */
import { LitElement, html, nothing, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { HashErrorInfo } from "../src/errors.js";
import { imagePdqSignal, videoMd5Signal, type SignalRecord } from "../src/formats/signal-record.js";
import { PDQ_QUALITY_THRESHOLD } from "../src/hash/pdq-hash.js";
import type { KernelResizeMode, OrientationPolicy, ResizeMode } from "../src/options.js";
import { createBrowserPool } from "../workers/browser-pool.browser.js";
import type { DigestResult, DigestTask, HashPool } from "../workers/types.js";
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
  LOW_QUALITY_WARNING,
  failureHeadline,
  listFullSentence,
  plural,
  progressSentence,
  shortHash,
  skippedSentence,
  summarySentence,
} from "./human-words.js";
import {
  isFingerprinted,
  isHashed,
  isMd5,
  toHashRecord,
  type NciiDoneDetail,
  type NciiHashed,
  type NciiHashRecord,
  type NciiResult,
} from "./results.js";
import "./thumbnail.js";

export type { NciiDoneDetail, NciiFailed, NciiHashed, NciiHashRecord, NciiMd5, NciiResult } from "./results.js";
export type { SignalRecord } from "../src/formats/signal-record.js";

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

  /** Most files the list holds until it is cleared; extra files are left out with a notice. */
  @property({ type: Number, attribute: "max-files", reflect: true }) maxFiles = DEFAULT_MAX_FILES;

  @state() private entries: Entry[] = [];
  @state() private batchTotal = 0;
  @state() private batchDone = 0;
  @state() private busy = false;
  @state() private dragging = false;
  @state() private notice = "";
  @state() private announcement = "";

  @query("#pick-files") private filePicker!: HTMLInputElement;
  @query("#pick-folder") private folderPicker!: HTMLInputElement;
  @query('[part~="pick-button"]') private pickButton!: HTMLButtonElement;
  @query('[part~="clear-button"]') private clearButton!: HTMLButtonElement | null;

  #nextKey = 0;
  /** The running batch; a cancelled or cleared one may still be winding down after it is replaced. */
  #batch: Batch | null = null;
  #pool: { key: string; pool: HashPool; resize: KernelResizeMode } | null = null;

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
    this.notice = "";
    this.#say("The list is cleared.");
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("dragover", this.#onDragOver);
    this.addEventListener("dragleave", this.#onDragLeave);
    this.addEventListener("drop", this.#onDrop);
    this.addEventListener("paste", this.#onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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
      () => this.#say("Some of the dropped files could not be opened. Try choosing them with the button instead."),
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
    const notices: string[] = [];
    if (intake.files.length > room) notices.push(listFullSentence(room, this.maxFiles));
    if (intake.skipped > 0) notices.push(skippedSentence(intake.skipped));
    this.notice = notices.join(" ");
    if (taken.length === 0) {
      if (this.notice) this.#say(this.notice);
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
    this.#say(`Fingerprinting ${plural(this.batchTotal, "picture", "pictures")}…`);
    const { signal } = batch.abort;
    try {
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
    if (this.#batch === batch) {
      // The Cancel button is about to go; keep the keyboard focus in the list's actions rather than lose it.
      const focusWasOnCancel = this.shadowRoot?.activeElement?.matches('[part~="cancel-button"]') ?? false;
      this.#batch = null;
      this.busy = false;
      if (focusWasOnCancel) void this.updateComplete.then(() => this.clearButton?.focus());
      const results = this.results;
      const hashed = results.filter(isFingerprinted).length;
      this.#say(summarySentence(hashed, results.length - hashed, signal.aborted));
    }
    // Every batch ends with exactly one ncii-done, a cleared one included (it ends cancelled).
    this.dispatchEvent(
      new CustomEvent<NciiDoneDetail>("ncii-done", {
        detail: { results: this.results, cancelled: signal.aborted },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #settle(entry: Entry, result: NciiResult): void {
    if (entry.result || !this.entries.includes(entry)) return;
    entry.result = result;
    this.batchDone++;
    this.requestUpdate();
    this.dispatchEvent(new CustomEvent<NciiResult>("ncii-hashed", { detail: result, bubbles: true, composed: true }));
  }

  /** One pool per option set; changing an option takes effect at the next batch. */
  #currentPool(): { pool: HashPool; resize: KernelResizeMode } {
    const key = JSON.stringify([this.workers, this.resize, this.orientation, this.dihedral]);
    if (this.#pool?.key === key) return this.#pool;
    void this.#pool?.pool.close();
    const pool = createBrowserPool({
      size: this.workers > 0 ? this.workers : undefined,
      hashOptions: { resize: this.resize, orientation: this.orientation, dihedral: this.dihedral },
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

  #say(message: string): void {
    // Re-announcing the same sentence needs a change for screen readers to pick it up.
    this.announcement = this.announcement === message ? `${message}\u00a0` : message;
  }

  async #copy(entry: Entry, hash: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(hash);
      this.#say(`Fingerprint of ${entry.name} copied.`);
    } catch {
      this.#say("This page does not allow copying. Open “Show the whole fingerprint” and copy it from there.");
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
    return html`
      <section
        class="dropzone ${this.dragging ? "dragging" : ""}"
        part="dropzone"
        tabindex="0"
        aria-labelledby="title"
        aria-describedby="hint privacy"
      >
        <h2 id="title">Add pictures</h2>
        <p id="hint">Drop pictures, videos or a folder here, choose them below, or paste a picture.</p>
        <p id="privacy" class="privacy">Your pictures stay on this device. Only a fingerprint of each is made.</p>
        <div class="pickers">
          <button class="primary" part="button pick-button" @click=${() => this.filePicker.click()}>
            Choose pictures
          </button>
          <button part="button folder-button" @click=${() => this.folderPicker.click()}>Choose a folder</button>
        </div>
        <input id="pick-files" type="file" multiple accept="image/*,.heic,.heif,video/*" hidden aria-label="Choose pictures"
          @change=${this.#onPicked} />
        <input id="pick-folder" type="file" webkitdirectory hidden aria-label="Choose a folder"
          @change=${this.#onPicked} />
      </section>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${this.notice ? html`<p class="notice" part="notice">${this.notice}</p>` : nothing}
      ${this.batchTotal > 0 ? this.#renderProgress() : nothing}
      ${this.entries.length > 0 ? this.#renderActions(hashedCount, fingerprintedCount) : nothing}
      ${this.entries.length > 0
        ? html`<ol part="list" aria-label="Pictures">
            ${repeat(this.entries, (entry) => entry.key, (entry) => this.#renderEntry(entry))}
          </ol>`
        : nothing}
    `;
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
        ? html`<button part="button cancel-button" @click=${() => this.cancel()}>Cancel</button>`
        : nothing}
      <button part="button clear-button" @click=${this.#clearAndRefocus}>Clear the list</button>
      <button part="button export-json-button" ?disabled=${hashedCount === 0} @click=${() => this.#save("json")}>
        Save fingerprints (JSON)
      </button>
      <button part="button export-csv-button" ?disabled=${hashedCount === 0} @click=${() => this.#save("csv")}>
        Save fingerprints (CSV)
      </button>
      <button part="button export-signals-button" ?disabled=${fingerprintedCount === 0} @click=${() => this.#save("signals")}>
        Save for sharing services
      </button>
    </div>`;
  }

  #renderEntry(entry: Entry): TemplateResult {
    const result = entry.result;
    return html`<li part="item" data-status=${statusOf(result)}>
      <ncii-hasher-thumbnail part="thumbnail" aria-hidden="true"
        .file=${result && isHashed(result) ? entry.file : null}></ncii-hasher-thumbnail>
      <div class="details">
        <p class="name" part="name">${entry.name}</p>
        ${result === null
          ? html`<p class="status" part="status">Waiting…</p>`
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
      <p class="status" part="status">Fingerprint ready (quality ${quality} of 100)</p>
      ${this.#renderHash(entry, pdq, "pdq")}
      ${quality < PDQ_QUALITY_THRESHOLD ? html`<p class="warning" part="warning">${LOW_QUALITY_WARNING}</p>` : nothing}
    `;
  }

  #renderMd5(entry: Entry, md5: string): TemplateResult {
    return html`
      <p class="status" part="status">Video fingerprint ready (MD5 of the whole file)</p>
      ${this.#renderHash(entry, md5, "md5")}
    `;
  }

  /** The short hash with its Copy button, and the whole hash on request; `data-pdq` or `data-md5` holds it. */
  #renderHash(entry: Entry, hash: string, kind: "pdq" | "md5"): TemplateResult {
    return html`
      <div class="hash-row">
        <code part="hash" data-pdq=${kind === "pdq" ? hash : nothing} data-md5=${kind === "md5" ? hash : nothing}>${shortHash(hash)}</code>
        <button part="button copy-button" aria-label="Copy the fingerprint of ${entry.name}"
          @click=${() => this.#copy(entry, hash)}>Copy</button>
      </div>
      <details part="full-hash">
        <summary>Show the whole fingerprint</summary>
        <code>${hash}</code>
      </details>
    `;
  }

  #renderFailed(error: HashErrorInfo): TemplateResult {
    if (error.code === "cancelled") {
      return html`<p class="status" part="status">${failureHeadline("cancelled")}</p>`;
    }
    return html`<p class="status" part="status">${failureHeadline(error.code)}</p>
      <p class="error" part="error" data-code=${error.code}>${error.message}</p>`;
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
