/**
 * Hash lists as partners and people have them: one PDQ hex per line, CSV or TSV (with or without a header),
 * or JSON Lines (including our exchange records). Entries stream out one at a time, so a million-line list
 * never sits in memory as text. A list comes from outside, so its size is bounded: line length, id length and
 * number of entries, each refused with the line it is on rather than costing unbounded time or memory.
 */
import { messageOf } from "../errors.js";
import { escapeControlCharacters } from "../formats/control-characters.js";
import { parseDelimitedLine, type Delimiter } from "../formats/csv.js";
import { TextLineError } from "../formats/streams.js";
import { isPdqHex } from "../hash/pdq-hash.js";

export type HashListFormat = "lines" | "csv" | "tsv" | "jsonl";

export const HASH_LIST_FORMATS: readonly HashListFormat[] = ["lines", "csv", "tsv", "jsonl"];

export interface HashListEntry {
  /** The list's id for the hash; the 1-based line number when the list has none (or an empty one). */
  id: string;
  /** 64 lowercase hex chars. */
  hash: string;
}

/**
 * Longest line read: a hash and an id take under 100 characters, an exchange record with its 8 dihedral variants
 * about 700; this leaves room for wide CSV rows while a line with no end stops being read at once.
 */
export const MAX_LIST_LINE_LENGTH = 64 * 1024;
/** Longest id kept: ids are kept for every hash. Numbers, UUIDs and most file names fit. */
export const MAX_LIST_ID_LENGTH = 128;
/**
 * Default most hashes in a list. Measured in Node 20, a process holding an index of 1 million hashes has an RSS of
 * 276 MB with line numbers as ids and 387 MB with 128-character ids (the worst a list can ask for); 2 million
 * with line numbers, 370 MB. Larger lists are loaded with `maxEntries` (`--max-entries` for `ncii-hash match`).
 */
export const DEFAULT_MAX_LIST_ENTRIES = 1_000_000;

export interface HashListOptions {
  /** Detected from the first line when absent. */
  format?: HashListFormat;
  /** Most PDQ hashes read; one more is an error naming its line. Default `DEFAULT_MAX_LIST_ENTRIES`. */
  maxEntries?: number;
  /** Called for records of another kind (a VideoMD5 row in an exchange file), which are not PDQ hashes. */
  onSkip?: (line: number, reason: string) => void;
}

/** A line the list cannot be read past: loading stops rather than silently dropping a hash. */
export class HashListError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    // Messages quote the list (and JSON.parse quotes it raw): escaped, so printing one cannot drive a terminal.
    super(escapeControlCharacters(`hash list line ${line}: ${message}`));
    this.name = "HashListError";
  }
}

/** Column and field names that hold the hash, and the id, in the formats we have met (ours, HMA, ThreatExchange). */
const HASH_KEYS = ["hashvalue", "hash_value", "hash", "pdq", "pdq_hex", "signal_value"];
const ID_KEYS = ["id", "hashid", "hash_id", "signal_id", "file", "name"];
const TYPE_KEYS = ["signaltype", "signal_type"];
const PDQ_TYPES = ["imagepdq", "pdq"];

interface Row {
  hash: string | undefined;
  id: string | undefined;
  type: string | undefined;
}

export async function* parseHashList(
  lines: AsyncIterable<string> | Iterable<string>,
  options: HashListOptions = {},
): AsyncGenerator<HashListEntry> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_LIST_ENTRIES;
  let readRow: RowReader | undefined;
  let lineNumber = 0;
  let entries = 0;
  for await (const raw of readLines(lines)) {
    lineNumber++;
    if (raw.length > MAX_LIST_LINE_LENGTH) throw new HashListError(lineNumber, tooLong("the line", MAX_LIST_LINE_LENGTH));
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let row: Row;
    try {
      if (!readRow) {
        const start = listReader(options.format ?? detectFormat(line), line);
        readRow = start.read;
        if (start.header) continue;
      }
      row = readRow(line);
    } catch (error) {
      throw new HashListError(lineNumber, messageOf(error));
    }
    if (row.type && !PDQ_TYPES.includes(row.type.toLowerCase())) {
      options.onSkip?.(lineNumber, `a ${row.type} record, not a PDQ hash`);
      continue;
    }
    if (row.hash === undefined || !isPdqHex(row.hash)) {
      throw new HashListError(lineNumber, `not a PDQ hash (64 hex chars): ${JSON.stringify((row.hash ?? line).slice(0, 80))}`);
    }
    if (row.id !== undefined && row.id.length > MAX_LIST_ID_LENGTH) throw new HashListError(lineNumber, tooLong("the id", MAX_LIST_ID_LENGTH));
    if (++entries > maxEntries) {
      throw new HashListError(lineNumber, `the list holds more than ${maxEntries} hashes, the most this reads (maxEntries)`);
    }
    yield { id: row.id ? ownCopy(row.id) : String(lineNumber), hash: row.hash.toLowerCase() };
  }
}

/** The lines, with a line that cannot be read (not UTF-8, too long) reported as a HashListError on its line. */
async function* readLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  try {
    yield* lines;
  } catch (error) {
    if (error instanceof TextLineError) throw new HashListError(error.line, error.reason);
    throw error;
  }
}

function tooLong(what: string, limit: number): string {
  return `${what} is longer than ${limit} characters`;
}

/**
 * The id as a string of its own. A slice of the line can be stored by the engine as a view that keeps the whole
 * line alive, and ids live as long as the index.
 */
function ownCopy(id: string): string {
  return JSON.parse(JSON.stringify(id)) as string;
}

function detectFormat(line: string): HashListFormat {
  if (line.startsWith("{")) return "jsonl";
  if (line.includes("\t")) return "tsv";
  if (line.includes(",")) return "csv";
  return "lines";
}

type RowReader = (line: string) => Row;

/** How to read the list, decided from its first line, and whether that line is a header row. */
function listReader(format: HashListFormat, first: string): { header: boolean; read: RowReader } {
  if (format === "lines") return { header: false, read: (line) => ({ hash: line, id: undefined, type: undefined }) };
  if (format === "jsonl") return { header: false, read: jsonRow };
  const delimiter: Delimiter = format === "csv" ? "," : "\t";
  const firstFields = splitFields(first, delimiter);
  const hexColumn = firstFields.findIndex(isPdqHex);
  if (hexColumn >= 0) {
    // No header: the hash is the column holding hex in the first row, the id the first other column.
    const idColumn = firstFields.findIndex((_, i) => i !== hexColumn);
    return { header: false, read: columnReader(delimiter, hexColumn, idColumn, -1) };
  }
  const names = firstFields.map((name) => name.toLowerCase());
  const hashColumn = names.findIndex((name) => HASH_KEYS.includes(name));
  if (hashColumn < 0) throw new TypeError(`no hash column in the header (one of: ${HASH_KEYS.join(", ")})`);
  const idColumn = names.findIndex((name) => ID_KEYS.includes(name));
  const typeColumn = names.findIndex((name) => TYPE_KEYS.includes(name));
  return { header: true, read: columnReader(delimiter, hashColumn, idColumn, typeColumn) };
}

function columnReader(delimiter: Delimiter, hashColumn: number, idColumn: number, typeColumn: number): RowReader {
  return (line) => {
    const fields = splitFields(line, delimiter);
    return {
      hash: fields[hashColumn],
      id: idColumn < 0 ? undefined : fields[idColumn],
      type: typeColumn < 0 ? undefined : fields[typeColumn],
    };
  };
}

function splitFields(line: string, delimiter: Delimiter): string[] {
  return parseDelimitedLine(line, delimiter).map((field) => field.trim());
}

function jsonRow(line: string): Row {
  const value: unknown = JSON.parse(line);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError("a JSON line must be an object");
  const fields = new Map(Object.entries(value).map(([key, field]) => [key.toLowerCase(), field] as const));
  const pick = (keys: string[]): string | undefined => {
    const found = keys.map((key) => fields.get(key)).find((field) => field !== undefined);
    return found === undefined ? undefined : String(found);
  };
  return { hash: pick(HASH_KEYS), id: pick(ID_KEYS), type: pick(TYPE_KEYS) };
}
