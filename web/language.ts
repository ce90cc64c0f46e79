/**
 * The component's words in the person's language.
 *
 * Strings are written in English in the source as lit-localize `msg()` calls, each with a stable id; lit-localize
 * extracts them to XLIFF for translators (web/locales/xliff/) and `npm run locales:build` turns the translations
 * into one catalogue per locale (web/locales/<locale>.json). A catalogue is fetched only when an element needs it,
 * so a page in English loads none.
 *
 * Why not lit-localize's own `configureLocalization`: it holds one locale per page and can be installed only once,
 * so it would clash with a host page that uses lit-localize itself, and two elements with different `lang` could
 * not coexist. Here `msg` looks words up in the language of the element being rendered (see `speaking`).
 */
import type { MsgFn, StrResult } from "@lit/localize";
import { fetchVerified, pinTable, type PinTable } from "../src/platform/integrity.js";

/** Message id -> translation; `{0}`, `{1}`… stand for the English template's `${…}` values, in source order. */
export type Catalogue = Readonly<Record<string, string>>;

/** Words for one locale given by a partner: the catalogue itself, or a function that fetches it when needed. */
export type CatalogueSource = Catalogue | (() => Promise<Catalogue>);

export interface Language {
  /** The BCP 47 tag the words are in ("en" when nothing matched). */
  readonly tag: string;
  readonly dir: "ltr" | "rtl";
  /** Absent for English, the language of the source. */
  readonly words?: Catalogue;
  readonly plurals: Intl.PluralRules;
  readonly numbers: Intl.NumberFormat;
}

/** Languages written right to left, by language or by script subtag (e.g. "ar", "fa", "ku-Arab"). */
const RIGHT_TO_LEFT = /^(ar|ckb|dv|fa|he|ps|sd|ug|ur|yi)\b|-(arab|hebr|syrc|thaa)\b/i;

function language(tag: string, words?: Catalogue): Language {
  return {
    tag,
    dir: RIGHT_TO_LEFT.test(tag) ? "rtl" : "ltr",
    words,
    plurals: new Intl.PluralRules(tag),
    numbers: new Intl.NumberFormat(tag),
  };
}

export const ENGLISH = language("en");

/**
 * In our own build, the address of the languages index: one JSON file, written by the build
 * (scripts/languages-index.ts), that names each shipped catalogue's file with its integrity pin and lists the
 * message ids the bundle's `msg` calls carry as numbers. The build also puts this address in place of each one in
 * `SHIPPED`, so the bundle holds one address and one pin instead of nine of each. Undefined in the source and in
 * whatever tsc or a partner's bundler makes of it.
 */
const INDEX = undefined as URL | undefined;

/** The shipped catalogues, by lower-case tag. `new URL` lets bundlers copy each file and rewrite its address. */
const SHIPPED: Record<string, URL> = {
  ar: new URL("./locales/ar.json", import.meta.url),
  de: new URL("./locales/de.json", import.meta.url),
  es: new URL("./locales/es.json", import.meta.url),
  fr: new URL("./locales/fr.json", import.meta.url),
  it: new URL("./locales/it.json", import.meta.url),
  ja: new URL("./locales/ja.json", import.meta.url),
  ko: new URL("./locales/ko.json", import.meta.url),
  "pt-br": new URL("./locales/pt-BR.json", import.meta.url),
  "zh-cn": new URL("./locales/zh-CN.json", import.meta.url),
};

/** The languages index as the build writes it. */
interface LanguagesIndex {
  /** Each shipped catalogue's file name (beside the index), by lower-case tag. */
  readonly files: Readonly<Record<string, string>>;
  /** Their integrity pins, in src/platform/integrity.ts's form. */
  readonly pins: string;
  /** Every message id, sorted: a built `msg` call names its message by its place here. */
  readonly ids: readonly string[];
}

/** What a built `msg` call's number stands for, once the index is read. */
let ids: readonly string[] = [];
/** How to fetch a shipped catalogue, once known (see `shippedCatalogues`). */
let shipped: Promise<(key: string) => Promise<Catalogue>> | undefined;

const added = new Map<string, CatalogueSource[]>();
const loaded = new Map<string, Promise<Language>>();
const listeners = new Set<() => void>();

/**
 * Adds words for a locale, shipped or not ("nl", "es-MX", "fr"): they take precedence over the shipped ones, id
 * by id, and every element already showing that locale switches to them. Ids missing everywhere show in English.
 */
export function addTranslations(locale: string, words: CatalogueSource): void {
  const key = locale.toLowerCase();
  added.set(key, [...(added.get(key) ?? []), words]);
  loaded.clear();
  for (const listener of listeners) listener();
}

/**
 * The catalogues that may serve `lang`, least specific first: "es-MX" is served by "es" and then "es-mx".
 * Portuguese is served by pt-BR, and Chinese in simplified script by zh-CN.
 */
function keysFor(lang: string): string[] {
  const tag = lang.toLowerCase();
  const base = tag.split("-")[0]!;
  const general = base === "pt" ? "pt-br" : base === "zh" && !/-(hant|tw|hk|mo)\b/.test(tag) ? "zh-cn" : base;
  return general === tag ? [tag] : [general, tag];
}

/** Resolves once `lang`'s words are here; English when no catalogue serves it or none could be fetched. */
export function languageFor(lang: string): Promise<Language> {
  let pending = loaded.get(lang);
  if (!pending) {
    pending = load(lang);
    loaded.set(lang, pending);
  }
  return pending;
}

async function load(lang: string): Promise<Language> {
  const keys = keysFor(lang);
  if (!keys.some((key) => SHIPPED[key] || added.has(key))) return ENGLISH;
  const fetchShipped = await shippedCatalogues().catch(() => undefined);
  if (!fetchShipped) return ENGLISH;
  const sources = keys.flatMap((key): CatalogueSource[] => [
    ...(SHIPPED[key] ? [() => fetchShipped(key)] : []),
    ...(added.get(key) ?? []),
  ]);
  const catalogues = await Promise.all(
    sources.map((source) => (typeof source === "function" ? source().catch(() => ({})) : source)),
  );
  const words: Catalogue = Object.assign({}, ...catalogues);
  if (Object.keys(words).length === 0) return ENGLISH;
  let tag = keys[0]!;
  try {
    tag = Intl.getCanonicalLocales(lang)[0] ?? tag;
  } catch {
    // Not a valid language tag: the words are there; numbers and plurals follow the catalogue's language.
  }
  return language(tag, words);
}

/**
 * How to fetch a shipped catalogue by tag. In our build, only once the index is read: it holds the catalogues'
 * pins and what `msg`'s numbers stand for, so no catalogue (a partner's either) is used without it. An index that
 * cannot be fetched or fails its pin is asked for again next time.
 */
function shippedCatalogues(): Promise<(key: string) => Promise<Catalogue>> {
  shipped ??= INDEX
    ? readIndex(INDEX).catch((error: unknown) => {
        shipped = undefined;
        throw error;
      })
    : Promise.resolve((key) => fetchJson<Catalogue>(SHIPPED[key]!, "catalogue of words"));
  return shipped;
}

async function readIndex(url: URL): Promise<(key: string) => Promise<Catalogue>> {
  const index = await fetchJson<LanguagesIndex>(url, "languages index");
  const pins = pinTable(index.pins);
  ids = index.ids;
  return (key) => fetchJson<Catalogue>(new URL(index.files[key]!, url), "catalogue of words", pins);
}

/** Checked against its integrity pin like every script and module (src/platform/integrity.ts). */
async function fetchJson<T>(url: URL, what: string, pins?: PinTable): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await fetchVerified(url, what, pins))) as T;
}

/** The nearest `lang` attribute, from the element up through its ancestors and the hosts of shadow roots. */
export function nearestLang(element: Element): string {
  for (let node: Element | null = element; node; node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null) {
    const lang = node.getAttribute("lang");
    if (lang !== null) return lang;
  }
  return "";
}

let observer: MutationObserver | undefined;

/**
 * Calls `onChange` whenever a `lang` attribute changes anywhere in the document or translations are added, until
 * the returned function is called. (A `lang` changing inside another shadow root is seen only on the element.)
 */
export function watchLanguage(onChange: () => void): () => void {
  if (!observer && typeof MutationObserver === "function") {
    observer = new MutationObserver(() => {
      for (const listener of listeners) listener();
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"], subtree: true });
  }
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

let speaker: Language = ENGLISH;
let pluralCategory: string | undefined;

/** Runs `words` with `msg` answering in `language`: what an element wraps its rendering and announcements in. */
export function speaking<T>(language: Language, words: () => T): T {
  const previous = speaker;
  speaker = language;
  try {
    return words();
  } finally {
    speaker = previous;
  }
}

/**
 * lit-localize's `msg`, answered from the catalogue of the language being spoken. Every call passes an `id`, so a
 * translation survives a change of the English wording until the translators catch up. Our build passes the id's
 * place in the languages index instead (scripts/languages-index.ts), which is read before any catalogue is used.
 */
export const msg = ((template: string | StrResult, options: { id: string } | number): string => {
  const values = typeof template === "string" ? [] : template.values;
  const words = speaker.words;
  const id = typeof options === "number" ? ids[options]! : options.id;
  const found = words && ((pluralCategory && words[id.replace(/other$/, pluralCategory)]) || words[id]);
  if (found !== undefined) return found.replace(/\{(\d+)\}/g, (_, index: string) => String(values[Number(index)]));
  return typeof template === "string" ? template : template.strings.reduce((text, part, index) => text + String(values[index - 1]) + part);
}) as MsgFn;

/** lit-localize's `str` tag: keeps the values apart so a translation can place them where its grammar needs. */
export const str = ((strings: TemplateStringsArray, ...values: unknown[]): StrResult =>
  ({ strTag: true, strings, values }) as StrResult) as typeof import("@lit/localize").str;

/**
 * Picks the plural form of `count` by the spoken language's rules (Intl.PluralRules). English has `one` and
 * `other`, written here; every other category a language has (zero, two, few, many) is looked up in its
 * catalogue as the `other` message's id with `other` replaced, and falls back to `other`.
 */
export function plural(count: number, one: () => string, other: () => string): string {
  pluralCategory = speaker.plurals.select(count);
  try {
    return pluralCategory === "one" ? one() : other();
  } finally {
    pluralCategory = undefined;
  }
}

/** A number in the spoken language's digits and grouping. */
export function formatNumber(value: number): string {
  return speaker.numbers.format(value);
}

/**
 * A file name (or anything else that is not the sentence's own language) inside a sentence, isolated so a Latin
 * name keeps its order in an Arabic sentence and an Arabic name in an English one (Unicode FSI ... PDI).
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
