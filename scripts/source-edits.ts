/** Replacements of spans of a module's source, as the build's plugins make them from a parse of it. */
export interface SourceEdit {
  start: number;
  end: number;
  text: string;
}

/** `code` with each edit's span replaced by its text; the spans must not overlap. */
export function applyEdits(code: string, edits: readonly SourceEdit[]): string {
  const lastFirst = [...edits].sort((a, b) => b.start - a.start);
  return lastFirst.reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), code);
}
