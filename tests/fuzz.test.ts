/**
 * Fuzzing: seeded mutations of valid JPEG, PNG, GIF and WebP files, through the library in this process and
 * through the CLI over a folder. Whatever the bytes, nothing may crash or hang, every file ends with exactly one
 * outcome (a well-formed hash or a stable error code), and the two paths agree.
 *
 * `FUZZ_N` cases (default 200) starting at seed `FUZZ_SEED` (default 1); case k uses seed FUZZ_SEED + k, and the
 * seed alone decides its source and mutations. Large run: `FUZZ_N=5000 npm run fuzz`. A failure names its seed.
 *
 * @module-tag slow
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp, { type Sharp } from "sharp";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { jpegEndsEarly } from "../src/decode/headers/jpeg.js";
import { sniffFormat } from "../src/decode/sniff.js";
import { HashError, hashBytes, type HashErrorCode, type ImageHash } from "../entries/node.js";
import { assertCliBuilt, byPath, jsonLines, runCli, type HashLine } from "./support/cli.js";
import { isErrorCode } from "./support/error-codes.js";
import { CORPUS } from "./support/fixtures.js";
import { mutate, SeededRandom, type FuzzFormat } from "./support/mutate.js";

const CASES = envInteger("FUZZ_N", 200);
const FIRST_SEED = envInteger("FUZZ_SEED", 1);
/**
 * Lower than the default so that a mutated size which stays under the limit (a GIF screen of 60000 x 200, say)
 * costs a second, not a minute; the refusal itself is the same code path at any limit.
 */
const MAX_PIXELS = 16_000_000;
const TIMEOUT_MS = Math.max(180_000, CASES * 1_500);

/** What decoding bytes in this process can end in; the rest belong to files, workers and batches. */
const DECODE_CODES: readonly HashErrorCode[] = ["empty", "truncated", "unsupported-format", "not-an-image", "too-many-pixels", "decode-failed"];

interface Source {
  name: string;
  format: FuzzFormat;
  extension: string;
  bytes: Uint8Array;
}

interface FuzzCase {
  seed: number;
  file: string;
  source: string;
  steps: string[];
  bytes: Uint8Array;
}

type LibraryOutcome = { ok: true; hash: ImageHash } | { ok: false; error: unknown };

function envInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

/** A small real photo in every flavour the decoders branch on: baseline and progressive, palette, alpha, lossless. */
async function makeSources(): Promise<Source[]> {
  const { data, info } = await sharp(join(CORPUS, "skimage-astronaut.png")).resize(72, 56).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const photo = () => sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
  const mirrored = await photo().flop().raw().toBuffer();
  const twoFrames = sharp(Buffer.concat([data, mirrored]), {
    raw: { width: info.width, height: info.height * 2, channels: 3, pageHeight: info.height },
  });
  const flavours: Array<[name: string, format: FuzzFormat, extension: string, pipeline: Sharp]> = [
    ["jpeg-baseline", "jpeg", "jpg", photo().jpeg({ quality: 80 })],
    ["jpeg-progressive", "jpeg", "jpg", photo().jpeg({ quality: 80, progressive: true })],
    ["jpeg-grey", "jpeg", "jpg", photo().greyscale().jpeg({ quality: 80 })],
    ["png-rgb", "png", "png", photo().png()],
    ["png-palette", "png", "png", photo().png({ palette: true, colours: 32 })],
    ["png-grey-alpha", "png", "png", photo().greyscale().ensureAlpha(0.5).png()],
    ["png-16-bit", "png", "png", photo().toColourspace("rgb16").png()],
    ["gif", "gif", "gif", photo().gif()],
    ["gif-animated", "gif", "gif", twoFrames.gif()],
    ["webp-lossy", "webp", "webp", photo().webp({ quality: 80 })],
    ["webp-lossy-alpha", "webp", "webp", photo().ensureAlpha(0.5).webp({ quality: 80 })],
    ["webp-lossless", "webp", "webp", photo().webp({ lossless: true })],
  ];
  return Promise.all(
    flavours.map(async ([name, format, extension, pipeline]) => ({ name, format, extension, bytes: new Uint8Array(await pipeline.toBuffer()) })),
  );
}

/**
 * Case `seed`: its source and its mutations both come from the seed, so FUZZ_SEED=seed FUZZ_N=1 replays it (with
 * the same sharp, which encodes the sources).
 */
function makeCase(seed: number, sources: readonly Source[]): FuzzCase {
  const random = new SeededRandom(seed);
  const source = random.pick(sources);
  const { bytes, steps } = mutate(source.bytes, source.format, random.next());
  return { seed, file: `fuzz-${seed}.${source.extension}`, source: source.name, steps, bytes };
}

function describeCase(fuzzCase: FuzzCase): string {
  return (
    `seed ${fuzzCase.seed} (${fuzzCase.source}: ${fuzzCase.steps.join("; ")}; ` +
    `replay: FUZZ_SEED=${fuzzCase.seed} FUZZ_N=1 npx vitest run tests/fuzz.test.ts)`
  );
}

/** Problems with a hash as the library returns it or the CLI prints it. */
function hashProblems(hash: Partial<Pick<ImageHash, "pdq" | "quality" | "width" | "height">>): string[] {
  const problems: string[] = [];
  if (typeof hash.pdq !== "string" || !/^[0-9a-f]{64}$/.test(hash.pdq)) problems.push(`pdq ${JSON.stringify(hash.pdq)} is not 64 lower-case hex digits`);
  if (!Number.isInteger(hash.quality) || hash.quality! < 0 || hash.quality! > 100) problems.push(`quality ${hash.quality} is not 0-100`);
  const { width, height } = hash;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! < 1 || height! < 1) problems.push(`size ${width}x${height} is not positive`);
  else if (width! * height! > MAX_PIXELS) problems.push(`size ${width}x${height} is over the pixel limit`);
  return problems;
}

function messageProblems(message: unknown): string[] {
  return typeof message === "string" && message.length >= 20 ? [] : [`message ${JSON.stringify(message)} does not explain anything`];
}

let root: string;
let sources: Source[];
let cases: FuzzCase[];
/** The case being hashed in this process, so a hang that times the suite out still names its seed. */
let inFlight: FuzzCase | undefined;
let libraryRun: Promise<Map<string, LibraryOutcome>> | undefined;

/** Every case through `hashBytes`, one at a time, once; both tests below judge these outcomes. */
function libraryOutcomes(): Promise<Map<string, LibraryOutcome>> {
  libraryRun ??= (async () => {
    const outcomes = new Map<string, LibraryOutcome>();
    for (const fuzzCase of cases) {
      inFlight = fuzzCase;
      outcomes.set(
        fuzzCase.file,
        await hashBytes(fuzzCase.bytes, { maxPixels: MAX_PIXELS }).then(
          (hash): LibraryOutcome => ({ ok: true, hash }),
          (error: unknown): LibraryOutcome => ({ ok: false, error }),
        ),
      );
    }
    inFlight = undefined;
    return outcomes;
  })();
  return libraryRun;
}

function nameTheCaseInFlightOnFailure(): void {
  onTestFailed(() => {
    if (inFlight) console.error(`fuzz: stopped while hashing ${describeCase(inFlight)}`);
  });
}

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-fuzz-"));
  sources = await makeSources();
  cases = Array.from({ length: CASES }, (_, k) => makeCase(FIRST_SEED + k, sources));
  await mkdir(join(root, "cases"));
  await Promise.all(cases.map((fuzzCase) => writeFile(join(root, "cases", fuzzCase.file), fuzzCase.bytes)));
}, TIMEOUT_MS);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe(`fuzzing ${CASES} mutated pictures from seed ${FIRST_SEED}`, () => {
  it("starts from sources that all hash", async () => {
    const problems: string[] = [];
    for (const source of sources) {
      const hash = await hashBytes(source.bytes, { maxPixels: MAX_PIXELS }).catch((error: unknown) => error);
      if (hash instanceof Error) problems.push(`${source.name}: ${hash.message}`);
      else problems.push(...hashProblems(hash as ImageHash).map((problem) => `${source.name}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it("library: every mutant ends in a well-formed hash or a HashError with a decoding code", { timeout: TIMEOUT_MS }, async () => {
    nameTheCaseInFlightOnFailure();
    const outcomes = await libraryOutcomes();
    const problems: string[] = [];
    for (const fuzzCase of cases) {
      const outcome = outcomes.get(fuzzCase.file)!;
      const found = outcome.ok ? hashProblems(outcome.hash) : libraryErrorProblems(outcome.error);
      // Browsers show a cut-off JPEG instead of failing, so they ask jpegEndsEarly first; that must never refuse
      // a JPEG that Node (libjpeg) decodes. The other way round holds by construction: Node's `truncated` is it.
      if (outcome.ok && sniffFormat(fuzzCase.bytes) === "jpeg" && jpegEndsEarly(fuzzCase.bytes)) {
        found.push("hashed in Node, but jpegEndsEarly says it is cut off");
      }
      problems.push(...found.map((problem) => `${describeCase(fuzzCase)}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it("CLI over the folder: exits 0 or 1, one line per file, stable codes, the library's outcomes", { timeout: TIMEOUT_MS }, async () => {
    nameTheCaseInFlightOnFailure();
    const outcomes = await libraryOutcomes();
    const cli = await runCli(["--workers", "2", "--max-pixels", String(MAX_PIXELS), "cases"], { cwd: root });
    // A crash shows as a signal (code null) or another exit code; an uncaught exception also leaves a stack trace.
    expect(cli.code, cli.stderr).toBeOneOf([0, 1]);
    expect(cli.stderr).not.toMatch(/^\s+at /m);
    const lines = byPath(jsonLines(cli.stdout));
    expect([...lines.keys()].sort()).toEqual(cases.map((fuzzCase) => join("cases", fuzzCase.file)).sort());
    expect(cli.code).toBe([...lines.values()].some((line) => line.error) ? 1 : 0);

    const problems: string[] = [];
    for (const fuzzCase of cases) {
      const line = lines.get(join("cases", fuzzCase.file))!;
      const found = line.error ? cliErrorProblems(line) : hashProblems(line);
      found.push(...disagreement(line, outcomes.get(fuzzCase.file)!));
      problems.push(...found.map((problem) => `${describeCase(fuzzCase)}: ${problem}`));
    }
    expect(problems).toEqual([]);
  });
});

function libraryErrorProblems(error: unknown): string[] {
  if (!(error instanceof HashError)) return [`threw ${String(error)} instead of a HashError`];
  const problems = messageProblems(error.message);
  if (!DECODE_CODES.includes(error.code)) problems.push(`code ${error.code} is not a decoding code`);
  return problems;
}

function cliErrorProblems(line: HashLine): string[] {
  const { code, message } = line.error!;
  const problems = messageProblems(message);
  if (!isErrorCode(code)) problems.push(`code ${JSON.stringify(code)} is not one of src/errors.ts's`);
  if (line.pdq !== undefined) problems.push("has both an error and a hash");
  return problems;
}

/** The worker that hashed the file in the CLI runs the same decoder and engine as this process. */
function disagreement(line: HashLine, outcome: LibraryOutcome): string[] {
  if (outcome.ok) {
    const { pdq, quality, width, height } = outcome.hash;
    const same = line.pdq === pdq && line.quality === quality && line.width === width && line.height === height;
    return same ? [] : [`CLI printed ${JSON.stringify(line)}, the library gave ${JSON.stringify({ pdq, quality, width, height })}`];
  }
  const code = outcome.error instanceof HashError ? outcome.error.code : "(not a HashError)";
  return line.error?.code === code ? [] : [`CLI printed ${JSON.stringify(line)}, the library failed with ${code}`];
}
