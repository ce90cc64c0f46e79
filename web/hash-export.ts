import { DIHEDRAL_NAMES } from "../src/engine/types.js";
import { CSV_LINE_END, formatDelimitedLine } from "../src/formats/csv.js";
import type { SignalRecord } from "../src/formats/signal-record.js";
import { formatSignal } from "../src/formats/signals.js";
import type { NciiHashRecord } from "./results.js";

/**
 * Exports hold fingerprints only: no file names, sizes, dimensions or pixels, so the saved file is as safe to
 * hand to a platform as the hashes themselves. Rows follow the order of the list on screen.
 */
export function hashesToJson(records: readonly NciiHashRecord[]): string {
  return JSON.stringify({ algorithm: "pdq", hashes: records }, null, 2) + "\n";
}

/** CSV with a header row, written like every CSV of this project (src/formats/csv.ts). */
export function hashesToCsv(records: readonly NciiHashRecord[]): string {
  const withDihedral = records.some((record) => record.dihedral);
  const header = ["pdq", "quality", ...(withDihedral ? DIHEDRAL_NAMES : [])];
  const rows = records.map((record) => [
    record.pdq,
    String(record.quality),
    ...(withDihedral ? (record.dihedral ?? DIHEDRAL_NAMES.map(() => "")) : []),
  ]);
  return [header, ...rows].map((row) => formatDelimitedLine(row) + CSV_LINE_END).join("");
}

/**
 * Exchange records (ImagePDQ and VideoMD5) as JSON Lines, the shape hash-sharing services take; like the other
 * exports, they carry no file names.
 */
export function signalsToJsonLines(records: readonly SignalRecord[]): string {
  return records.map((record) => formatSignal(record, "jsonl") + "\n").join("");
}

export type ExportFormat = "json" | "csv" | "signals";

/** Saves one of the list's exports on the device: JSON or CSV of the pictures' PDQ, or every exchange record. */
export function saveExport(format: ExportFormat, list: { hashes(): NciiHashRecord[]; signals(): SignalRecord[] }): void {
  if (format === "signals") saveLocally(signalsToJsonLines(list.signals()), "fingerprints-for-sharing.jsonl", "application/jsonl");
  else if (format === "json") saveLocally(hashesToJson(list.hashes()), "fingerprints.json", "application/json");
  else saveLocally(hashesToCsv(list.hashes()), "fingerprints.csv", "text/csv");
}

/** Saves text as a file on the device. A blob: URL never leaves the browser. */
function saveLocally(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  link.click();
  // The download has taken its own reference by the next task; revoking sooner can cancel it in some engines.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
