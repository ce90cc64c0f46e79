/** The corpus fixtures and their expected hashes (tests/fixtures/corpus, see its README). */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = fileURLToPath(new URL("../../fixtures/corpus/", import.meta.url));
export const VECTORS_DIR = fileURLToPath(new URL("../../fixtures/pdq-vectors/", import.meta.url));
export const DIST_DIR = fileURLToPath(new URL("../../../dist/", import.meta.url));

export interface ExpectedHash {
  file: string;
  pdq: string;
  quality: number;
  width: number;
  height: number;
  /** JPEG hashes depend on the JPEG decoder's IDCT, so they are compared within a few bits. */
  lossy: boolean;
  size: number;
}

function readTsv(name: string): string[][] {
  return readFileSync(join(CORPUS_DIR, name), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"));
}

/** Every corpus picture with its full-resolution reference hash (the `resize: "full"` default). */
export function corpusExpectations(): ExpectedHash[] {
  const sizes = new Map(readTsv("files.tsv").map(([file, wxh]) => [file!, wxh!.split("x").map(Number)]));
  return readTsv("expected-fullres.tsv").map(([file, pdq, quality]) => {
    const [width, height] = sizes.get(file!)!;
    return {
      file: file!,
      pdq: pdq!,
      quality: Number(quality),
      width: width!,
      height: height!,
      lossy: file!.endsWith(".jpg"),
      size: statSync(join(CORPUS_DIR, file!)).size,
    };
  });
}

/** Paths (relative to dist/, with a leading slash) of everything the web build wrote: the component's own assets. */
export function builtWebAssets(): Set<string> {
  const assets = new Set(["/", "/index.html", "/ncii-hasher.js"]);
  for (const name of readdirSync(join(DIST_DIR, "assets"))) assets.add(`/assets/${name}`);
  return assets;
}
