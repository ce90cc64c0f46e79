/**
 * The build's languages index (scripts/languages-index.ts): every message of the component's source is numbered,
 * the numbers are the same for the same source, a message it cannot number fails the build, and the shipped
 * catalogues it indexes are the ones web/language.ts lists. The browser suites show the built bundle speaking.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LOCALES, englishCatalogue } from "../scripts/locales.mjs";
import { parseSync, Visitor } from "vite";
import { messageCalls, messageIds, numberMessages, shippedCatalogues } from "../scripts/languages-index.js";

const WEB = fileURLToPath(new URL("../web/", import.meta.url));
const MODULES = readdirSync(WEB).filter((file) => file.endsWith(".ts"));

/** The number each `msg(template, n)` call of built code passes, in source order. */
function numberedCalls(code: string, file: string): number[] {
  const places: number[] = [];
  new Visitor({
    CallExpression(node) {
      const place = node.arguments[1];
      if (node.callee.type === "Identifier" && node.callee.name === "msg" && place?.type === "Literal") places.push(Number(place.value));
    },
  }).visit(parseSync(file, code, { lang: "ts" }).program);
  return places;
}

describe("languages index", () => {
  it("numbers every message of the component: none keeps its readable id, each number stands for its id", () => {
    const ids = messageIds(WEB);
    expect(ids.length).toBeGreaterThan(50);
    for (const file of MODULES) {
      const source = readFileSync(join(WEB, file), "utf8");
      const numbered = numberMessages(source, file, ids);
      expect(numbered, file).not.toMatch(/\{\s*id:\s*"/);
      expect(numberedCalls(numbered, file).map((place) => ids[place]), file).toEqual(messageCalls(source, file).map((call) => call.id));
    }
  });

  it("the ids are the English catalogue's, sorted; its other plural forms are found by their `other` form's id", () => {
    const ids = messageIds(WEB);
    expect(ids).toEqual([...ids].sort());
    expect(messageIds(WEB)).toEqual(ids);
    const english = Object.keys(englishCatalogue());
    const byOther = english.filter((id) => !ids.includes(id)).map((id) => id.replace(/\.(zero|two|few|many)$/, ".other"));
    expect(ids.filter((id) => !english.includes(id))).toEqual([]);
    expect(byOther.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("fails on a message it cannot number, rather than let it stay English in every language", () => {
    for (const call of ['msg("Hello")', 'msg("Hello", { id: name })', "msg(\"Hello\", { id: `hello` })", 'msg("Hello", { desc: "a greeting" })']) {
      expect(() => numberMessages(`const name = "x";\n${call};`, "greeting.ts", ["hello"]), call).toThrow(/greeting\.ts:2: msg\(\) without a literal/);
    }
    expect(() => numberMessages('msg("Bye", { id: "bye" });', "greeting.ts", ["hello"])).toThrow(/"bye" is not among the ids/);
    expect(numberMessages('msg(str`Hi ${name}`, { id: "hello", desc: "a greeting" });', "greeting.ts", ["bye", "hello"])).toBe(
      "msg(str`Hi ${name}`, 1);",
    );
  });

  it("indexes the catalogues web/language.ts ships, one per target locale, by lower-case tag", () => {
    const file = join(WEB, "language.ts");
    const { catalogues } = shippedCatalogues(readFileSync(file, "utf8"), file);
    expect(catalogues.map((catalogue) => catalogue.tag)).toEqual(LOCALES.map((locale) => locale.toLowerCase()));
    for (const catalogue of catalogues) expect(existsSync(catalogue.path), catalogue.path).toBe(true);
  });
});
