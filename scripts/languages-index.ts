/**
 * The languages index of the prebuilt bundle, so that an English page pays almost nothing for the other languages
 * (issue 19). The source names each shipped catalogue by a `new URL` of its own (a partner's bundler copies them)
 * and each message by a readable id (lit-localize extracts it; catalogues, XLIFF and partners' words are keyed by
 * it). This plugin makes the bundle carry instead:
 *   - one address, that of `assets/languages-<hash>.json`, which names each catalogue's file, carries the token that
 *     scripts/bundle-pins.mjs replaces with their integrity pins, and lists every message id, sorted;
 *   - `msg(template, 7)` for `msg(template, { id: "..." })`, 7 being the id's place in that list.
 * web/language.ts reads the index before it uses any catalogue, so the numbers turn back into ids. A `msg` call
 * whose id is not a string literal fails the build: it could not be numbered, and would stay English everywhere.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { parseSync, Visitor, type Plugin } from "vite";
import { PIN_TOKEN } from "./bundle-pins.mjs";
import { applyEdits, isImportMetaUrl, type SourceEdit } from "./source-edits.mjs";

/** The module that declares `INDEX` and `SHIPPED` (see there). */
const LANGUAGE_MODULE = "language.ts";

/** A `msg(...)` call's options object, where it is in the source, and the id it gives. */
interface MessageCall {
  start: number;
  end: number;
  id: string;
}

function program(code: string, file: string) {
  return parseSync(file, code, { lang: "ts" }).program;
}

function lineOf(code: string, offset: number): number {
  return code.slice(0, offset).split("\n").length;
}

type Node = { type: string; start: number; end: number; [key: string]: unknown };

function stringLiteral(node: unknown): string | undefined {
  const literal = node as Node | undefined;
  return literal?.type === "Literal" && typeof literal["value"] === "string" ? literal["value"] : undefined;
}

function propertyName(property: Node): string | undefined {
  if (property.type !== "Property" || property["computed"]) return undefined;
  const key = property["key"] as Node;
  return key.type === "Identifier" ? (key["name"] as string) : stringLiteral(key);
}

/** Each `msg(...)` call's options object in `code` with its id; throws at the first call without a literal id. */
export function messageCalls(code: string, file: string): MessageCall[] {
  const calls: MessageCall[] = [];
  new Visitor({
    CallExpression(node) {
      if (node.callee.type !== "Identifier" || node.callee.name !== "msg") return;
      const options = node.arguments[1] as unknown as Node | undefined;
      const properties = options?.type === "ObjectExpression" ? (options["properties"] as Node[]) : [];
      const id = stringLiteral(properties.find((property) => propertyName(property) === "id")?.["value"]);
      if (id === undefined || !options) {
        const where = `${file}:${lineOf(code, node.start)}`;
        throw new Error(`${where}: msg() without a literal { id: "..." } cannot be numbered, and would show English in every language`);
      }
      calls.push({ start: options.start, end: options.end, id });
    },
  }).visit(program(code, file));
  return calls;
}

/**
 * Every message id of the component's modules (the `.ts` files in `dir`), sorted, each once. Not those of its
 * `locales/` folder, which the bundle never imports: the plural forms declared there for lit-localize's extractor
 * are looked up by the id of their `other` form.
 */
export function messageIds(dir: string): string[] {
  const files = readdirSync(dir).filter((file) => file.endsWith(".ts"));
  const ids = new Set(files.flatMap((file) => messageCalls(readFileSync(join(dir, file), "utf8"), file).map((call) => call.id)));
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `code` with each `msg(template, { id })` written `msg(template, n)`, n the id's place in `ids`. */
export function numberMessages(code: string, file: string, ids: readonly string[]): string {
  const edits = messageCalls(code, file).map((call) => {
    const place = ids.indexOf(call.id);
    if (place < 0) throw new Error(`${file}: message id "${call.id}" is not among the ids the build numbered`);
    return { start: call.start, end: call.end, text: String(place) };
  });
  return applyEdits(code, edits);
}

/** A shipped catalogue, as `SHIPPED` in web/language.ts lists it. */
interface ShippedCatalogue {
  tag: string;
  path: string;
  /** Where `SHIPPED` gives its address, to be replaced by the index's. */
  address: SourceEdit;
}

/** `const NAME = ...` at the top of a module's body. */
function constant(body: Node[], name: string): Node | undefined {
  for (const statement of body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? (statement["declaration"] as Node | null) : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const declarator of declaration["declarations"] as Node[]) {
      if ((declarator["id"] as Node)["name"] === name) return declarator["init"] as Node;
    }
  }
  return undefined;
}

/** The catalogues `SHIPPED` lists, each `{ tag: new URL("./file", import.meta.url) }`, and where `INDEX` is set. */
export function shippedCatalogues(code: string, file: string): { catalogues: ShippedCatalogue[]; index: Node } {
  const body = program(code, file).body as unknown as Node[];
  const index = constant(body, "INDEX");
  const table = constant(body, "SHIPPED");
  if (!index || table?.type !== "ObjectExpression") throw new Error(`${file}: no \`const INDEX\` and \`const SHIPPED = { ... }\` to index`);
  const catalogues = (table["properties"] as Node[]).map((property) => {
    const value = property["value"] as Node;
    const [address, base] = (value["arguments"] ?? []) as Node[];
    const tag = propertyName(property);
    const relative = stringLiteral(address);
    if (tag === undefined || value.type !== "NewExpression" || relative === undefined || !isImportMetaUrl(base)) {
      throw new Error(`${file}:${lineOf(code, property.start)}: each shipped catalogue must be \`tag: new URL("./file", import.meta.url)\``);
    }
    return { tag, path: resolve(dirname(file), relative), address: { start: value.start, end: value.end, text: "INDEX" } };
  });
  return { catalogues, index };
}

function contentHash(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("base64url").slice(0, 8);
}

/**
 * The build plugin: numbers every message of the `.ts` files under `web`, and in web/language.ts replaces the
 * shipped catalogues' addresses with the address of the index, which it writes beside them in the assets folder.
 */
export function languagesIndex(web: string): Plugin {
  let ids: string[] = [];
  let assetsDir = "assets";
  return {
    name: "ncii-languages-index",
    apply: "build",
    // Before Vite turns the catalogues' `new URL`s into assets of their own.
    enforce: "pre",
    configResolved(config) {
      assetsDir = config.build.assetsDir;
    },
    buildStart() {
      ids = messageIds(web);
    },
    transform(code, file) {
      if (!file.startsWith(web) || !file.endsWith(".ts")) return null;
      const numbered = numberMessages(code, file, ids);
      if (file !== join(web, LANGUAGE_MODULE)) return numbered;
      const { catalogues, index } = shippedCatalogues(numbered, file);
      const files: Record<string, string> = {};
      for (const catalogue of catalogues) {
        // Written without the layout the source keeps for translators' diffs: a tenth of each download.
        const source = JSON.stringify(JSON.parse(readFileSync(catalogue.path, "utf8")));
        const fileName = `${assetsDir}/${basename(catalogue.path, extname(catalogue.path))}-${contentHash(source)}.json`;
        this.emitFile({ type: "asset", fileName, source, originalFileName: catalogue.path });
        files[catalogue.tag] = basename(fileName);
      }
      const indexSource = `${JSON.stringify({ pins: PIN_TOKEN, files, ids })}\n`;
      const indexFile = `${assetsDir}/languages-${contentHash(indexSource)}.json`;
      const reference = this.emitFile({ type: "asset", fileName: indexFile, source: indexSource });
      return applyEdits(numbered, [
        { start: index.start, end: index.end, text: `new URL(import.meta.ROLLUP_FILE_URL_${reference}, import.meta.url)` },
        ...catalogues.map((catalogue) => catalogue.address),
      ]);
    },
  };
}
