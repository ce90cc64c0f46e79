/** Exchange records (signal-record.ts) as JSON Lines and as CSV with a header row: writers and strict readers. */
import { messageOf } from "../errors.js";
import { formatDelimitedLine, parseDelimitedLine } from "./csv.js";
import { checkSignal, SIGNAL_FIELDS, type SignalRecord } from "./signal-record.js";

export type SignalFormat = "jsonl" | "csv";

export const SIGNAL_FORMATS: readonly SignalFormat[] = ["jsonl", "csv"];

/** A record that could not be read, with the 1-based line it is on. */
export class SignalFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`line ${line}: ${message}`, options);
    this.name = "SignalFormatError";
  }
}

type SignalField = (typeof SIGNAL_FIELDS)[number];

/** Lines a file of `format` starts with (CSV's header row). */
export function signalHeaderLines(format: SignalFormat): string[] {
  return format === "csv" ? [formatDelimitedLine(SIGNAL_FIELDS, ",")] : [];
}

/** One record as one line (no terminator). */
export function formatSignal(record: SignalRecord, format: SignalFormat): string {
  checkSignal(record);
  const present = SIGNAL_FIELDS.map((field) => [field, fieldOf(record, field)] as const);
  if (format === "jsonl") {
    return JSON.stringify(Object.fromEntries(present.filter(([, value]) => value !== undefined)));
  }
  return formatDelimitedLine(
    present.map(([, value]) => (value === undefined ? "" : Array.isArray(value) ? value.join(" ") : String(value))),
    ",",
  );
}

/** Reads records back; blank lines are skipped, anything malformed throws `SignalFormatError`. */
export async function* parseSignals(
  lines: AsyncIterable<string> | Iterable<string>,
  format: SignalFormat,
): AsyncGenerator<SignalRecord> {
  let lineNumber = 0;
  let columns: string[] | undefined;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") continue;
    try {
      if (format === "jsonl") {
        yield recordFrom(JSON.parse(line));
      } else if (!columns) {
        columns = csvColumns(line);
      } else {
        yield recordFrom(csvRow(columns, line));
      }
    } catch (error) {
      throw new SignalFormatError(lineNumber, messageOf(error), { cause: error });
    }
  }
}

function fieldOf(record: SignalRecord, field: SignalField): string | number | string[] | undefined {
  return (record as Partial<Record<SignalField, string | number | string[]>>)[field];
}

function csvColumns(header: string): string[] {
  const columns = parseDelimitedLine(header, ",");
  for (const required of ["signalType", "hashValue"]) {
    if (!columns.includes(required)) throw new TypeError(`the CSV header has no ${required} column`);
  }
  return columns;
}

function csvRow(columns: string[], line: string): Record<string, unknown> {
  const fields = parseDelimitedLine(line, ",");
  if (fields.length !== columns.length) throw new TypeError(`expected ${columns.length} fields, found ${fields.length}`);
  const row: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = fields[i]!;
    if (value === "") return;
    if (column === "quality") row[column] = Number(value);
    else if (column === "dihedral") row[column] = value.split(" ");
    else row[column] = value;
  });
  return row;
}

/** Keeps the known fields (unknown ones are left behind, so newer writers stay readable) and validates them. */
function recordFrom(value: unknown): SignalRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError("a record is a JSON object");
  const source = value as Record<string, unknown>;
  const record = Object.fromEntries(
    SIGNAL_FIELDS.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]),
  );
  return checkSignal(record as unknown as SignalRecord);
}
