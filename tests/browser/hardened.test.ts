/**
 * Privacy settings that alter what web pages read back from a canvas, where the people this component serves often
 * browse: Firefox ESR with resistFingerprinting (Tor Browser, Mullvad Browser, LibreWolf), with fingerprinting
 * protection on all targets, and in a private window; Chromium with read-back noise in the page and its workers
 * (as Brave's farbling and Safari's private windows add). In each, every file of the cross-engine fixture set must
 * end exactly as in the Node CLI, except pictures only the browser's own decoder reads (AVIF and the like), which
 * may instead be refused with `pixels-altered`, and must be wherever the read-back is altered. No wrong hash, ever.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRICT_CSP } from "../../scripts/csp.js";
import { decodedByBrowser, hashInBrowser, hashWithCli, writeFixtureSet, type BrowserRun } from "./support/agreement.js";
import { launchChromium } from "./support/chromium.js";
import { launchFirefox } from "./support/firefox.js";
import { READBACK_NOISE_SCRIPT } from "./support/readback-noise.js";

const TEST_TIMEOUT_MS = 600_000;

interface Configuration {
  name: string;
  run: BrowserRun;
  /** Whether this configuration alters read-back, so that browser-decoded pictures must be refused. */
  altersReadback: boolean;
}

const CONFIGURATIONS: Configuration[] = [
  {
    name: "Firefox ESR, privacy.resistFingerprinting",
    run: { launch: () => launchFirefox({ "privacy.resistFingerprinting": true }) },
    altersReadback: true,
  },
  {
    name: "Firefox ESR, fingerprinting protection on all targets",
    run: {
      launch: () =>
        launchFirefox({ "privacy.fingerprintingProtection": true, "privacy.fingerprintingProtection.overrides": "+AllTargets" }),
    },
    altersReadback: true,
  },
  {
    name: "Firefox ESR, private window",
    run: { launch: () => launchFirefox({ "browser.privatebrowsing.autostart": true }) },
    altersReadback: false,
  },
  {
    // The noise script starts workers from blob: URLs, as the component itself does when embedded cross-origin.
    name: "Chromium, read-back noise in page and workers",
    run: {
      launch: () => launchChromium(READBACK_NOISE_SCRIPT),
      // The strict policy, plus inline scripts for the injected noise.
      headers: { "Content-Security-Policy": STRICT_CSP.replace("'wasm-unsafe-eval'", "'wasm-unsafe-eval' 'unsafe-inline'") },
    },
    altersReadback: true,
  },
];

describe("hardened and private browsers", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ncii-hardened-"));
  let paths: string[];
  let cli: Map<string, string>;
  beforeAll(async () => {
    paths = await writeFixtureSet(scratch);
    cli = await hashWithCli(paths);
  }, TEST_TIMEOUT_MS);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(CONFIGURATIONS)("$name: the CLI's result for every file, or a refusal for browser-decoded pictures", async ({ run, altersReadback }) => {
    const results = await hashInBrowser(run, paths);
    const wrong: string[] = [];
    const refused: string[] = [];
    for (const path of paths) {
      const file = basename(path);
      const [expected, got] = [cli.get(file), results.get(file)];
      if (got === expected) continue;
      if (got === "error pixels-altered" && decodedByBrowser(path)) refused.push(file);
      else wrong.push(`${file}: CLI ${expected} | browser ${got}`);
    }
    expect(wrong).toEqual([]);
    // The browser-decoded pictures that the CLI hashes: refused exactly where read-back is altered.
    const browserDecodedHashes = paths.filter((path) => decodedByBrowser(path) && !cli.get(basename(path))!.startsWith("error "));
    expect(browserDecodedHashes.length).toBeGreaterThan(0);
    expect(refused.sort()).toEqual(altersReadback ? browserDecodedHashes.map((path) => basename(path)).sort() : []);
  }, TEST_TIMEOUT_MS);
});
