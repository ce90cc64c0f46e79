import type { ReactiveController, ReactiveControllerHost } from "lit";
import { cancelled, type HashErrorInfo } from "../src/errors.js";
import { imagePdqSignal, videoMd5Signal, type SignalRecord } from "../src/formats/signal-record.js";
import type { KernelResizeMode, OrientationPolicy, ResizeMode } from "../src/options.js";
import { createBrowserPool } from "../workers/browser-pool.browser.js";
import type { DigestResult, DigestTask, HashPool } from "../src/pool-contract.js";
import { isVideoFile, type PickedFile } from "./file-intake.js";
import {
  isFingerprinted,
  isHashed,
  isMd5,
  withoutFileDetails,
  type NciiDoneDetail,
  type NciiHashed,
  type NciiResult,
  type NciiResultDetail,
} from "./results.js";

/** A file in the list, with its result once it has one. */
export interface Entry {
  readonly key: number;
  readonly file: File;
  readonly name: string;
  result: NciiResult | null;
  /** How the picture was sized for its PDQ, which a receiver of its exchange record needs to know. */
  resize?: KernelResizeMode;
}

/** The element's options the pool is built from, and the events' target. */
export interface BatchHost extends ReactiveControllerHost, EventTarget {
  readonly workers: number;
  readonly resize: ResizeMode;
  readonly orientation: OrientationPolicy;
  readonly dihedral: boolean;
  readonly maxBytes: number;
  readonly fileDetails: boolean;
}

/** What the element says when a batch starts and ends (the controller holds no words). */
export interface BatchNews {
  started(total: number): void;
  ended(hashed: number, failed: number, cancelled: boolean): void;
}

/** One batch: the files given to it (more can join while it runs) and the switch that stops it. */
interface Batch {
  readonly entries: Entry[];
  readonly pending: Entry[];
  readonly abort: AbortController;
}

/**
 * The list of files and their results, the batch that fingerprints them and the worker pool it runs on, for one
 * `<ncii-hasher>`. Fires `ncii-hashed` per file, one `ncii-done` per batch and `ncii-integrity-failed` once.
 */
export class HashBatch implements ReactiveController {
  entries: Entry[] = [];
  /** Files in the current (or last) batch, and how many of them have a result. */
  total = 0;
  done = 0;
  busy = false;
  #nextKey = 0;
  /** The running batch; a cancelled or cleared one may still be winding down after it is replaced. */
  #batch: Batch | null = null;
  #pool: { key: string; pool: HashPool; resize: KernelResizeMode } | null = null;
  /** Set by the first file whose code failed its integrity check: from then on nothing more is hashed. */
  #integrityFailure: HashErrorInfo | null = null;

  constructor(
    private readonly host: BatchHost,
    private readonly news: BatchNews,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
    void this.#pool?.pool.close();
    this.#pool = null;
  }

  /** Every result so far (hashed or failed), in the order the files were added. */
  get results(): NciiResult[] {
    return this.entries.flatMap((entry) => (entry.result ? [entry.result] : []));
  }

  /** Pictures' PDQ and videos' MD5 as exchange records. */
  signals(): SignalRecord[] {
    return this.entries.flatMap((entry): SignalRecord[] => {
      const result = entry.result;
      if (result && isHashed(result)) return [imagePdqSignal(result, { resize: entry.resize ?? "full" })];
      if (result && isMd5(result)) return [videoMd5Signal(result.md5)];
      return [];
    });
  }

  /** Adds files to the list and fingerprints them: in the running batch if there is one, else in a new one. */
  add(files: readonly PickedFile[]): void {
    const entries = files.map((picked): Entry => ({ key: this.#nextKey++, ...picked, result: null }));
    this.entries = [...this.entries, ...entries];
    this.host.requestUpdate();
    const running = this.#batch;
    if (running) {
      running.entries.push(...entries);
      running.pending.push(...entries);
      this.total += entries.length;
      return;
    }
    this.total = entries.length;
    this.done = 0;
    void this.#run({ entries: [...entries], pending: [...entries], abort: new AbortController() });
  }

  /** Stops the current batch: files not yet fingerprinted end as `cancelled`. */
  cancel(): void {
    this.#batch?.abort.abort();
  }

  /** Cancels any work and forgets every file and result. */
  clear(): void {
    this.cancel();
    this.#batch = null;
    this.busy = false;
    this.entries = [];
    this.total = 0;
    this.done = 0;
    this.host.requestUpdate();
  }

  async #run(batch: Batch): Promise<void> {
    this.#batch = batch;
    this.busy = true;
    this.news.started(this.total);
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
      this.#batch = null;
      this.busy = false;
      this.host.requestUpdate();
      const results = this.results;
      const hashed = results.filter(isFingerprinted).length;
      this.news.ended(hashed, results.length - hashed, cancelled);
    }
    // Every batch ends with exactly one ncii-done, a cleared one included (it ends cancelled).
    const results = this.results.map((result) => this.#detailOf(result));
    this.#fire<NciiDoneDetail>("ncii-done", { results, cancelled });
  }

  #settle(entry: Entry, result: NciiResult): void {
    if (entry.result || !this.entries.includes(entry)) return;
    if (!isFingerprinted(result) && result.error.code === "integrity-failed" && !this.#integrityFailure) {
      this.#integrityFailure = result.error;
      this.#batch?.abort.abort();
      this.#fire<HashErrorInfo>("ncii-integrity-failed", result.error);
    }
    // Once some code of the bundle failed its check, the rest of the bundle is not trusted with any file either.
    if (this.#integrityFailure) result = { name: entry.name, error: this.#integrityFailure };
    entry.result = result;
    this.done++;
    this.host.requestUpdate();
    this.#fire<NciiResultDetail>("ncii-hashed", this.#detailOf(result));
  }

  #fire<T>(type: string, detail: T): void {
    this.host.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  #detailOf(result: NciiResult): NciiResultDetail {
    return this.host.fileDetails ? result : withoutFileDetails(result);
  }

  /** One pool per option set; changing an option takes effect at the next batch. */
  #currentPool(): { pool: HashPool; resize: KernelResizeMode } {
    const { workers, resize, orientation, dihedral, maxBytes } = this.host;
    const key = JSON.stringify([workers, resize, orientation, dihedral, maxBytes]);
    if (this.#pool?.key === key) return this.#pool;
    void this.#pool?.pool.close();
    const pool = createBrowserPool({
      size: workers > 0 ? workers : undefined,
      hashOptions: { resize, orientation, dihedral, maxBytes },
    });
    // `fast` hashes at full size in browsers (see the element's `resize`).
    this.#pool = { key, pool, resize: resize === "512" ? "512" : "full" };
    return this.#pool;
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

function outcomeOf(entry: Entry, result: DigestResult): NciiResult {
  if (!result.ok) return { name: entry.name, error: result.error };
  if ("md5" in result) return { name: entry.name, size: entry.file.size, type: entry.file.type, md5: result.md5 };
  const { pdq, quality, width, height, dihedral } = result.hash;
  const hashed: NciiHashed = { name: entry.name, size: entry.file.size, type: entry.file.type, pdq, quality, width, height };
  if (dihedral) hashed.dihedral = dihedral;
  return hashed;
}

function cancelledResult(entry: Entry): NciiResult {
  return { name: entry.name, error: cancelled().toJSON() };
}

function workerStartMessage(error: unknown): string {
  const detail = error instanceof Error ? ` (${error.message})` : "";
  return `The fingerprinting helper could not start in this page${detail}. Try reloading the page.`;
}
