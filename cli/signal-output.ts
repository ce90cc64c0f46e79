/**
 * `--format signals` / `signals-csv`: exchange records (src/formats) as hash-sharing services take them. A record
 * never names its file, so what is printed can be handed on as it is; failures have no record and go to stderr.
 */
import { imagePdqSignal, videoMd5Signal } from "../src/formats/signal-record.js";
import { CSV_LINE_END } from "../src/formats/csv.js";
import { formatSignal, signalHeaderLines, type SignalFormat } from "../src/formats/signals.js";
import type { ResizeMode } from "../src/options.js";
import type { RecordWriter } from "./output.js";

export function signalWriter(format: SignalFormat, resize: ResizeMode): RecordWriter {
  // CSV records end in CRLF (RFC 4180), like the CLI's other CSV; the reader takes either.
  const end = format === "csv" ? CSV_LINE_END : "\n";
  return {
    header: signalHeaderLines(format).map((line) => line + end).join(""),
    writesFailures: false,
    format(result) {
      if (!result.ok) return "";
      const record = "md5" in result ? videoMd5Signal(result.md5) : imagePdqSignal(result.hash, { resize });
      return formatSignal(record, format) + end;
    },
  };
}
