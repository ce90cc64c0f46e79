/**
 * The journal beside an `--output` file (`FILE.journal`): which file each result line is for. Result lines stay
 * exactly what stdout would get (some formats do not even name the file), so everything `--resume` needs lives
 * here, one JSON line each:
 *   {"journal":"ncii-hash results","tool":"0.1.0","settings":{...}}          first line: what the lines were made with
 *   {"path":"photos/a.jpg","size":48213,"mtimeMs":1712345678901.25,"outcome":"pdq","length":118,"crc":2750213937}
 * Entries are in the order of the result lines, which follow one another from the end of FILE's header, so the
 * journal locates every line, and its length and CRC-32 prove the line is whole and unchanged.
 */
import type { OrientationPolicy, ResizeMode } from "../src/options.js";
import type { OutputFormat } from "./args.js";
import type { FileStamp, LineStamp, Outcome } from "./result-index.js";

/** The files of an `--output FILE` run, all beside FILE. */
export interface ResultsPaths {
  file: string;
  journal: string;
  /** `--output`'s summary sidecar, rewritten at the end of every run. */
  summary: string;
  /** Where a rewrite builds the new FILE and journal before renaming them over the old ones. */
  temporary: string;
  temporaryJournal: string;
}

export function resultsPaths(file: string): ResultsPaths {
  return {
    file,
    journal: `${file}.journal`,
    summary: `${file}.summary.json`,
    temporary: `${file}.tmp`,
    temporaryJournal: `${file}.journal.tmp`,
  };
}

/** An `--output` file that cannot be used as asked (exit code 2); the message says why and what to do. */
export class ResultsFileError extends Error {
  override name = "ResultsFileError";
}

const JOURNAL_KIND = "ncii-hash results";

/** Everything that changes which lines a run writes; `--resume` refuses a file made with other settings. */
export interface RunSettings {
  format: OutputFormat;
  md5: boolean;
  resize: ResizeMode;
  orientation: OrientationPolicy;
  dihedral: boolean;
  maxPixels: number;
  /** `INDEX/COUNT`, or null for the whole set. */
  shard: string | null;
  /** The files and folders named, as written: the lines' paths are made from them. */
  inputs: string[];
}

export interface JournalHeader {
  /** The version of ncii-hash that wrote the lines: another version may word messages differently. */
  tool: string;
  settings: RunSettings;
}

export interface JournalEntry extends FileStamp, LineStamp {
  path: string;
  outcome: Outcome;
}

export function formatJournalHeader(header: JournalHeader): string {
  return JSON.stringify({ journal: JOURNAL_KIND, tool: header.tool, settings: header.settings }) + "\n";
}

export function parseJournalHeader(line: string): JournalHeader | undefined {
  const value = parseObject(line);
  if (value?.journal !== JOURNAL_KIND || typeof value.tool !== "string" || !isObject(value.settings)) return undefined;
  return { tool: value.tool, settings: value.settings as unknown as RunSettings };
}

export function formatJournalEntry(entry: JournalEntry): string {
  const { path, size, mtimeMs, outcome, length, crc } = entry;
  return JSON.stringify({ path, size, mtimeMs, outcome, length, crc }) + "\n";
}

/** undefined for anything that is not a whole, well-formed entry (a torn or damaged line). */
export function parseJournalEntry(line: string): JournalEntry | undefined {
  const value = parseObject(line);
  if (!value) return undefined;
  const { path, size, mtimeMs, outcome, length, crc } = value;
  const valid =
    typeof path === "string" &&
    Number.isSafeInteger(size) &&
    (size as number) >= -1 &&
    typeof mtimeMs === "number" &&
    Number.isFinite(mtimeMs) &&
    typeof outcome === "string" &&
    outcome !== "" &&
    Number.isSafeInteger(length) &&
    (length as number) >= 0 &&
    Number.isInteger(crc) &&
    (crc as number) >= 0 &&
    (crc as number) < 2 ** 32;
  return valid ? { path, size: size as number, mtimeMs, outcome, length: length as number, crc: crc as number } : undefined;
}

/** Each setting that differs, as the options that ask for it: `--resize full (this run: --resize fast)`. */
export function settingsDifferences(recorded: RunSettings, requested: RunSettings): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(requested) as (keyof RunSettings)[]) {
    if (JSON.stringify(recorded[key]) === JSON.stringify(requested[key])) continue;
    differences.push(`${describeSetting(key, recorded[key])} (this run: ${describeSetting(key, requested[key])})`);
  }
  return differences;
}

function describeSetting(key: keyof RunSettings, value: unknown): string {
  switch (key) {
    case "md5":
    case "dihedral":
      return value === true ? `--${key}` : `no --${key}`;
    case "maxPixels":
      return `--max-pixels ${String(value)}`;
    case "shard":
      return value === null || value === undefined ? "no --shard" : `--shard ${String(value)}`;
    case "inputs":
      return `the inputs ${Array.isArray(value) ? value.map((input) => JSON.stringify(input)).join(" ") : "(unknown)"}`;
    default:
      return `--${key} ${String(value)}`;
  }
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
