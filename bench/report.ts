/** The results file (bench/results/*.json) and the markdown table made from it. */
import type { AnchorResult } from "./anchor.js";
import { renderCliTable, type CliBenchResult } from "./cli-bench.js";
import type { EndToEndRow } from "./end-to-end/index.js";
import { contenderId, floorFor } from "./end-to-end/specs.js";
import type { AfterDecodeBudget, KernelAfterDecodeRow, KernelBudget, KernelRow } from "./kernel.js";
import type { MachineLoad } from "./machine-load.js";
import { renderLoadTable, type LoadBenchResult } from "./load-bench.js";
import { renderMatchTable } from "./match-bench.js";
import type { MatchBenchResult } from "./match-bench.js";
import type { Target } from "./targets.js";

export interface Environment {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  totalMemoryMB: number;
  sharp: string;
  libvips: string;
  /** Threads sharp may use per operation; the same in every contender's process. */
  sharpConcurrency: number;
  commit: string;
  /** Load averages when the run started and ended: above the core count, other work competed for the CPU. */
  loadAverage: { start: MachineLoad; end: MachineLoad };
}

export interface PhotoSetSummary {
  name: string;
  description: string;
  files: number;
  totalMB: number;
  totalMegapixels: number;
}

export interface BenchResults {
  schema: 1;
  generatedAt: string;
  command: string;
  environment: Environment;
  photoSet: PhotoSetSummary;
  correctness: { ok: boolean; anchor: AnchorResult; problems: string[] };
  targets: Target[];
  kernel: { budget: KernelBudget; rows: KernelRow[] };
  /** Issue 15: the kernel timed right after sharp decodes each photo, as users run it. */
  kernelAfterDecode: { budget: AfterDecodeBudget; rows: KernelAfterDecodeRow[] };
  /** Issue 15: the real CLI from a cold start against a decode-only process, and its start-up. */
  cli: CliBenchResult;
  endToEnd: { repetitions: number; slowPeerRepetitions: number; rows: EndToEndRow[] };
  /** Issue 6's queries/s against hash lists; its own table and target (bench/match-bench.ts). */
  match: MatchBenchResult;
  /** Issue 5's 10,000-file batch through the CLI and the pool (full runs only: it writes 10,000 files). */
  load?: LoadBenchResult;
}

const SIZE_LABELS: Record<string, string> = { "1mp": "1 MP", "3mp": "3 MP", "12mp": "12 MP" };

function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const UNIT_SUFFIX: Record<Target["unit"], string> = { x: "x", MB: " MB", s: " s" };

function targetsTable(targets: readonly Target[]): string {
  return table(
    ["target", "measured", "by CPU time", "goal", "met"],
    targets.map((t) => [
      t.description,
      t.measured === null ? "n/a (contender failed its check)" : `${t.measured}${UNIT_SUFFIX[t.unit]}`,
      t.byCpuTime === null ? "" : `${t.byCpuTime}x`,
      `${t.goal}${UNIT_SUFFIX[t.unit]}`,
      t.met ? "yes" : "**no**",
    ]),
  );
}

function afterDecodeTable(rows: readonly KernelAfterDecodeRow[], isolated: readonly KernelRow[]): string {
  return table(
    ["size", "pairs", "sharp decode ms", "kernel ms, after decode", "kernel ms, isolated", "kernel / decode", "by CPU time", "bit-identical"],
    rows.map((r) => {
      const alone = isolated.find((k) => k.sizeClass === r.sizeClass && k.resize === "full");
      return [
        `${SIZE_LABELS[r.sizeClass] ?? r.sizeClass} (${r.dimensions.join(", ")})`,
        `${r.samples} (${r.photos} photos)`,
        fixed(r.decodeMs.median, 1),
        fixed(r.kernelMs.median, 2),
        alone ? fixed(alone.msPerImage.wasm.median, 2) : "",
        `${r.kernelVsDecode}x`,
        `${r.kernelVsDecodeCpu}x`,
        r.bitIdentical ? "yes" : "**NO**",
      ];
    }),
  );
}

function kernelTable(rows: readonly KernelRow[]): string {
  return table(
    ["size", "resize", "WASM ms", "TS twin ms", "WASM speed-up", "bit-identical"],
    rows.map((r) => [
      `${SIZE_LABELS[r.sizeClass] ?? r.sizeClass} (${r.dimensions.join(", ")})`,
      r.resize,
      fixed(r.msPerImage.wasm.median, 2),
      fixed(r.msPerImage.js.median, 1),
      `${fixed(r.wasmSpeedup)}x`,
      r.bitIdentical ? "yes" : "**NO**",
    ]),
  );
}

function endToEndTable(rows: readonly EndToEndRow[]): string {
  const floorOf = (row: EndToEndRow) => {
    const id = contenderId(floorFor(row.spec));
    return rows.find((r) => r.id === id && r.check.ok);
  };
  return table(
    ["contender", "computes", "images/s (min-max)", "ms/image", "CPU ms/image", "vs decode floor", "peak RSS MB", "check"],
    rows.map((r) => {
      const floor = floorOf(r);
      const spread = r.imagesPerSecond.n > 1 ? ` (${fixed(r.imagesPerSecond.min)}-${fixed(r.imagesPerSecond.max)})` : "";
      return [
        r.name,
        r.computes,
        `${fixed(r.imagesPerSecond.median)}${spread}`,
        fixed(r.msPerImage),
        fixed(r.cpuMsPerImage),
        floor && r.check.ok ? `${fixed(r.imagesPerSecond.median / floor.imagesPerSecond.median, 2)}x` : "",
        String(Math.round(r.peakRssMB)),
        `${r.check.ok ? "ok" : "**FAILED**"}: ${r.check.detail}`,
      ];
    }),
  );
}

function correctnessSection(results: BenchResults): string {
  const { anchor, problems, ok } = results.correctness;
  const anchorLine =
    anchor.mismatches.length === 0
      ? `Both engines reproduce the C++ reference on all ${anchor.files} fixture PNGs, full and 512 modes.`
      : `**${anchor.mismatches.length} mismatches against the C++ reference** on ${anchor.files} fixture PNGs.`;
  if (ok) {
    return (
      `${anchorLine} WASM and twin digests are identical on every kernel row; every end-to-end contender passed ` +
      "its check (last column); every hash-list search path gave the WASM scan's answers."
    );
  }
  return [`**Correctness problems: the numbers below are not trustworthy.**`, "", anchorLine, "", ...problems.map((p) => `- ${p}`)].join("\n");
}

function loadNote(env: Environment): string {
  const { start, end } = env.loadAverage;
  const busy = Math.max(start.oneMinute, end.oneMinute) > env.cores;
  const triple = (load: MachineLoad) => `${load.oneMinute} / ${load.fiveMinutes} / ${load.fifteenMinutes}`;
  return (
    `Load average (1 / 5 / 15 min) ${triple(start)} at the start, ${triple(end)} at the end` +
    (busy ? ": other work shared the cores, so wall times are noisy (CPU times less so)." : ".")
  );
}

export function renderMarkdown(results: BenchResults): string {
  const { environment: env, photoSet, endToEnd } = results;
  const runs =
    endToEnd.slowPeerRepetitions === endToEnd.repetitions
      ? `${endToEnd.repetitions} run${endToEnd.repetitions === 1 ? "" : "s"}`
      : `median of ${endToEnd.repetitions} runs (imghash and blockhash-core: ${endToEnd.slowPeerRepetitions})`;
  return [
    `# ncii-hasher benchmark${photoSet.name === "quick" ? " (quick)" : ""}`,
    "",
    `\`${results.command}\`, ${results.generatedAt}, commit ${env.commit}. Node ${env.node} on ${env.platform}, ` +
      `${env.cpu} x ${env.cores} cores, ${env.totalMemoryMB} MB RAM; sharp ${env.sharp}, libvips ${env.libvips} ` +
      `(concurrency ${env.sharpConcurrency}). ${loadNote(env)}`,
    "",
    `Photo set: ${photoSet.description}. ${photoSet.files} files, ${fixed(photoSet.totalMB)} MB, ${fixed(photoSet.totalMegapixels)} megapixels.`,
    "",
    "## Correctness",
    "",
    correctnessSection(results),
    "",
    "## Targets (issues 3, 8 and 15; measured in this run, never asserted)",
    "",
    "\"By CPU time\" is the same comparison from CPU ms per image: the work each side does, which other processes " +
      "on the machine barely change. The goals are about wall-time throughput.",
    "",
    targetsTable(results.targets),
    "",
    "## Kernel in real use: timed right after sharp decodes each photo (median)",
    "",
    "Photo after photo, sharp decodes the JPEG from memory, then the WASM engine hashes its pixels: the kernel meets " +
      "what a real decode leaves in the caches, as in every worker. \"Isolated\" is the row below: the same pixels " +
      "hashed again and again, which keeps them in cache. \"kernel / decode\" is the median of the per-photo ratios.",
    "",
    afterDecodeTable(results.kernelAfterDecode.rows, results.kernel.rows),
    "",
    "## Kernel isolated: ms per image on pre-decoded pixels, hashed again and again (median)",
    "",
    kernelTable(results.kernel.rows),
    "",
    "## The CLI as users run it (issue 15): cold start, whole photo set, against a decode-only process",
    "",
    renderCliTable(results.cli),
    "",
    `## End to end: read + decode + hash of every file, ${runs}`,
    "",
    "Each run is its own process: peak RSS and CPU time count all its threads. Parallel = workers for ncii-hasher, " +
      "concurrent calls for the others (their JavaScript runs on one thread). \"vs decode floor\" compares with " +
      "sharp's decode-only throughput at the same parallelism.",
    "",
    endToEndTable(endToEnd.rows),
    "",
    "## Hash-list matching (issue 6): queries per second, one core",
    "",
    renderMatchTable(results.match),
    "",
    ...(results.load
      ? ["## Load (issue 5): a 10,000-file batch, peak memory flat", "", renderLoadTable(results.load), ""]
      : []),
  ].join("\n");
}
