/**
 * One output record per file, as JSON Lines or CSV. This is a contract other tools parse: field names, their
 * order and the CSV columns do not change. Fast mode only adds a field (`"resize": "fast"`) and a CSV column
 * (`resize`), so its hashes are never mistaken for exact ones.
 */
import { DIHEDRAL_NAMES } from "../src/engine/types.js";
import type { HashErrorInfo } from "../src/errors.js";
import type { ImageHash } from "../src/hash-image.js";
import type { ResizeMode } from "../src/options.js";
import type { OutputFormat } from "./args.js";

export type FileResult = { path: string } & ({ ok: true; hash: ImageHash } | { ok: false; error: HashErrorInfo });

export interface RecordWriter {
  /** Printed once before the first record (CSV's header row); may be empty. */
  header: string;
  format(result: FileResult): string;
}

export function recordWriter(format: OutputFormat, dihedral: boolean, resize: ResizeMode = "full"): RecordWriter {
  const fast = resize === "fast";
  return format === "csv" ? csvWriter(dihedral, fast) : jsonLinesWriter(dihedral, fast);
}

function jsonLinesWriter(dihedral: boolean, fast: boolean): RecordWriter {
  return {
    header: "",
    format(result) {
      if (!result.ok) return JSON.stringify({ path: result.path, error: { code: result.error.code, message: result.error.message } }) + "\n";
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
      return JSON.stringify(record) + "\n";
    },
  };
}

function csvWriter(dihedral: boolean, fast: boolean): RecordWriter {
  const resizeColumns = fast ? ["resize"] : [];
  const dihedralColumns = dihedral ? DIHEDRAL_NAMES.map((name) => `dihedral_${name}`) : [];
  const columns = ["path", "pdq", "quality", "width", "height", ...resizeColumns, ...dihedralColumns, "error_code", "error_message"];
  return {
    header: csvLine(columns),
    format(result) {
      if (!result.ok) {
        const empty = [...resizeColumns, ...dihedralColumns].map(() => "");
        return csvLine([result.path, "", "", "", "", ...empty, result.error.code, result.error.message]);
      }
      const { pdq, quality, width, height } = result.hash;
      const variants = dihedral ? (result.hash.dihedral ?? []) : [];
      return csvLine([result.path, pdq, String(quality), String(width), String(height), ...resizeColumns.map(() => "fast"), ...variants, "", ""]);
    },
  };
}

/** RFC 4180: a field holding a comma, quote or line break is quoted, with quotes doubled. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(",") + "\r\n";
}
