/**
 * `--output FILE`: result lines appended to FILE as each file finishes, each written to the system at once, with
 * its journal entry (results-journal.ts) written right after it. A kill loses only the files in flight: a line
 * whose entry is missing is cut off by the next `--resume` (resume.ts) and its file hashed again. Both files are
 * synced to disk every 2 seconds, so a crash of the machine costs at most those seconds of work.
 *
 * A path gets a second line when its file changed or a failure is retried; at the end of a run that met every
 * input, FILE is rewritten without the older lines (and without files that have gone), through temporary files
 * renamed into place, so FILE holds each file once, as an uninterrupted run would have written it.
 */
import { closeSync, fdatasyncSync, fsyncSync, openSync, truncateSync, writeSync } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { NO_STAMP, ResultIndex, type FileStamp, type Outcome } from "./result-index.js";
import {
  formatJournalEntry,
  formatJournalHeader,
  parseJournalEntry,
  ResultsFileError,
  resultsPaths,
  type JournalHeader,
  type ResultsPaths,
} from "./results-journal.js";
import { loadResults, type Repairs } from "./resume.js";
import { readLines, SequentialReader } from "./sequential-read.js";

/** How often what was written is forced to disk. */
const SYNC_INTERVAL_MS = 2000;
/** A rewrite writes in blocks of this size. */
const WRITE_BLOCK_BYTES = 1 << 20;

export interface OpenResultsOptions {
  file: string;
  /** What this run writes before the first line (CSV's header row); may be empty. */
  fileHeader: string;
  journal: JournalHeader;
  /** Carry on from an existing FILE; without it, an existing FILE is refused. */
  resume: boolean;
}

const NO_REPAIRS: Repairs = { finishedRewrite: false, fileBytesCut: 0, entriesDropped: 0, journalBytesCut: 0 };

export class ResultsFile {
  /** Lines written since the last sync. */
  private unsynced = false;
  private closed = false;
  private readonly syncTimer = setInterval(() => this.syncQuietly(), SYNC_INTERVAL_MS).unref();

  private constructor(
    readonly paths: ResultsPaths,
    private readonly fileHeader: string,
    private readonly journalHeader: JournalHeader,
    /** What FILE holds; `--resume` asks it which files to skip. */
    readonly index: ResultIndex,
    /** True when an existing FILE is carried on. */
    readonly resumed: boolean,
    readonly repairs: Repairs,
    private readonly fileFd: number,
    private readonly journalFd: number,
  ) {}

  static async open(options: OpenResultsOptions): Promise<ResultsFile> {
    const paths = resultsPaths(options.file);
    const existing = await stat(paths.file).catch(() => undefined);
    if (!existing) return withFileErrors(paths.file, () => ResultsFile.create(paths, options));
    if (existing.isDirectory()) throw new ResultsFileError(`--output ${paths.file} is a folder: give the name of a file to write`);
    if (!options.resume) {
      throw new ResultsFileError(`${paths.file} already exists: add --resume to carry on from it, or choose a new --output file`);
    }
    const loaded = await withFileErrors(paths.file, () => loadResults(paths, { fileHeader: options.fileHeader, journal: options.journal }));
    return withFileErrors(paths.file, () => {
      truncateSync(paths.journal, loaded.journalEnd);
      truncateSync(paths.file, loaded.fileEnd);
      const journalFd = openSync(paths.journal, "a");
      const fileFd = openSync(paths.file, "a");
      if (loaded.fileEnd === 0) writeAll(fileFd, Buffer.from(options.fileHeader, "utf8"));
      return new ResultsFile(paths, options.fileHeader, options.journal, loaded.index, true, loaded.repairs, fileFd, journalFd);
    });
  }

  /** The journal first: a FILE without its journal would be refused by `--resume`. */
  private static async create(paths: ResultsPaths, options: OpenResultsOptions): Promise<ResultsFile> {
    for (const stale of [paths.temporary, paths.temporaryJournal]) await rm(stale, { force: true });
    const journalFd = openSync(paths.journal, "w");
    writeAll(journalFd, Buffer.from(formatJournalHeader(options.journal), "utf8"));
    fsyncSync(journalFd);
    const fileFd = openSync(paths.file, "wx");
    writeAll(fileFd, Buffer.from(options.fileHeader, "utf8"));
    fsyncSync(fileFd);
    syncFolder(paths.file);
    return new ResultsFile(paths, options.fileHeader, options.journal, new ResultIndex(), false, NO_REPAIRS, fileFd, journalFd);
  }

  /**
   * Records `path`'s result line (exactly what stdout would get; empty for a failure the format has no line
   * for). `stamp`: the file's size and mtime before it was read. A line identical to the one FILE holds for an
   * unchanged file is not written again.
   */
  record(path: string, stamp: FileStamp, outcome: Outcome, line: string): void {
    const bytes = Buffer.from(line, "utf8");
    const lineStamp = { length: bytes.length, crc: crc32(bytes) };
    if (!this.index.holds(path, stamp, lineStamp)) {
      writeAll(this.fileFd, bytes);
      writeAll(this.journalFd, Buffer.from(formatJournalEntry({ path, ...stamp, outcome, ...lineStamp }), "utf8"));
      this.index.add(path, stamp, outcome, lineStamp);
      this.unsynced = true;
    }
    this.index.markSeen(path);
  }

  /**
   * The paths of `paths` still to hash, each stamped before it is read; a file FILE holds a standing result for
   * (same size and mtime) is left out and reported to `onAlreadyDone`. `stampOf` gives a yielded path's stamp
   * once, for `record`.
   */
  toHash(paths: AsyncIterable<string>, onAlreadyDone: (path: string) => void): { paths: AsyncGenerator<string>; stampOf(path: string): FileStamp } {
    const stamps = new Map<string, FileStamp>();
    const { index } = this;
    async function* pending(): AsyncGenerator<string> {
      for await (const path of paths) {
        index.markSeen(path);
        const stamp = await stampFile(path);
        if (index.isDone(path, stamp)) {
          onAlreadyDone(path);
          continue;
        }
        stamps.set(path, stamp);
        yield path;
      }
    }
    return {
      paths: pending(),
      stampOf(path) {
        const stamp = stamps.get(path) ?? NO_STAMP;
        stamps.delete(path);
        return stamp;
      },
    };
  }

  /**
   * Ends the run. `metEveryInput`: the walk finished, so a path it did not meet is a file that has gone. Then
   * FILE is rewritten if it holds a line an uninterrupted run would not have written.
   */
  async finish(metEveryInput: boolean): Promise<{ rewritten: boolean }> {
    this.close();
    if (!metEveryInput || !this.index.hasLinesToDrop(true)) return { rewritten: false };
    await withFileErrors(this.paths.file, () => this.rewrite());
    return { rewritten: true };
  }

  /** Syncs and closes, as after an interruption; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.syncTimer);
    this.sync();
    closeSync(this.fileFd);
    closeSync(this.journalFd);
  }

  /** On the timer: a failure here is met again, and reported, by the next write or by `close`. */
  private syncQuietly(): void {
    if (!this.unsynced) return;
    try {
      this.sync();
    } catch {
      // See above.
    }
  }

  private sync(): void {
    // FILE first: a journal entry on disk must not describe a line that is not.
    fdatasyncSync(this.fileFd);
    fdatasyncSync(this.journalFd);
    this.unsynced = false;
  }

  private async rewrite(): Promise<void> {
    const { paths } = this;
    const journal = await open(paths.journal, "r");
    const file = await open(paths.file, "r");
    const newFile = new BlockWriter(openSync(paths.temporary, "w"));
    const newJournal = new BlockWriter(openSync(paths.temporaryJournal, "w"));
    try {
      const header = Buffer.from(this.fileHeader, "utf8");
      newFile.write(header);
      newJournal.write(Buffer.from(formatJournalHeader(this.journalHeader), "utf8"));
      const lines = readLines(journal);
      await lines.next();
      const reader = new SequentialReader(file, header.length);
      let entryNumber = 0;
      for await (const line of lines) {
        const entry = parseJournalEntry(line.text);
        const bytes = entry && (await reader.take(entry.length));
        if (!entry || !bytes) throw new Error(`${paths.journal} changed while ncii-hash was writing it`);
        if (this.index.keeps(entry.path, entryNumber++, true)) {
          newFile.write(bytes);
          newJournal.write(Buffer.from(line.text + "\n", "utf8"));
        }
      }
      newFile.finish();
      newJournal.finish();
    } finally {
      await Promise.all([journal.close(), file.close()]);
      newFile.close();
      newJournal.close();
    }
    // The journal first: resume.ts completes a rewrite stopped between the two renames.
    await rename(paths.temporaryJournal, paths.journal);
    await rename(paths.temporary, paths.file);
    syncFolder(paths.file);
  }
}

/** Collects small writes into large ones. */
class BlockWriter {
  private parts: Buffer[] = [];
  private bytes = 0;
  private open = true;

  constructor(private readonly fd: number) {}

  write(bytes: Buffer): void {
    this.parts.push(bytes);
    this.bytes += bytes.length;
    if (this.bytes >= WRITE_BLOCK_BYTES) this.flush();
  }

  /** Everything written and on disk. */
  finish(): void {
    this.flush();
    fsyncSync(this.fd);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }

  private flush(): void {
    writeAll(this.fd, Buffer.concat(this.parts, this.bytes));
    this.parts = [];
    this.bytes = 0;
  }
}

/** A file that cannot be looked at gets NO_STAMP: its failure line stands until it can. */
async function stampFile(path: string): Promise<FileStamp> {
  const info = await stat(path).catch(() => undefined);
  return info ? { size: info.size, mtimeMs: info.mtimeMs } : NO_STAMP;
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
}

/** A rename or a new file is only durable once its folder is synced. Not every system can sync a folder. */
function syncFolder(path: string): void {
  try {
    const fd = openSync(dirname(path), "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder this way; its renames are durable without it.
  }
}

/** A system error while reading or writing the results becomes a one-line reason (exit code 2). */
async function withFileErrors<T>(file: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw describeWriteError(file, error);
  }
}

/** `cannot use FILE: the disk is full`; anything but a system error is returned as it is. */
export function describeWriteError(file: string, error: unknown): unknown {
  if (error instanceof ResultsFileError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error;
  const reasons: Record<string, string> = {
    ENOENT: "its folder does not exist",
    EACCES: "this account may not open or write it",
    EPERM: "this account may not open or write it",
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is used up",
    EISDIR: "it is a folder",
    EROFS: "the disk is read-only",
    EEXIST: "it was created by something else just now",
  };
  return new ResultsFileError(`cannot use ${file}: ${reasons[code] ?? `the system said ${code}`}`);
}
