/**
 * One output record per file, as JSON Lines or CSV. This is a contract other tools parse: field names, their
 * order and the CSV columns do not change. Fast mode only adds a field (`"resize": "fast"`) and a CSV column
 * (`resize`), so its hashes are never mistaken for exact ones.
 */
import { DIHEDRAL_NAMES } from "../src/engine/types.js";
import type { HashErrorInfo } from "../src/errors.js";
import type { ImageHash } from "../src/hash-image.js";
import { jsonLine } from "../src/formats/control-characters.js";
import { CSV_LINE_END, formatDelimitedLine } from "../src/formats/csv.js";
import type { ResizeMode } from "../src/options.js";
import type { OutputFormat } from "./args.js";
import { signalWriter } from "./signal-output.js";

export type FileResult = { path: string } & (
  | { ok: true; hash: ImageHash }
  | { ok: true; md5: string; size: number }
  | { ok: false; error: HashErrorInfo }
);

export interface RecordWriter {
  /** Printed once before the first record (CSV's header row); may be empty. */
  header: string;
  /** False when a failure has no place in the format (exchange records): the caller reports it on stderr. */
  writesFailures: boolean;
  format(result: FileResult): string;
}

/** `md5`: every file gets an MD5 (`--md5`); only CSV needs to know up front, for its columns. */
export function recordWriter(format: OutputFormat, dihedral: boolean, resize: ResizeMode = "full", md5 = false): RecordWriter {
  const fast = resize === "fast";
  if (format === "signals" || format === "signals-csv") return signalWriter(format === "signals" ? "jsonl" : "csv", resize);
  if (format === "csv") return md5 ? csvMd5Writer() : csvWriter(dihedral, fast);
  return jsonLinesWriter(dihedral, fast);
}

function jsonLinesWriter(dihedral: boolean, fast: boolean): RecordWriter {
  return {
    header: "",
    writesFailures: true,
    format(result) {
      if (!result.ok) return jsonLine({ path: result.path, error: { code: result.error.code, message: result.error.message } }) + "\n";
      if ("md5" in result) return jsonLine({ path: result.path, md5: result.md5, size: result.size }) + "\n";
      const { pdq, quality, width, height } = result.hash;
      const record = {
        path: result.path,
        pdq,
        quality,
        width,
        height,
        ...(fast && { resize: "fast" }),
        ...(dihedral && { dihedral: result.hash.dihedral }),
      };
      return jsonLine(record) + "\n";
    },
  };
}

function csvWriter(dihedral: boolean, fast: boolean): RecordWriter {
  const resizeColumns = fast ? ["resize"] : [];
  const dihedralColumns = dihedral ? DIHEDRAL_NAMES.map((name) => `dihedral_${name}`) : [];
  const columns = ["path", "pdq", "quality", "width", "height", ...resizeColumns, ...dihedralColumns, "error_code", "error_message"];
  return {
    header: csvLine(columns),
    writesFailures: true,
    format(result) {
      if (!result.ok) {
        const empty = [...resizeColumns, ...dihedralColumns].map(() => "");
        return csvLine([result.path, "", "", "", "", ...empty, result.error.code, result.error.message]);
      }
      if (!("hash" in result)) throw new TypeError("an MD5 line in a PDQ CSV: MD5 CSV output is chosen with --md5");
      const { pdq, quality, width, height } = result.hash;
      const variants = dihedral ? (result.hash.dihedral ?? []) : [];
      return csvLine([result.path, pdq, String(quality), String(width), String(height), ...resizeColumns.map(() => "fast"), ...variants, "", ""]);
    },
  };
}

function csvMd5Writer(): RecordWriter {
  return {
    header: csvLine(["path", "md5", "size", "error_code", "error_message"]),
    writesFailures: true,
    format(result) {
      if (!result.ok) return csvLine([result.path, "", "", result.error.code, result.error.message]);
      if (!("md5" in result)) throw new TypeError("a PDQ line in an MD5 CSV: every file gets an MD5 with --md5");
      return csvLine([result.path, result.md5, String(result.size), "", ""]);
    },
  };
}

function csvLine(fields: readonly string[]): string {
  return formatDelimitedLine(fields) + CSV_LINE_END;
}
