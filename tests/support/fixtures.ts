/** Paths and expected-hash tables of the fixtures copied from the reference material (see tests/fixtures/README.md). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const CORPUS = `${FIXTURES}corpus/`;
export const VECTORS = `${FIXTURES}pdq-vectors/`;

export interface ExpectedRow {
  file: string;
  pdq: string;
  quality: number;
  /** With the dihedral tables: the 8 variants in the reference order. */
  dihedral?: string[];
}

/** Reads one of the reference's TSV tables (header row; file, hashes..., quality). */
export function readExpected(path: string): ExpectedRow[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const dihedral = header!.split("\t").length > 3;
  return lines.map((line) => {
    const cells = line.split("\t");
    const quality = Number(cells[cells.length - 1]);
    return dihedral
      ? { file: cells[0]!, pdq: cells[1]!, quality, dihedral: cells.slice(1, 9) }
      : { file: cells[0]!, pdq: cells[1]!, quality };
  });
}

export const isLossless = (file: string): boolean => file.endsWith(".png");
