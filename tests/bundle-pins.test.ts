/** The build step that writes integrity pins into the built scripts (scripts/bundle-pins.mjs), on a tiny fake dist. */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
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

  it("refuses to ship a script that loads files but carries no pins", () => {
    fakeDist({ "entry.js": `fetch(new URL("assets/a.json",import.meta.url));`, "assets/a.json": "{}" });
    expect(() => writePins(dist, ["entry.js"])).toThrow(/entry\.js loads assets\/a\.json but carries no integrity pins/);
  });
});
