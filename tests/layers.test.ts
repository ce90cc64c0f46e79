/**
 * The dependency rule of README "Layout", read from the import specifiers of every source file: the base (src/)
 * imports nothing above it, the pool (workers/) only the base, and the front ends (cli/, web/) and the public entries
 * (entries/) the base and the pool, never each other. Also the one list of picture extensions both front ends use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fileKind } from "../cli/file-kind.js";
import { IMAGE_FILE_EXTENSIONS } from "../src/decode/image-files.js";
import { looksLikePicture } from "../web/file-intake.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Which top-level folders each layer may import from (its own always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  src: [],
  workers: ["src"],
  cli: ["src", "workers"],
  web: ["src", "workers"],
  entries: ["src", "workers"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "locales" ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier: static imports and re-exports (`from "x"`), side-effect imports and dynamic `import("x")`. */
function importSpecifiers(source: string): string[] {
  const pattern = /\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** The top-level folder a relative specifier lands in, or undefined for packages and `node:` modules. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return relative(ROOT, resolve(dirname(file), specifier)).split(sep)[0];
}

describe("layers", () => {
  it("finds every kind of import specifier", () => {
    const source = [
      'import { a } from "../workers/pool.js";',
      'export * from "./browser.js";',
      'import type { B } from "../cli/main.js";',
      'import "../web/ncii-hasher.js";',
      'const { c } = await import("../entries/node.js");',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual([
      "../workers/pool.js",
      "./browser.js",
      "../cli/main.js",
      "../web/ncii-hasher.js",
      "../entries/node.js",
    ]);
  });

  it.each(Object.entries(MAY_IMPORT))("%s/ imports only from the layers below it", (layer, allowed) => {
    const files = sourceFiles(join(ROOT, layer));
    expect(files.length).toBeGreaterThan(0);
    const breaches = files.flatMap((file) =>
      importSpecifiers(readFileSync(file, "utf8"))
        .filter((specifier) => {
          const target = layerOf(file, specifier);
          return target !== undefined && target !== layer && !allowed.includes(target);
        })
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(breaches).toEqual([]);
  });
});

describe("one list of picture extensions", () => {
  it.each(IMAGE_FILE_EXTENSIONS)("%s is a picture to the CLI and to the component", async (extension) => {
    // The CLI judges by name before it opens anything, so the file need not exist.
    await expect(fileKind(join(ROOT, `no-such-file${extension.toUpperCase()}`))).resolves.toBe("picture");
    expect(looksLikePicture(new File([], `scan${extension}`))).toBe(true);
  });
});
