/**
 * Hash-list matching: queries per second against lists of random PDQ hashes (100k and 1M), with and without the
 * 8 dihedral variants, for each search path of the index: the WASM SIMD scan, its TypeScript twin, the
 * multi-index, and `auto` (what `HashIndex.query` does by default). Every query has planted neighbours, and each
 * path's answers are compared with the WASM scan's: a fast path only counts if it finds the same matches.
 *
 * Called by the main benchmark (`runMatchBench`); also runs alone: `node dist/bench/match-bench.js [--quick]`.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { pdqBitsToHex, pdqHexToBits, PDQ_MATCH_THRESHOLD } from "../src/hash/pdq-hash.js";
import { HashIndex, type HashMatch, type SearchStrategy } from "../src/match/hash-index.js";
import type { HashListEntry } from "../src/match/hash-list.js";
import type { ScannerKind } from "../src/match/scanner.js";
import { round3, spreadOf, type Spread } from "./stats.js";

export type MatchMethod = "wasm-scan" | "js-scan" | "multi-index" | "auto";

export interface MatchBenchRow {
  listSize: number;
  dihedral: boolean;
  method: MatchMethod;
  /** From per-query times; medians, since other processes share the cores. */
  queriesPerSecond: Spread;
  queries: number;
  /** Every query answered exactly as the WASM scan answered it. */
  agrees: boolean;
}

export interface MatchBenchResult {
  threshold: number;
  rows: MatchBenchRow[];
  /** Time to build each index from hex (parse, pack, copy into WASM, multi-index tables), by list size. */
  buildMs: Record<string, number>;
  /** Memory per listed hash: the packed hash, and the multi-index tables' entries (plus 4 MB per index for buckets). */
  bytesPerHash: { stored: number; multiIndex: number };
  target: { description: string; measured: number | null; goal: string; met: boolean };
  correctness: { ok: boolean; problems: string[] };
}

interface Budget {
  listSizes: number[];
  /** Per row: at least this many timed queries and this much time, at most `maxQueries`. */
  minQueries: number;
  minTimeMs: number;
  maxQueries: number;
}

const BUDGETS: Record<"quick" | "full", Budget> = {
  full: { listSizes: [100_000, 1_000_000], minQueries: 10, minTimeMs: 2_000, maxQueries: 400 },
  quick: { listSizes: [100_000], minQueries: 3, minTimeMs: 200, maxQueries: 50 },
};

const QUERY_COUNT = 16;
/** Distances at which each query variant gets a listed neighbour: inside, at and just past the threshold. */
const PLANTED_DISTANCES = [0, 7, 19, 31, 32];

const METHODS: { method: MatchMethod; scanner: ScannerKind; strategy: SearchStrategy }[] = [
  { method: "wasm-scan", scanner: "wasm", strategy: "scan" },
  { method: "js-scan", scanner: "js", strategy: "scan" },
  { method: "multi-index", scanner: "wasm", strategy: "multi-index" },
  { method: "auto", scanner: "wasm", strategy: "auto" },
];

export async function runMatchBench(options: { quick: boolean }): Promise<MatchBenchResult> {
  const budget = BUDGETS[options.quick ? "quick" : "full"];
  const rows: MatchBenchRow[] = [];
  const buildMs: Record<string, number> = {};
  const problems: string[] = [];
  for (const listSize of budget.listSizes) {
    const random = xorshift(listSize);
    const queries = Array.from({ length: QUERY_COUNT }, () => {
      const dihedral = Array.from({ length: 8 }, () => randomHex(random));
      return { pdq: dihedral[0]!, dihedral };
    });
    const list = plantedList(listSize, queries, random);
    const start = performance.now();
    const indexes = {
      wasm: await HashIndex.create(list, { scanner: "wasm", multiIndex: true }),
      js: await HashIndex.create(list, { scanner: "js", multiIndex: false }),
    };
    buildMs[String(listSize)] = round3(performance.now() - start);
    for (const dihedral of [false, true]) {
      const expected = queries.map((query) => indexes.wasm.query(query, { dihedral, strategy: "scan" }));
      const planted = PLANTED_DISTANCES.filter((d) => d <= PDQ_MATCH_THRESHOLD).length;
      if (expected.some((matches) => matches.length < planted * (dihedral ? 8 : 1))) {
        problems.push(`${listSize} hashes, dihedral ${dihedral}: the WASM scan missed planted neighbours`);
      }
      for (const { method, scanner, strategy } of METHODS) {
        const index = indexes[scanner];
        let agrees = true;
        const seconds: number[] = [];
        for (let q = 0; seconds.length < budget.maxQueries; q = (q + 1) % QUERY_COUNT) {
          const begin = performance.now();
          const found = index.query(queries[q]!, { dihedral, strategy });
          seconds.push((performance.now() - begin) / 1000);
          agrees &&= sameMatches(found, expected[q]!);
          const spent = seconds.reduce((sum, s) => sum + s, 0) * 1000;
          if (seconds.length >= budget.minQueries && spent >= budget.minTimeMs) break;
        }
        if (!agrees) problems.push(`${listSize} hashes, dihedral ${dihedral}, ${method}: answers differ from the WASM scan`);
        const perSecond = spreadOf(seconds.map((s) => 1 / s));
        rows.push({
          listSize,
          dihedral,
          method,
          queriesPerSecond: { ...perSecond, median: round3(perSecond.median), min: round3(perSecond.min), max: round3(perSecond.max) },
          queries: seconds.length,
          agrees,
        });
      }
    }
  }
  const targetRow = rows.find((row) => row.listSize === 1_000_000 && row.dihedral && row.method === "auto" && row.agrees);
  const measured = targetRow?.queriesPerSecond.median ?? null;
  return {
    threshold: PDQ_MATCH_THRESHOLD,
    rows,
    buildMs,
    bytesPerHash: { stored: 32, multiIndex: 16 * 4 },
    target: {
      description: "queries/s against 1M hashes with the 8 dihedral variants, one core (HashIndex default path)",
      measured,
      goal: ">= 100",
      met: measured !== null && measured >= 100,
    },
    correctness: { ok: problems.length === 0, problems },
  };
}

function sameMatches(a: readonly HashMatch[], b: readonly HashMatch[]): boolean {
  return a.length === b.length && a.every((m, i) => m.index === b[i]!.index && m.distance === b[i]!.distance && m.variant === b[i]!.variant);
}

/** Random hashes, with neighbours of every query variant at PLANTED_DISTANCES spread through the list. */
function plantedList(size: number, queries: { dihedral: string[] }[], random: () => number): HashListEntry[] {
  const list = Array.from({ length: size }, (_, i) => ({ id: String(i), hash: randomHex(random) }));
  const plants = queries.length * 8 * PLANTED_DISTANCES.length;
  let planted = 0;
  queries.forEach((query, q) =>
    query.dihedral.forEach((variant, v) =>
      PLANTED_DISTANCES.forEach((distance, k) => {
        const at = Math.floor((planted++ * size) / plants);
        list[at] = { id: `q${q}v${v}d${distance}`, hash: flip(variant, distance, k) };
      }),
    ),
  );
  return list;
}

function flip(hex: string, count: number, offset: number): string {
  const bits = pdqHexToBits(hex);
  for (let i = 0; i < count; i++) bits[(offset * 11 + i * 37) % 256]! ^= 1;
  return pdqBitsToHex(bits);
}

function randomHex(random: () => number): string {
  let hex = "";
  for (let i = 0; i < 8; i++) hex += random().toString(16).padStart(8, "0");
  return hex;
}

function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>>= 0);
  };
}

/** The rows as a Markdown table, with the target line. */
export function renderMatchTable(result: MatchBenchResult): string {
  const lines = ["| hashes | dihedral | method | queries/s (median) | min..max | queries | same answers |", "|---|---|---|---|---|---|---|"];
  for (const row of result.rows) {
    const { median, min, max } = row.queriesPerSecond;
    lines.push(`| ${row.listSize.toLocaleString("en")} | ${row.dihedral ? "8 variants" : "no"} | ${row.method} | ${median} | ${min}..${max} | ${row.queries} | ${row.agrees ? "yes" : "**NO**"} |`);
  }
  const { measured, goal, met } = result.target;
  lines.push("", `Target: ${result.target.description}: ${measured ?? "not measured"} (goal ${goal}) ${met ? "met" : "NOT met"}`);
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runMatchBench({ quick: process.argv.includes("--quick") });
  console.log(renderMatchTable(result));
  console.log(`build ms: ${JSON.stringify(result.buildMs)}`);
  if (!result.correctness.ok) {
    console.error(result.correctness.problems.join("\n"));
    process.exitCode = 1;
  }
}
