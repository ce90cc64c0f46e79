/**
 * `<ncii-hasher>`: pick, drop or paste pictures; each is fingerprinted (PDQ) in a Web Worker on this device and
 * only the fingerprint is handed to the host page (videos get an MD5 of the file, streamed, as hash lists use),
 * through events, `results` and `hashes()`. The element itself sends nothing: its one request is a GET of its own
 * words for a language other than English (language.ts), and it has no beacon, no form and no image URL.
 *
 * The element holds its options and lays out the page; the list and its batches live in hash-batch.ts, drops and
 * pastes in drop-and-paste.ts, the language in element-language.ts, the rows and actions in hasher-view.ts.
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { SignalRecord } from "../src/formats/signal-record.js";
import { DEFAULT_MAX_BYTES, type OrientationPolicy, type ResizeMode } from "../src/options.js";
import { DropAndPaste } from "./drop-and-paste.js";
import { ElementLanguage } from "./element-language.js";
import { fromFileList, type Intake } from "./file-intake.js";
import { HashBatch, type Entry } from "./hash-batch.js";
import { saveExport } from "./hash-export.js";
import { hasherStyles } from "./hasher-styles.js";
import { renderActions, renderEntry, renderProgress } from "./hasher-view.js";
import { copiedSentence, copyBlockedSentence, listFullSentence, skippedSentence, startSentence, summarySentence } from "./human-words.js";
import { addTranslations, msg } from "./language.js";
import { PRIVATE, markPrivate } from "./private-markers.js";
import { isFingerprinted, isHashed, toHashRecord, type NciiHashRecord, type NciiResult } from "./results.js";
import "./thumbnail.js";

export type { NciiDoneDetail, NciiFailed, NciiHashed, NciiHashRecord, NciiMd5, NciiResult, NciiResultDetail } from "./results.js";
export type { SignalRecord } from "../src/formats/signal-record.js";
export type { Catalogue, CatalogueSource } from "./language.js";

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

  /** Kept as words to say rather than sentences, so they follow a change of language. */
  @state() private notices: (() => string)[] = [];
  @state() private announcement = "";

  @query("#pick-files") private filePicker!: HTMLInputElement;
  @query("#pick-folder") private folderPicker!: HTMLInputElement;
  @query('[part~="pick-button"]') private pickButton!: HTMLButtonElement;
  @query('[part~="clear-button"]') private clearButton!: HTMLButtonElement | null;

  #language = new ElementLanguage(this);
  #list = new HashBatch(this, {
    started: (total) => this.#say(() => startSentence(total)),
    ended: (hashed, failed, cancelled) => {
      // The Cancel button is about to go; keep the keyboard focus in the list's actions rather than lose it.
      if (this.shadowRoot?.activeElement?.matches('[part~="cancel-button"]')) {
        void this.updateComplete.then(() => this.clearButton?.focus());
      }
      this.#say(() => summarySentence(hashed, failed, cancelled));
    },
  });
  #drops = new DropAndPaste(
    this,
    (intake) => this.#accept(intake),
    () => this.#say(() =>
      msg("Some of the dropped files could not be opened. Try choosing them with the button instead.", { id: "drop-failed" })),
  );

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
    return this.#list.results;
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
    return this.#list.signals();
  }

  /** Adds files as if the person had picked them. */
  addFiles(files: Iterable<File>): void {
    this.#accept({ files: Array.from(files, (file) => ({ file, name: file.name })), skipped: 0 });
  }

  /** Stops the current batch: files not yet fingerprinted end as `cancelled`. */
  cancel(): void {
    this.#list.cancel();
  }

  /** Cancels any work and forgets every file, preview and result. */
  clear(): void {
    this.#list.clear();
    this.notices = [];
    this.#say(() => msg("The list is cleared.", { id: "cleared" }));
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === "lang") this.#language.follow();
  }

  #onPicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.#accept(fromFileList(input.files));
    // Picking the same file again must fire `change` again.
    input.value = "";
  }

  #accept(intake: Intake): void {
    const room = Math.max(0, this.maxFiles - this.#list.entries.length);
    const taken = intake.files.slice(0, room);
    const { maxFiles } = this;
    const notices: (() => string)[] = [];
    if (intake.files.length > room) notices.push(() => listFullSentence(room, maxFiles));
    if (intake.skipped > 0) notices.push(() => skippedSentence(intake.skipped));
    this.notices = notices;
    if (taken.length > 0) this.#list.add(taken);
    else if (notices.length > 0) this.#say(() => notices.map((notice) => notice()).join(" "));
  }

  async #clearAndRefocus(): Promise<void> {
    this.clear();
    await this.updateComplete;
    this.pickButton.focus();
  }

  /** The first rendering waits for the words, so a person never sees (or hears) English flash by first. */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await this.#language.firstWords();
    super.scheduleUpdate();
  }

  /** New rows get their markers before a recorder's mutation observer, which runs after this task, reads them. */
  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    for (const element of this.renderRoot.querySelectorAll(PRIVATE)) markPrivate(element);
  }

  /** Rendering, directives included, happens here: every `msg` inside answers in the element's language. */
  protected override update(changed: PropertyValues): void {
    this.#language.speak(() => super.update(changed));
  }

  #say(words: () => string): void {
    const message = this.#language.speak(words);
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

  override render(): TemplateResult {
    const { language } = this.#language;
    const list = this.#list;
    const pick = msg("Choose pictures", { id: "pick" });
    const pickFolder = msg("Choose a folder", { id: "pick-folder" });
    return html`<div class="root" lang=${language.tag} dir=${language.dir}>
      <section
        class="dropzone ${this.#drops.dragging ? "dragging" : ""}"
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
      ${list.total > 0 ? renderProgress(list.done, list.total) : nothing}
      ${list.entries.length > 0
        ? html`${renderActions({
            busy: list.busy,
            hashed: this.results.filter(isHashed).length,
            fingerprinted: this.results.filter(isFingerprinted).length,
            cancel: () => this.cancel(),
            clear: () => void this.#clearAndRefocus(),
            save: (format) => saveExport(format, this),
          })}
          <ol part="list" aria-label=${msg("Pictures", { id: "list" })}>
            ${repeat(list.entries, (entry) => entry.key, (entry) => renderEntry(entry, (entry, hash) => void this.#copy(entry, hash)))}
          </ol>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ncii-hasher": NciiHasher;
  }
}
