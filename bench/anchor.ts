/**
 * Ties the benchmark to ground truth: both engines hash the fixture PNGs (lossless, so the pixels are exactly what
 * the C++ reference hashed) and must reproduce its hashes. Without this, a WASM kernel and a twin that agreed on a
 * wrong answer would look perfect in the kernel table.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PdqEngine } from "../src/engine/index.js";
import type { EngineKind, KernelResizeMode } from "../src/options.js";
import { decodeToPixels } from "./kernel.js";
import { PROJECT_ROOT } from "./paths.js";

const CORPUS = join(PROJECT_ROOT, "tests", "fixtures", "corpus");
/** The reference CLI resizes to 512x512 (expected.tsv); without that step it is the full-resolution hash. */
const EXPECTED_BY_MODE: Record<KernelResizeMode, string> = { full: "expected-fullres.tsv", "512": "expected.tsv" };

export interface AnchorResult {
  files: number;
  /** "engine/mode file: got X, want Y" for every mismatch. */
  mismatches: string[];
}

function readExpected(tsv: string): Map<string, { pdq: string; quality: number }> {
  const rows = readFileSync(join(CORPUS, tsv), "utf8").trim().split("\n").slice(1);
  return new Map(
    rows.map((row) => {
      const [file, pdq, quality] = row.split("\t");
      return [file!, { pdq: pdq!, quality: Number(quality) }];
    }),
  );
}

/** Flat images' bits are float32 rounding noise (fixtures README), so quality-0 rows only pin the quality. */
function matches(got: { pdq: string; quality: number }, want: { pdq: string; quality: number }): boolean {
  return got.quality === want.quality && (want.quality === 0 || got.pdq === want.pdq);
}

export async function checkAgainstReference(engines: Record<EngineKind, PdqEngine>): Promise<AnchorResult> {
  const mismatches: string[] = [];
  const expected = (Object.entries(EXPECTED_BY_MODE) as [KernelResizeMode, string][]).map(
    ([resize, tsv]) => [resize, readExpected(tsv)] as const,
  );
  const pngs = [...expected[0]![1].keys()].filter((file) => file.endsWith(".png"));
  for (const file of pngs) {
    const image = await decodeToPixels(join(CORPUS, file));
    for (const [resize, byFile] of expected) {
      const want = byFile.get(file)!;
      for (const engine of Object.values(engines)) {
        const got = engine.hash(image, { resize, dihedral: false });
        if (!matches(got, want)) {
          mismatches.push(`${engine.kind}/${resize} ${file}: got ${got.pdq} q${got.quality}, want ${want.pdq} q${want.quality}`);
        }
      }
    }
  }
  return { files: pngs.length, mismatches };
}
