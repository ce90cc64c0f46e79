/**
 * CSV (RFC 4180) and TSV: the one reader and the one writer every CSV in this project goes through (the CLI's
 * output, exchange records, the component's export). One record per line, always: a field never holds a line
 * break, because every control character in it is written out as an escape (./control-characters.ts), which also
 * keeps file names from driving the terminal the CSV is printed on.
 *
 * A field that a spreadsheet would run as a formula (starting with =, +, - or @) is neutralised as OWASP
 * recommends ("CSV Injection"): a single quote is put in front of it, so it shows as text. Plain numbers ("-3",
 * "+5") are left as they are, and hashes never start with those characters.
 */
import { escapeControlCharacters } from "./control-characters.js";

export type Delimiter = "," | "\t";

/** RFC 4180's record separator, for every CSV this project writes (readers take LF too). */
export const CSV_LINE_END = "\r\n";

export function parseDelimitedLine(line: string, delimiter: Delimiter): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      const parts: string[] = [];
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) throw new SyntaxError("a quoted field is not closed on its line");
        parts.push(line.slice(from, quote));
        if (line[quote + 1] === '"') {
          parts.push('"');
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(parts.join(""));
      if (at === line.length) return fields;
      if (line[at] !== delimiter) throw new SyntaxError("unexpected text after a quoted field");
      at++;
    } else {
      const end = line.indexOf(delimiter, at);
      if (end < 0) {
        fields.push(line.slice(at));
        return fields;
      }
      fields.push(line.slice(at, end));
      at = end + 1;
    }
  }
}

/** One record, without its line end (`CSV_LINE_END`). */
export function formatDelimitedLine(fields: readonly string[], delimiter: Delimiter = ","): string {
  return fields.map((field) => quoteField(neutraliseFormula(escapeControlCharacters(field)), delimiter)).join(delimiter);
}

const FORMULA_START = /^[=+\-@]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function neutraliseFormula(field: string): string {
  return FORMULA_START.test(field) && !PLAIN_NUMBER.test(field) ? `'${field}` : field;
}

function quoteField(field: string, delimiter: Delimiter): string {
  return field.includes(delimiter) || field.includes('"') ? `"${field.replaceAll('"', '""')}"` : field;
}
