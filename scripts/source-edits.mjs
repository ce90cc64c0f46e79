// Rewrites of a module's source made from a parse of it (rolldown's parser, the one Vite uses), so that comments
// and strings are never taken for code. The build's plugins share them: vite.config.ts (template layout),
// scripts/languages-index.ts (message numbers, the index's address) and scripts/bundle-node.mjs (file addresses).
import { parseSync, Visitor } from "rolldown/utils";

/** `code` with each edit's span replaced by its text; the spans must not overlap. */
export function applyEdits(code, edits) {
  const lastFirst = [...edits].sort((a, b) => b.start - a.start);
  return lastFirst.reduce((text, edit) => text.slice(0, edit.start) + edit.text + text.slice(edit.end), code);
}

/** Whether an expression node is `import.meta.url`. */
export function isImportMetaUrl(node) {
  return node?.type === "MemberExpression" && node.object.type === "MetaProperty" && node.property.name === "url";
}

/** Each `new URL("<string literal>", import.meta.url)` of a module: its span and the literal. */
export function fileUrls(code, file) {
  const found = [];
  new Visitor({
    NewExpression(node) {
      const [address, base] = node.arguments;
      if (node.callee.type !== "Identifier" || node.callee.name !== "URL" || !isImportMetaUrl(base)) return;
      if (address?.type === "Literal" && typeof address.value === "string") {
        found.push({ start: node.start, end: node.end, path: address.value });
      }
    },
  }).visit(parseSync(file, code).program);
  return found;
}
