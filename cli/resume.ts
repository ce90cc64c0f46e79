/**
 * `--resume`: what an earlier run left in FILE and FILE.journal, checked before anything is added. The journal
 * must be for the same settings; then every recorded line is located in FILE and checked against its length and
 * CRC-32. Whatever follows the last line that checks out (a line cut off by a kill, lines whose journal entries
 * never got written, anything damaged by a crash of the machine) is cut off, and those files are hashed again:
 * a result is only ever skipped when its line is whole and is the one recorded for that file.
 */
import { access, open, rename, rm, type FileHandle } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { ResultIndex } from "./result-index.js";
import {
  parseJournalEntry,
  parseJournalHeader,
  ResultsFileError,
  settingsDifferences,
  type JournalHeader,
  type ResultsPaths,
} from "./results-journal.js";
import { readLines, SequentialReader } from "./sequential-read.js";

/** What resuming found wrong and put right; each item means some files are hashed again, never skipped wrongly. */
export interface Repairs {
  /** A rewrite that stopped between renaming the new journal and the new file was completed. */
  finishedRewrite: boolean;
  /** Bytes cut from the end of FILE: a line cut off by the interruption, or lines never recorded in the journal. */
  fileBytesCut: number;
  /** Journal entries dropped because their line was missing, cut off or changed; their files are hashed again. */
  entriesDropped: number;
  /** Bytes cut from the end of the journal: the dropped entries, or an entry cut off by the interruption. */
  journalBytesCut: number;
}

export interface LoadedResults {
  index: ResultIndex;
  /** FILE is cut to this length; below the header's length, the header is written again. */
  fileEnd: number;
  /** The journal is cut to this length. */
  journalEnd: number;
  repairs: Repairs;
}

/** Checks FILE and its journal against `expected` (this run's FILE header and journal header) and indexes them. */
export async function loadResults(paths: ResultsPaths, expected: { fileHeader: string; journal: JournalHeader }): Promise<LoadedResults> {
  if (!(await exists(paths.journal))) {
    throw new ResultsFileError(
      `--resume: ${paths.file} has no journal (${paths.journal}), so which files it holds is unknown: it was not written ` +
        `with --output, or its journal was removed. Choose a new --output file`,
    );
  }
  await checkJournalHeader(paths, expected.journal);
  const finishedRewrite = await settleInterruptedRewrite(paths, expected.fileHeader);
  const scan = await scanResults(paths.journal, paths.file, expected.fileHeader);
  if (scan.fileEnd < 0) {
    throw new ResultsFileError(`--resume: ${paths.file} does not start with the header these options write: it was changed after ncii-hash wrote it`);
  }
  return {
    index: scan.index,
    fileEnd: scan.fileEnd,
    journalEnd: scan.journalEnd,
    repairs: {
      finishedRewrite,
      fileBytesCut: scan.fileEnd < Buffer.byteLength(expected.fileHeader) ? 0 : scan.fileSize - scan.fileEnd,
      entriesDropped: scan.entriesDropped,
      journalBytesCut: scan.journalSize - scan.journalEnd,
    },
  };
}

async function checkJournalHeader(paths: ResultsPaths, expected: JournalHeader): Promise<void> {
  const handle = await open(paths.journal, "r");
  let first;
  try {
    first = await readLines(handle).next();
  } finally {
    await handle.close();
  }
  const recorded = !first.done && first.value.terminated ? parseJournalHeader(first.value.text) : undefined;
  if (!recorded) throw new ResultsFileError(`--resume: ${paths.journal} is not an ncii-hash journal, or its first line is damaged`);
  if (recorded.tool !== expected.tool) {
    throw new ResultsFileError(
      `--resume: ${paths.file} was written by ncii-hash ${recorded.tool} and this is ${expected.tool}, whose lines may differ. ` +
        `Finish it with ncii-hash ${recorded.tool}, or choose a new --output file`,
    );
  }
  const differences = settingsDifferences(recorded.settings, expected.settings);
  if (differences.length > 0) {
    throw new ResultsFileError(
      `--resume: ${paths.file} was made with ${differences.join(", ")}. Run with the same options and inputs, or choose a new --output file`,
    );
  }
}

/**
 * A rewrite builds FILE.tmp and FILE.journal.tmp, then renames the journal, then the file. Stopped before the
 * first rename, the old pair stands and the temporary files go; stopped between the renames, the journal is
 * already the new one, which FILE.tmp matches line for line: the second rename is made now.
 */
async function settleInterruptedRewrite(paths: ResultsPaths, fileHeader: string): Promise<boolean> {
  await rm(paths.temporaryJournal, { force: true });
  if (!(await exists(paths.temporary))) return false;
  const scan = await scanResults(paths.journal, paths.temporary, fileHeader);
  if (scan.complete) {
    await rename(paths.temporary, paths.file);
    return true;
  }
  await rm(paths.temporary, { force: true });
  return false;
}

interface Scan {
  index: ResultIndex;
  /** End of the last verified line; -1 when the file does not start with the header (0 when it stops inside it). */
  fileEnd: number;
  fileSize: number;
  journalEnd: number;
  journalSize: number;
  entriesDropped: number;
  /** Every journal entry verified, and nothing in the file after the last line. */
  complete: boolean;
}

async function scanResults(journalPath: string, filePath: string, fileHeader: string): Promise<Scan> {
  const index = new ResultIndex();
  const journal = await open(journalPath, "r");
  const file = await open(filePath, "r");
  try {
    const [fileSize, journalSize] = [(await file.stat()).size, (await journal.stat()).size];
    const header = Buffer.from(fileHeader, "utf8");
    const reader = new SequentialReader(file, 0);
    const start = await reader.take(header.length);
    let fileEnd = header.length;
    if (!start || !start.equals(header)) {
      // Stopped while writing the header (then no line follows it), or not the header at all.
      const stoppedInHeader = fileSize < header.length && header.subarray(0, fileSize).equals(await readAll(file, fileSize));
      fileEnd = stoppedInHeader ? 0 : -1;
    }
    const lines = readLines(journal);
    const first = await lines.next();
    let journalEnd = first.done ? 0 : first.value.end;
    let entriesDropped = 0;
    let verifying = fileEnd === header.length;
    for await (const line of lines) {
      const entry = verifying && line.terminated ? parseJournalEntry(line.text) : undefined;
      const bytes = entry && (await reader.take(entry.length));
      if (entry && bytes && crc32(bytes) === entry.crc) {
        index.add(entry.path, entry, entry.outcome, entry);
        journalEnd = line.end;
        fileEnd = reader.offset;
        continue;
      }
      // From the first line that does not check out, nothing after it can be located: all of it is dropped.
      verifying = false;
      if (line.terminated) entriesDropped++;
    }
    return {
      index,
      fileEnd,
      fileSize,
      journalEnd,
      journalSize,
      entriesDropped,
      complete: entriesDropped === 0 && journalEnd === journalSize && fileEnd === fileSize,
    };
  } finally {
    await Promise.all([journal.close(), file.close()]);
  }
}

async function readAll(handle: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.alloc(size);
  await handle.read(bytes, 0, size, 0);
  return bytes;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** What was put right, for stderr: one line, or "" when FILE was in order. */
export function describeRepairs(file: string, repairs: Repairs): string {
  const done: string[] = [];
  if (repairs.finishedRewrite) done.push("completed the rewrite the last run was making when it stopped");
  if (repairs.fileBytesCut > 0) done.push(`cut ${repairs.fileBytesCut} bytes after the last whole recorded line (cut off, or not yet recorded, when the last run stopped)`);
  if (repairs.entriesDropped > 0) {
    done.push(`dropped ${repairs.entriesDropped} recorded lines that were missing or did not match their checksums (damaged by a crash, or changed since)`);
  }
  if (repairs.journalBytesCut > 0 && repairs.entriesDropped === 0) done.push(`cut an unfinished last entry from the journal`);
  if (done.length === 0) return "";
  const again = repairs.fileBytesCut > 0 || repairs.entriesDropped > 0 ? "; those files are hashed again" : "";
  return `ncii-hash: ${file}: ${done.join("; ")}${again}\n`;
}
