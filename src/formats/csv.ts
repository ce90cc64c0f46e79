/**
 * One CSV (RFC 4180) or TSV record per line. Records never span lines here: every field we write is a hash, a
 * number or an id, and an id with a line break is refused rather than quoted across lines.
 */

export type Delimiter = "," | "\t";

export function parseDelimitedLine(line: string, delimiter: Delimiter): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = "";
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) throw new SyntaxError("a quoted field is not closed on its line");
        value += line.slice(from, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
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

export function formatDelimitedLine(fields: readonly string[], delimiter: Delimiter): string {
  return fields.map((field) => quoteField(field, delimiter)).join(delimiter);
}

function quoteField(field: string, delimiter: Delimiter): string {
  if (/[\r\n]/.test(field)) throw new RangeError("a CSV field cannot hold a line break");
  return field.includes(delimiter) || field.includes('"') ? `"${field.replaceAll('"', '""')}"` : field;
}
