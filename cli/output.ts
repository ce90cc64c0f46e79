/**
 * One output record per file, as JSON Lines or CSV. This is a contract other tools parse: field names, their
 * order and the CSV columns do not change.
 */
import { DIHEDRAL_NAMES } from "../src/engine/types.js";
import type { HashErrorInfo } from "../src/errors.js";
import type { ImageHash } from "../src/hash-image.js";
import type { OutputFormat } from "./args.js";

export type FileResult = { path: string } & ({ ok: true; hash: ImageHash } | { ok: false; error: HashErrorInfo });

export interface RecordWriter {
  /** Printed once before the first record (CSV's header row); may be empty. */
  header: string;
  format(result: FileResult): string;
}

export function recordWriter(format: OutputFormat, dihedral: boolean): RecordWriter {
  return format === "csv" ? csvWriter(dihedral) : jsonLinesWriter(dihedral);
}

function jsonLinesWriter(dihedral: boolean): RecordWriter {
  return {
    header: "",
    format(result) {
      if (!result.ok) return JSON.stringify({ path: result.path, error: { code: result.error.code, message: result.error.message } }) + "\n";
      const { pdq, quality, width, height } = result.hash;
      const record = dihedral
        ? { path: result.path, pdq, quality, width, height, dihedral: result.hash.dihedral }
        : { path: result.path, pdq, quality, width, height };
      return JSON.stringify(record) + "\n";
    },
  };
}

function csvWriter(dihedral: boolean): RecordWriter {
  const dihedralColumns = dihedral ? DIHEDRAL_NAMES.map((name) => `dihedral_${name}`) : [];
  const columns = ["path", "pdq", "quality", "width", "height", ...dihedralColumns, "error_code", "error_message"];
  return {
    header: csvLine(columns),
    format(result) {
      if (!result.ok) {
        return csvLine([result.path, "", "", "", "", ...dihedralColumns.map(() => ""), result.error.code, result.error.message]);
      }
      const { pdq, quality, width, height } = result.hash;
      const variants = dihedral ? (result.hash.dihedral ?? []) : [];
      return csvLine([result.path, pdq, String(quality), String(width), String(height), ...variants, "", ""]);
    },
  };
}

/** RFC 4180: a field holding a comma, quote or line break is quoted, with quotes doubled. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(",") + "\r\n";
}
