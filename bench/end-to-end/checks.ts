/**
 * Correctness of every end-to-end run, judged in the parent from the per-file values the children report, so a
 * fast but wrong configuration is flagged in the table instead of winning it.
 */
import { shrinkOnLoadSize } from "../../src/decode/shrink-on-load.js";
import { hammingDistance } from "../../src/hash/pdq-hash.js";
import { FAST_MIN_SHORT_SIDE, type ResizeMode } from "../../src/options.js";
import type { ContenderReport, ContenderSpec, PeerId } from "./specs.js";
import { computationOf, dimensionsValue } from "./specs.js";

export interface ContenderRuns {
  spec: ContenderSpec;
  reports: ContenderReport[];
  /** Runs that produced no report (crash, timeout). */
  failures: string[];
}

/** What the single-threaded library computes per file, in process: the answer key for ours and the floor. */
export interface Reference {
  /** resize mode -> file -> digestValue(...). */
  digests: Map<ResizeMode, Map<string, string>>;
  /** file -> dimensionsValue(...) of the full decode. */
  dimensions: Map<string, string>;
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** Each value must have this shape, per peer. */
const PEER_FORMATS: Record<PeerId, RegExp> = {
  "sharp-phash": /^[01]{64}$/,
  "blockhash-core": /^[0-9a-f]{64}$/,
  imghash: /^[0-9a-f]{64}$/,
};
/** Distinct images give distinct hashes; a broken harness (wrong buffer, wrong layout) collapses them. */
const MIN_DISTINCT_FRACTION = 0.9;
/**
 * blockhash-core here and imghash run the same algorithm on two libjpeg-turbo decodes (native in sharp, WASM in
 * imghash); their IDCT and upsampling may differ in rounding, which moves a block mean across the median now and
 * then, but a mis-fed buffer lands near 128 of 256 bits.
 */
const BLOCKHASH_DECODER_TOLERANCE_BITS = 16;

type FileCheck = (file: string, value: string) => boolean;

function countFailing(files: readonly string[], values: readonly string[], check: FileCheck): number {
  return files.reduce((failing, file, i) => failing + (check(file, values[i]!) ? 0 : 1), 0);
}

function blockhashCrossDistances(files: readonly string[], all: readonly ContenderRuns[]): number[] | undefined {
  const valuesOf = (peer: PeerId) => all.find((runs) => computationOf(runs.spec) === peer)?.reports[0]?.values;
  const ours = valuesOf("blockhash-core");
  const theirs = valuesOf("imghash");
  if (!ours || !theirs) return undefined;
  const distances: number[] = [];
  files.forEach((_, i) => {
    const a = ours[i]!;
    const b = theirs[i]!;
    if (a.ok && b.ok && PEER_FORMATS.imghash.test(a.value) && PEER_FORMATS.imghash.test(b.value)) {
      // Both are 256-bit hashes in 64 hex chars, which is all the PDQ distance needs.
      distances.push(hammingDistance(a.value, b.value));
    }
  });
  return distances;
}

function specificCheck(
  runs: ContenderRuns,
  files: readonly string[],
  values: readonly string[],
  reference: Reference,
  all: readonly ContenderRuns[],
): CheckResult {
  const { spec } = runs;
  switch (spec.kind) {
    case "ncii-hasher": {
      const want = reference.digests.get(spec.resize)!;
      const wrong = countFailing(files, values, (file, value) => want.get(file) === value);
      return { ok: wrong === 0, detail: `${files.length - wrong}/${files.length} equal to the in-process engine` };
    }
    case "sharp-decode": {
      const expected = spec.scale === "full" ? (file: string) => reference.dimensions.get(file) : fastModeDecodeSize(reference);
      const wrong = countFailing(files, values, (file, value) => expected(file) === value);
      const size = spec.scale === "full" ? "full size" : "fast mode's reduced size";
      return { ok: wrong === 0, detail: `${files.length - wrong}/${files.length} decoded at ${size}` };
    }
    case "peer": {
      const malformed = countFailing(files, values, (_, value) => PEER_FORMATS[spec.peer].test(value));
      const distinct = new Set(values).size;
      const problems: string[] = [];
      if (malformed > 0) problems.push(`${malformed} malformed`);
      if (distinct < MIN_DISTINCT_FRACTION * files.length) problems.push(`only ${distinct} distinct`);
      let detail = `well-formed, ${distinct}/${files.length} distinct`;
      if (spec.peer !== "sharp-phash") {
        const distances = blockhashCrossDistances(files, all);
        if (!distances || distances.length < files.length) problems.push("no complete blockhash-core/imghash pair to compare");
        else {
          const worst = Math.max(...distances);
          detail += `, blockhash-core vs imghash <= ${worst} bits`;
          if (worst > BLOCKHASH_DECODER_TOLERANCE_BITS) problems.push(`blockhash-core and imghash differ by ${worst} bits`);
        }
      }
      return problems.length === 0 ? { ok: true, detail } : { ok: false, detail: problems.join("; ") };
    }
  }
}

/** The size fast mode decodes each file at: smaller for large JPEGs, the full size otherwise. */
function fastModeDecodeSize(reference: Reference): (file: string) => string | undefined {
  return (file) => {
    const full = reference.dimensions.get(file);
    if (full === undefined) return undefined;
    const [width, height] = full.split("x").map(Number) as [number, number];
    return dimensionsValue(shrinkOnLoadSize(width, height, FAST_MIN_SHORT_SIDE) ?? { width, height });
  };
}

/** Checks one contender: no crashes, no per-file errors, the same values as every run of the same computation, and its own check. */
export function checkContender(
  runs: ContenderRuns,
  files: readonly string[],
  reference: Reference,
  all: readonly ContenderRuns[],
): CheckResult {
  if (runs.failures.length > 0) return { ok: false, detail: runs.failures[0]! };
  const first = runs.reports[0];
  if (!first) return { ok: false, detail: "no run finished" };
  const errors = first.values.flatMap((value) => (value.ok ? [] : [value.error]));
  if (errors.length > 0) return { ok: false, detail: `${errors.length} file(s) failed, e.g. ${errors[0]}` };
  const values = first.values.map((value) => (value.ok ? value.value : ""));
  const computation = computationOf(runs.spec);
  const sameComputation = all.filter((other) => computationOf(other.spec) === computation).flatMap((other) => other.reports);
  const inconsistent = sameComputation.some((report) =>
    report.values.some((value, i) => !value.ok || value.value !== values[i]),
  );
  if (inconsistent) return { ok: false, detail: "values differ between runs (parallelism or repetition)" };
  return specificCheck(runs, files, values, reference, all);
}
