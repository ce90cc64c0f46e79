/** The build step that writes integrity pins into the built scripts (scripts/bundle-pins.mjs), on a tiny fake dist. */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundleFiles } from "../scripts/bundle-files.mjs";
import { PIN_TOKEN, writePins } from "../scripts/bundle-pins.mjs";

const sha384 = (bytes: Buffer): string => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

describe("integrity pins in the built bundle", () => {
  let dist = "";
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  function fakeDist(files: Record<string, string | Buffer>): string {
    dist = mkdtempSync(join(tmpdir(), "ncii-pins-"));
    mkdirSync(join(dist, "assets"));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dist, name), body);
    return dist;
  }

  it("pins innermost first: the entry's pin of the worker covers the worker's own pins of its WASM", () => {
    const wasm = Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]);
    fakeDist({
      "entry.js": `const p="${PIN_TOKEN}";new Worker(new URL("assets/worker-1.js",import.meta.url));`,
      "assets/worker-1.js": `const p="${PIN_TOKEN}";fetch(new URL(\`pdq-2.wasm\`,import.meta.url));`,
      "assets/pdq-2.wasm": wasm,
    });
    expect(writePins(dist, ["entry.js"])).toBe(2);
    const worker = readFileSync(join(dist, "assets/worker-1.js"));
    expect(worker.toString()).toBe(`const p="pdq-2.wasm ${sha384(wasm)}";fetch(new URL(\`pdq-2.wasm\`,import.meta.url));`);
    expect(readFileSync(join(dist, "entry.js"), "utf8")).toContain(`"worker-1.js ${sha384(worker)}"`);
  });

  it("follows an index to the files it names: they are pinned in the index, the index in the script that loads it", () => {
    const catalogue = `{"pick":"Elegir"}`;
    const index = (pins: string) => `{"pins":"${pins}","files":{"es":"es-1.json"},"ids":["pick"]}`;
    fakeDist({
      "entry.js": `const p="${PIN_TOKEN}";fetch(new URL("assets/languages-2.json",import.meta.url));`,
      "assets/languages-2.json": index(PIN_TOKEN),
      "assets/es-1.json": catalogue,
      "assets/unnamed.json": catalogue,
    });
    expect(writePins(dist, ["entry.js"])).toBe(2);
    const pinnedIndex = index(`es-1.json ${sha384(Buffer.from(catalogue))}`);
    expect(readFileSync(join(dist, "assets/languages-2.json"), "utf8")).toBe(pinnedIndex);
    expect(readFileSync(join(dist, "entry.js"), "utf8")).toContain(`"languages-2.json ${sha384(Buffer.from(pinnedIndex))}"`);
    // Once pinned, the index still names its files: the budgets and the published hashes cover them.
    expect(bundleFiles(dist, "entry.js")).toEqual(["entry.js", "assets/languages-2.json", "assets/es-1.json"]);
  });

  it("refuses to ship a script that loads files but carries no pins", () => {
    fakeDist({ "entry.js": `fetch(new URL("assets/a.json",import.meta.url));`, "assets/a.json": "{}" });
    expect(() => writePins(dist, ["entry.js"])).toThrow(/entry\.js loads assets\/a\.json but carries no integrity pins/);
  });
});
