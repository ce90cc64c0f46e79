/**
 * Text from outside (file names, hash-list lines, messages quoting them) can hold control characters that a
 * terminal acts on: ESC starts sequences that move the cursor, retitle the window or rewrite what was printed, and
 * CR returns to the start of the line. Before such text is printed, they are written out as `\u001b`-style
 * escapes, which the reader sees and no terminal interprets. C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F) are
 * escaped: some terminals also act on C1 codes such as U+009B (CSI).
 */

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
/** What JSON.stringify leaves as it is among them: DEL and C1 (it escapes C0 itself). */
const UNESCAPED_BY_JSON = /[\u007f-\u009f]/g;

function escape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `text` with every control character escaped; with `keepLineFeeds`, line feeds (between printed lines) stay. */
export function escapeControlCharacters(text: string, keepLineFeeds = false): string {
  return text.replace(CONTROL_CHARACTERS, (character) => (keepLineFeeds && character === "\n" ? character : escape(character)));
}

/**
 * `value` as one line of JSON (no terminator) that is safe on a terminal: JSON.stringify's output with DEL and C1
 * escaped too. Still exact JSON: parsing it gives `value`'s strings back unchanged.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNESCAPED_BY_JSON, escape);
}
