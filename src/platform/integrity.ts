/**
 * Integrity pins of the prebuilt browser bundle. After the Vite build, scripts/bundle-pins.mjs replaces the token
 * below, in every built script that references assets, with the SHA-384 of each asset that script loads (innermost
 * first: WASM, then the worker, then the entry, whose own SRI hash the partner pins). The languages index the entry
 * loads carries the same token, replaced with the pins of the catalogues it names (web/language.ts passes them to
 * `fetchVerified`). So one pinned entry transitively pins every byte that runs or is shown. Code compiled by tsc or
 * a partner's bundler keeps the token: there is nothing to pin against, and assets load unverified (the partner's
 * own build is then what they review).
 */
import { HashError } from "../errors.js";

/** File name -> "sha384-..." of each file a built script (or index) loads. */
export type PinTable = ReadonlyMap<string, string>;

// A plain string literal, so the minified bundle keeps it verbatim for the build step to find.
const PINS = "__NCII_INTEGRITY_PINS__";

/**
 * "name sha384-... name sha384-..." as the build writes it (file names and base64 never contain a space). The
 * unreplaced token is a single word, hence an empty table: no literal comparison a minifier could fold away.
 */
export function pinTable(written: string): PinTable {
  const words = written.split(" ");
  const table = new Map<string, string>();
  for (let i = 0; i + 1 < words.length; i += 2) table.set(words[i]!, words[i + 1]!);
  return table;
}

const pins = pinTable(PINS);
const UNPINNED = pins.size === 0;

/**
 * The pin for an asset of this bundle, from this script's own table unless `table` (an index's) is given:
 * undefined when this build carries no pins (nothing to check), an error when it does and the asset has none (it
 * is not part of what was reviewed, so it must not run).
 */
export function pinFor(url: URL, table: PinTable = pins): string | undefined {
  if (UNPINNED) return undefined;
  const pin = table.get(url.pathname.slice(url.pathname.lastIndexOf("/") + 1));
  if (!pin) throw new HashError("integrity-failed", `${url.href} is not one of the files this bundle was built with.`);
  return pin;
}

/** Where a thread gets an asset's bytes from, by URL. */
export type AssetSource = (href: string) => Promise<ArrayBuffer>;

/** Fetches an asset without a referrer: the asset host learns nothing of the page embedding us. */
export const fetchAsset: AssetSource = async (href) => okBytes(await fetch(href, { referrerPolicy: "no-referrer" }));

function okBytes(response: Response): Promise<ArrayBuffer> {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.arrayBuffer();
}

let assetSource: AssetSource = fetchAsset;

/**
 * A browser worker takes its assets from its pool's page, which fetches each one once however many workers and
 * files there are (workers/browser-pool.browser.ts): the asset host's logs must not count the files a person
 * picked. The bytes are still checked here, against this thread's own pins.
 */
export function takeAssetsFrom(source: AssetSource): void {
  assetSource = source;
}

/**
 * An asset's bytes, handed on only if, when the bundle is pinned, their SHA-384 is the pinned one (looked up as by
 * `pinFor`): a mismatch is `integrity-failed`, a network failure stays a load failure. Where `crypto.subtle` is
 * missing (a page on plain http), the browser's own `integrity` check on a fetch of our own does it, at the cost of
 * reporting both failures alike.
 */
export async function fetchVerified(url: URL, what: string, table?: PinTable): Promise<ArrayBuffer> {
  const pin = pinFor(url, table);
  const subtle = globalThis.isSecureContext ? globalThis.crypto?.subtle : undefined;
  if (pin && !subtle) {
    let response: Response;
    try {
      response = await fetch(url, { referrerPolicy: "no-referrer", integrity: pin });
    } catch (error) {
      throw mismatch(what, url, "could not be fetched or failed its integrity check", error);
    }
    return okBytes(response);
  }
  const bytes = await assetSource(url.href);
  if (pin && subtle) {
    const digest = `sha384-${base64(new Uint8Array(await subtle.digest("SHA-384", bytes)))}`;
    if (digest !== pin) throw mismatch(what, url, `has SHA-384 ${digest}, not the pinned ${pin}`);
  }
  return bytes;
}

function mismatch(what: string, url: URL, detail: string, cause?: unknown): HashError {
  return new HashError("integrity-failed", `The ${what} at ${url.href} ${detail}, so it was not run.`, { cause });
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
