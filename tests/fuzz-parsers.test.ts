/**
 * Structure-aware fuzzing of every header reader (src/decode/headers/: JPEG, PNG, GIF, WebP, BMP, TIFF, HEIF/AVIF)
 * and of the hash-list reader, each case held to a time and a memory budget. Cases run one at a time in a worker
 * thread (tests/support/fuzz-parsers-worker.mjs, on the built dist/) whose heap is capped at `HEAP_BUDGET_MB`: a
 * case that allocates past it kills the worker and is reported, as is one that has not answered within
 * `TIME_BUDGET_MS`. Both budgets are hundreds of times what a case takes; they catch parsers whose cost follows
 * what a file claims (a TIFF directory's counts, a line's length) instead of its size.
 *
 * Besides not throwing, every reader must give sizes or nothing, the JPEG segment walk must move forward, a
 * header check must fail only with a stable header code, and a file's head must never be refused where the whole
 * file passes (Node checks a head before reading the rest). Hash lists must end in entries that are lower-case
 * hashes with bounded ids, or in a HashListError that names its line and quotes no control character.
 *
 * `FUZZ_PARSER_N` cases (default 1,000; `npm run fuzz` runs 10,000) from seed `FUZZ_SEED` (default 1); the seed
 * alone decides each case. A failure names its seed: `FUZZ_SEED=<seed> FUZZ_PARSER_N=1 npx vitest run
 * tests/fuzz-parsers.test.ts` replays it.
 *
 * @module-tag slow
 */
import { Worker } from "node:worker_threads";
import sharp, { type Sharp } from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "./support/fixtures.js";
import { hostileTiff } from "./support/hostile-files.js";
import { box, concat, ftyp, fullBox, latin1, u16, u32, u8 } from "./support/iso-boxes.js";
import { hashListSource, mutateHashList } from "./support/mutate-lists.js";
import { mutate, SeededRandom, type FuzzFormat } from "./support/mutate.js";
import { assertCliBuilt } from "./support/cli.js";

const CASES = envInteger("FUZZ_PARSER_N", 1_000);
const FIRST_SEED = envInteger("FUZZ_SEED", 1);
const TIME_BUDGET_MS = 5_000;
const HEAP_BUDGET_MB = 64;
/** Small, so a case can reach the limit with a few repeated lines. */
const LIST_MAX_ENTRIES = 1_000;
const WORKER = new URL("./support/fuzz-parsers-worker.mjs", import.meta.url);

function envInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

interface Source {
  name: string;
  format: FuzzFormat;
  bytes: Uint8Array;
}

type Case =
  | { seed: number; kind: "header"; about: string; bytes: Uint8Array }
  | { seed: number; kind: "list"; about: string; bytes: Uint8Array; chunkSize: number; maxEntries: number };

/** A picture of every format and flavour the readers branch on, and the hostile TIFF. */
async function makeSources(): Promise<Source[]> {
  const photo = (): Sharp => sharp(`${CORPUS}skimage-astronaut.png`).resize(48, 32).removeAlpha();
  const encoded: Array<[string, FuzzFormat, Sharp]> = [
    ["jpeg-baseline", "jpeg", photo().withMetadata({ orientation: 6 }).jpeg({ quality: 80 })],
    ["jpeg-progressive", "jpeg", photo().jpeg({ quality: 80, progressive: true })],
    ["png", "png", photo().png()],
    ["png-palette", "png", photo().png({ palette: true, colours: 16 })],
    ["gif", "gif", photo().gif()],
    ["webp-lossy", "webp", photo().webp({ quality: 80 })],
    ["webp-lossless", "webp", photo().webp({ lossless: true })],
    ["webp-alpha", "webp", photo().ensureAlpha(0.5).webp({ quality: 80 })],
    ["tiff", "tiff", photo().tiff()],
    ["tiff-tiled", "tiff", photo().tiff({ tile: true, tileWidth: 16, tileHeight: 16, compression: "deflate" })],
    ["avif", "isobmff", photo().avif({ quality: 50 })],
  ];
  const sources = await Promise.all(
    encoded.map(async ([name, format, pipeline]) => ({ name, format, bytes: new Uint8Array(await pipeline.toBuffer()) })),
  );
  return [
    ...sources,
    { name: "heif", format: "isobmff", bytes: heif() },
    { name: "bmp", format: "bmp", bytes: bmp(8, 4) },
    // 64 KB: the array-per-entry TIFF reader this replaced took 44 s and 2.7 GB on it.
    { name: "hostile-tiff", format: "tiff", bytes: hostileTiff(64 * 1024) },
  ];
}

/** A HEIF still image's boxes as far as a header reader goes: brands, and extents for a thumbnail and the image. */
function heif(): Uint8Array {
  const ipco = box("ipco", fullBox("ispe", 0, u32(64, 48)), fullBox("ispe", 0, u32(4032, 3024)));
  const meta = fullBox("meta", 0, fullBox("hdlr", 0, u32(0), latin1("pict"), u32(0, 0, 0), u8(0)), box("iprp", ipco));
  return concat(ftyp("heic", ["mif1", "heic"]), meta, box("mdat", u8(0, 0, 0, 4, 1, 2, 3, 4)));
}

/** An uncompressed 24-bit BMP (BITMAPINFOHEADER), rows padded to 4 bytes. */
function bmp(width: number, height: number): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const bytes = new Uint8Array(54 + row * height).map((_, i) => (i * 37) & 0xff);
  const view = new DataView(bytes.buffer);
  bytes.set(latin1("BM"));
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  bytes.set(u16(1), 26);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(30, 0, true);
  return bytes;
}

function makeCase(seed: number, sources: readonly Source[]): Case {
  const random = new SeededRandom(seed);
  if (random.chance(0.3)) {
    const source = hashListSource(random);
    const { bytes, steps } = mutateHashList(source.text, random.next());
    const chunkSize = random.pick([1, 7, 4096, 65_536]);
    return { seed, kind: "list", about: `${source.name} list: ${steps.join("; ")}; in ${chunkSize}-byte chunks`, bytes, chunkSize, maxEntries: LIST_MAX_ENTRIES };
  }
  const source = random.pick(sources);
  const { bytes, steps } = mutate(source.bytes, source.format, random.next());
  return { seed, kind: "header", about: `${source.name}: ${steps.join("; ")}`, bytes };
}

/** One worker at a time; replaced when a case kills it or runs over its time. */
class CaseRunner {
  private worker: Worker | undefined;

  async run(fuzzCase: Case): Promise<{ problems: string[]; ms: number }> {
    if (!this.worker) {
      this.worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: HEAP_BUDGET_MB, maxYoungGenerationSizeMb: 16 } });
      const started = await this.send(this.worker, { seed: 0, kind: "ping", about: "start-up", bytes: new Uint8Array(0) });
      if (started.problems.length > 0) return started;
    }
    return this.send(this.worker, fuzzCase);
  }

  private async send(worker: Worker, fuzzCase: Case | { seed: number; kind: "ping"; about: string; bytes: Uint8Array }): Promise<{ problems: string[]; ms: number }> {
    const started = performance.now();
    const problems = await new Promise<string[]>((resolve) => {
      const done = (problems: string[], broken: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (broken) {
          void worker.terminate();
          this.worker = undefined;
        }
        resolve(problems);
      };
      const onMessage = (reply: { seed: number; problems: string[] }) => done(reply.problems, false);
      const onError = (error: NodeJS.ErrnoException) =>
        done([error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `over its memory budget (${HEAP_BUDGET_MB} MB of heap)` : `killed its worker: ${error.message}`], true);
      const onExit = (code: number) => done([`its worker exited (${code})`], true);
      const timer = setTimeout(() => done([`over its time budget (${TIME_BUDGET_MS} ms)`], true), TIME_BUDGET_MS);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      const { bytes, ...rest } = fuzzCase;
      worker.postMessage({ ...rest, bytes });
    });
    return { problems, ms: performance.now() - started };
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

let sources: Source[];
const runner = new CaseRunner();

beforeAll(async () => {
  assertCliBuilt();
  sources = await makeSources();
});

afterAll(() => runner.close());

describe(`parser fuzzing: ${CASES} cases from seed ${FIRST_SEED}`, () => {
  it("every source is read by its own reader before it is mutated", async () => {
    const { HEADER_READERS } = await import("../src/decode/headers/index.js");
    const { sniffFormat } = await import("../src/decode/sniff.js");
    for (const source of sources.filter((s) => s.name !== "hostile-tiff")) {
      const format = sniffFormat(source.bytes);
      expect(format, source.name).toBeDefined();
      expect(HEADER_READERS[format!].dimensions(source.bytes), source.name).toBeDefined();
      expect(HEADER_READERS[format!].endsEarly(source.bytes), source.name).toBe(false);
    }
  });

  it("every case ends within its budgets with no problem", { timeout: Math.max(120_000, CASES * 200) }, async () => {
    const problems: string[] = [];
    let slowest = { ms: 0, seed: 0, about: "" };
    for (let seed = FIRST_SEED; seed < FIRST_SEED + CASES; seed++) {
      const fuzzCase = makeCase(seed, sources);
      const result = await runner.run(fuzzCase);
      if (result.ms > slowest.ms) slowest = { ms: result.ms, seed, about: fuzzCase.about.slice(0, 200) };
      const replay = `replay: FUZZ_SEED=${seed} FUZZ_PARSER_N=1 npx vitest run tests/fuzz-parsers.test.ts`;
      problems.push(...result.problems.map((problem) => `seed ${seed} (${fuzzCase.about.slice(0, 300)}; ${replay}): ${problem}`));
    }
    console.info(`parser fuzzing: ${CASES} cases, slowest ${slowest.ms.toFixed(1)} ms (seed ${slowest.seed}: ${slowest.about})`);
    expect(problems).toEqual([]);
  });
});
