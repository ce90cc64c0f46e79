/**
 * One fixture set, four result lists that must be identical file for file: `<ncii-hasher>` in Chromium, in
 * Firefox ESR and in WebKitGTK, and the Node CLI. The set is where engines differ most (alpha, 16-bit samples, EXIF
 * orientation, palettes, colour management, animation, damaged and cut-off files): see support/agreement.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { disagreements, hashInBrowser, hashWithCli, writeFixtureSet } from "./support/agreement.js";
import { launchChromium } from "./support/chromium.js";
import { launchFirefox } from "./support/firefox.js";
import { launchWebKit } from "./support/webkit.js";

/** Three browser launches (each may install its browser first) and four hashings of ~80 files. */
const TEST_TIMEOUT_MS = 1_200_000;

describe("Chromium, Firefox ESR, WebKitGTK and the Node CLI", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ncii-engines-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("give identical result lists for the same fixture set", async () => {
    const paths = await writeFixtureSet(scratch);
    const files = paths.map((path) => basename(path));
    const cli = await hashWithCli(paths);
    const chromium = await hashInBrowser({ launch: launchChromium }, paths);
    const firefox = await hashInBrowser({ launch: launchFirefox }, paths);
    const webkit = await hashInBrowser({ launch: launchWebKit }, paths);
    expect([...cli.keys()].sort()).toEqual([...files].sort());
    // Both kinds of outcome are in the set, so agreement covers hashes and error codes alike.
    expect([...cli.values()].some((line) => line.startsWith("error "))).toBe(true);
    expect([...cli.values()].filter((line) => !line.startsWith("error ")).length).toBeGreaterThan(50);
    expect(disagreements(cli, chromium, files), "CLI | Chromium").toEqual([]);
    expect(disagreements(cli, firefox, files), "CLI | Firefox ESR").toEqual([]);
    expect(disagreements(cli, webkit, files), "CLI | WebKitGTK").toEqual([]);
  }, TEST_TIMEOUT_MS);
});
