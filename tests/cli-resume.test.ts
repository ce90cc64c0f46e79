/**
 * `--output` and `--resume` on the built CLI, run as a child process on a generated photo set: runs stopped by
 * SIGINT, SIGTERM and SIGKILL at seeded random points, then resumed, end with exactly the lines of an
 * uninterrupted run (each file once; order is completion order, so lines are compared sorted); damage a crash
 * can leave is repaired; changed files are hashed again; a FILE made with other options is refused.
 *
 * @module-tag slow
 */
import { execFile, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, truncate, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatJournalEntry, formatJournalHeader, type RunSettings } from "../cli/results-journal.js";
import type { RunSummary } from "../cli/run-summary.js";
import { assertCliBuilt, byPath, jsonLines, runCli, type CliRun } from "./support/cli.js";
import { writeLoadSet } from "./support/generate-images.js";
import { SeededRandom } from "./support/mutate.js";

const FILES = 300;
/** Large pictures, spread through the set so that every stretch of it takes a while. */
const LARGE = 6;
/** Pictures the set holds besides the generated ones: one fails as empty, one as not a picture. */
const EXTRA_FILES = 2;
const TOTAL = FILES + EXTRA_FILES;

let root: string;
/** The uninterrupted run's stdout, by format. */
const reference = new Map<string, string>();
/** The uninterrupted run with --output whole.jsonl. */
let whole: CliRun;

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-resume-"));
  await writeLoadSet(join(root, "photos"), { files: FILES, large: LARGE, seed: 18 });
  await writeFile(join(root, "photos", "empty.jpg"), new Uint8Array(0));
  await writeFile(join(root, "photos", "noise.png"), Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 251));
  await writeFile(join(root, "photos", "notes.txt"), "not a picture\n");
  for (const format of ["jsonl", "csv", "signals"]) {
    const run = await runCli(["--workers", "2", "--format", format, "photos"], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    reference.set(format, run.stdout);
  }
  // A finished FILE, which most tests below copy or resume.
  whole = await runCli(["--workers", "2", "--output", "whole.jsonl", "photos"], { cwd: root });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The lines of a result text, sorted; CSV's header row stays first. */
function sortedLines(text: string, format = "jsonl"): string[] {
  const end = format === "csv" ? "\r\n" : "\n";
  const lines = text.split(end);
  expect(lines.pop()).toBe("");
  const header = format === "csv" ? lines.splice(0, 1) : [];
  return [...header, ...lines.sort()];
}

function countLines(path: string): number {
  try {
    const text = readFileSync(path, "latin1");
    let lines = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
    return lines;
  } catch {
    return 0;
  }
}

interface Stop {
  signal: NodeJS.Signals;
  /** Stop once FILE exists and has this many lines (header included); -1: at once, before the process has even started. */
  afterLines: number;
}

/** Runs the CLI and sends `stop.signal` once FILE has `stop.afterLines` lines. */
function runStopped(args: readonly string[], file: string, stop: Stop): Promise<CliRun & { sent: boolean }> {
  let sent = false;
  const send = (child: ChildProcess) => (sent = child.kill(stop.signal));
  return runCli(args, {
    cwd: root,
    onSpawn(child) {
      if (stop.afterLines < 0) return send(child);
      const poll = setInterval(() => {
        if (!existsSync(join(root, file)) || countLines(join(root, file)) < stop.afterLines) return;
        clearInterval(poll);
        send(child);
      }, 5);
      child.on("exit", () => clearInterval(poll));
    },
  }).then((run) => ({ ...run, sent }));
}

function readSummary(file: string): RunSummary {
  return JSON.parse(readFileSync(join(root, `${file}.summary.json`), "utf8")) as RunSummary;
}

describe("--output FILE", () => {
  it("gets exactly the lines stdout would get, stdout stays empty, and a summary is written beside it", async () => {
    const run = whole;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    const text = await readFile(join(root, "whole.jsonl"), "utf8");
    expect(sortedLines(text)).toEqual(sortedLines(reference.get("jsonl")!));
    const summary = readSummary("whole.jsonl");
    expect(summary).toMatchObject({ status: "complete", interruptedBy: null, exitCode: 1, rewritten: false, repairs: null });
    expect(summary.thisRun).toMatchObject({ files: TOTAL, pdq: FILES, failed: 2, skipped: 1, alreadyDone: 0 });
    expect(summary.thisRun.errors).toEqual({ empty: 1, "not-an-image": 1 });
    expect(summary.results).toEqual({ files: TOTAL, pdq: FILES, md5: 0, failed: 2, errors: { empty: 1, "not-an-image": 1 } });
    expect(run.stderr).toMatch(new RegExp(`^ncii-hash: ${FILES} hashed, 2 failed \\(1 empty, 1 not-an-image\\), 1 skipped \\(not pictures\\); [\\d.]+ s\\n`));
    expect(run.stderr).toContain(`ncii-hash: whole.jsonl holds ${TOTAL} files: ${FILES} hashed, 2 failed (1 empty, 1 not-an-image); summary in whole.jsonl.summary.json\n`);
  });

  it("refuses an existing FILE without --resume, and --resume without --output", async () => {
    const before = await readFile(join(root, "whole.jsonl"));
    const again = await runCli(["--output", "whole.jsonl", "photos"], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("ncii-hash: whole.jsonl already exists: add --resume to carry on from it, or choose a new --output file\n");
    expect(await readFile(join(root, "whole.jsonl"))).toEqual(before);
    const alone = await runCli(["--resume", "photos"], { cwd: root });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--resume carries on an --output FILE/);
  });
});

describe("stopped at random points, then resumed", () => {
  const random = new SeededRandom(18);
  /** A point in the first 80% of the set, so the stop lands while files are still being hashed. */
  const somewhere = (from = 0) => from + 1 + random.below(Math.floor((TOTAL - from) * 0.8));
  const scenarios: { name: string; format: string; workers: string; stop: Stop }[] = [
    { name: "SIGKILL", format: "jsonl", workers: "1", stop: { signal: "SIGKILL", afterLines: somewhere() } },
    { name: "SIGKILL, two workers", format: "jsonl", workers: "2", stop: { signal: "SIGKILL", afterLines: somewhere() } },
    { name: "SIGINT", format: "jsonl", workers: "1", stop: { signal: "SIGINT", afterLines: somewhere() } },
    { name: "SIGTERM", format: "jsonl", workers: "2", stop: { signal: "SIGTERM", afterLines: somewhere() } },
    { name: "SIGKILL once FILE exists, before its first line", format: "jsonl", workers: "1", stop: { signal: "SIGKILL", afterLines: 0 } },
    { name: "SIGKILL before the process starts", format: "jsonl", workers: "1", stop: { signal: "SIGKILL", afterLines: -1 } },
    { name: "CSV, SIGKILL", format: "csv", workers: "1", stop: { signal: "SIGKILL", afterLines: 1 + somewhere() } },
    { name: "CSV, SIGINT", format: "csv", workers: "2", stop: { signal: "SIGINT", afterLines: 1 + somewhere() } },
    { name: "signal records (no paths in the lines), SIGKILL", format: "signals", workers: "1", stop: { signal: "SIGKILL", afterLines: somewhere() } },
  ];

  for (const scenario of scenarios) {
    it(`${scenario.name}: the resumed FILE holds exactly the uninterrupted run's lines`, async () => {
      const file = `stopped-${scenario.name.replace(/\W+/g, "-")}.${scenario.format}`;
      const args = ["--workers", scenario.workers, "--format", scenario.format, "--output", file, "--resume", "photos"];
      const { stop } = scenario;
      const run = await runStopped(args, file, stop);
      expect(run.sent).toBe(true);
      const linesAtStop = countLines(join(root, file));
      expect(linesAtStop, "stopped after the set was done: the stop came too late to test anything").toBeLessThan(FILES);
      if (stop.signal === "SIGKILL" || stop.afterLines < 0) expect(run.signal).toBe(stop.signal);
      else {
        expect(run.code, run.stderr).toBe(stop.signal === "SIGINT" ? 130 : 143);
        expect(run.stderr).toContain(`stopped by ${stop.signal}`);
        expect(run.stderr).toContain("run the same command with --resume to carry on");
        expect(readSummary(file)).toMatchObject({ status: "interrupted", interruptedBy: stop.signal, exitCode: run.code });
      }
      const resumed = await runCli(args, { cwd: root });
      expect(resumed.code, resumed.stderr).toBe(1);
      const text = await readFile(join(root, file), "utf8");
      expect(sortedLines(text, scenario.format)).toEqual(sortedLines(reference.get(scenario.format)!, scenario.format));
      const summary = readSummary(file);
      expect(summary.results.files).toBe(TOTAL);
      expect(summary.thisRun.files + summary.thisRun.alreadyDone).toBe(TOTAL);
      if (stop.afterLines > 2) expect(summary.thisRun.alreadyDone).toBeGreaterThan(0);
    });
  }

  it("stopped again and again (SIGINT, SIGKILL, SIGTERM, SIGKILL), two workers: still exactly the uninterrupted lines", async () => {
    const file = "stopped-repeatedly.jsonl";
    const args = ["--workers", "2", "--output", file, "--resume", "photos"];
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGKILL", "SIGTERM", "SIGKILL"];
    for (const signal of signals) {
      const linesSoFar = countLines(join(root, file));
      const run = await runStopped(args, file, { signal, afterLines: linesSoFar + 1 + random.below(Math.floor((TOTAL - linesSoFar) * 0.3)) });
      expect(run.sent).toBe(true);
      expect(countLines(join(root, file))).toBeLessThan(TOTAL);
    }
    const resumed = await runCli(args, { cwd: root });
    expect(resumed.code, resumed.stderr).toBe(1);
    const lines = jsonLines(await readFile(join(root, file), "utf8"));
    expect(byPath(lines).size).toBe(TOTAL);
    expect(sortedLines(await readFile(join(root, file), "utf8"))).toEqual(sortedLines(reference.get("jsonl")!));
  });

  it("resuming a finished FILE hashes nothing and leaves it as it is", async () => {
    const before = await readFile(join(root, "whole.jsonl"));
    const run = await runCli(["--workers", "2", "--output", "whole.jsonl", "--resume", "photos"], { cwd: root });
    expect(run.code).toBe(1);
    expect(await readFile(join(root, "whole.jsonl"))).toEqual(before);
    expect(readSummary("whole.jsonl").thisRun).toMatchObject({ files: 0, alreadyDone: TOTAL, skipped: 1 });
    expect(run.stderr).toContain(`0 hashed, 0 failed, 1 skipped (not pictures), ${TOTAL} already in whole.jsonl`);
  });
});

describe("damage left by a crash is repaired on --resume", () => {
  /** A finished FILE copied under a new name, damaged by `damage`, then resumed. */
  async function resumeDamaged(name: string, damage: (file: string, journal: string) => Promise<void>) {
    const file = `damaged-${name}.jsonl`;
    await cp(join(root, "whole.jsonl"), join(root, file));
    await cp(join(root, "whole.jsonl.journal"), join(root, `${file}.journal`));
    await damage(join(root, file), join(root, `${file}.journal`));
    const run = await runCli(["--workers", "2", "--output", file, "--resume", "photos"], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    expect(sortedLines(await readFile(join(root, file), "utf8"))).toEqual(sortedLines(reference.get("jsonl")!));
    return { run, summary: readSummary(file) };
  }

  it("a torn last line (a partial write) is cut off", async () => {
    const torn = '{"path":"photos/042.png","pdq":"8f3';
    const { run, summary } = await resumeDamaged("torn", (file) => appendFile(file, torn));
    expect(run.stderr).toContain(`damaged-torn.jsonl: cut ${torn.length} bytes after the last whole recorded line`);
    expect(summary.repairs).toEqual({ finishedRewrite: false, fileBytesCut: torn.length, entriesDropped: 0, journalBytesCut: 0 });
    expect(summary.thisRun.alreadyDone).toBe(TOTAL);
  });

  it("a whole line with no journal entry (killed between the two writes) is cut off", async () => {
    const orphan = `${reference.get("jsonl")!.split("\n")[0]!}\n`;
    const { summary } = await resumeDamaged("orphan", (file) => appendFile(file, orphan));
    expect(summary.repairs?.fileBytesCut).toBe(Buffer.byteLength(orphan));
    expect(summary.thisRun.alreadyDone).toBe(TOTAL);
  });

  it("a recorded line cut short: its entry is dropped and its file hashed again", async () => {
    let rest = 0;
    const { summary } = await resumeDamaged("short", async (file) => {
      const bytes = await readFile(file);
      rest = bytes.length - 7 - (bytes.lastIndexOf("\n", bytes.length - 2) + 1);
      await truncate(file, bytes.length - 7);
    });
    // What is left of the line goes with it.
    expect(summary.repairs).toMatchObject({ entriesDropped: 1, fileBytesCut: rest });
    expect(summary.thisRun).toMatchObject({ files: 1, alreadyDone: TOTAL - 1 });
  });

  it("a journal entry cut short is dropped; its line goes too and its file is hashed again", async () => {
    const { summary } = await resumeDamaged("journal-torn", async (_file, journal) => {
      const size = (await readFile(journal)).length;
      await truncate(journal, size - 5);
    });
    expect(summary.repairs).toMatchObject({ entriesDropped: 0, journalBytesCut: expect.any(Number) as number });
    expect(summary.repairs!.fileBytesCut).toBeGreaterThan(0);
    expect(summary.thisRun).toMatchObject({ files: 1, alreadyDone: TOTAL - 1 });
  });

  it("a changed byte in the middle (the machine crashed): lines from there on fail their checksums and are hashed again", async () => {
    const { run, summary } = await resumeDamaged("middle", async (file) => {
      const bytes = await readFile(file);
      const middle = bytes.indexOf("\n", Math.floor(bytes.length / 2)) - 3;
      bytes[middle] = bytes[middle] === 0x30 ? 0x31 : 0x30;
      await writeFile(file, bytes);
    });
    expect(run.stderr).toMatch(/dropped \d+ recorded lines that were missing or did not match their checksums/);
    const dropped = summary.repairs!.entriesDropped;
    expect(dropped).toBeGreaterThan(TOTAL / 3);
    expect(summary.thisRun).toMatchObject({ files: dropped, alreadyDone: TOTAL - dropped });
  });

  it("a rewrite stopped before its renames: the temporary files go, the old FILE stands", async () => {
    const { summary } = await resumeDamaged("stale-temporary", async (file, journal) => {
      await writeFile(`${file}.tmp`, '{"path":"photos/001.jpg","pd');
      await writeFile(`${journal}.tmp`, '{"journal":"ncii-hash results"');
    });
    expect(summary.repairs?.finishedRewrite).toBe(false);
    expect(summary.thisRun.alreadyDone).toBe(TOTAL);
    expect(existsSync(join(root, "damaged-stale-temporary.jsonl.tmp"))).toBe(false);
    expect(existsSync(join(root, "damaged-stale-temporary.jsonl.journal.tmp"))).toBe(false);
  });

  it("a FILE without its journal, or with another version's journal, is refused and left alone", async () => {
    await cp(join(root, "whole.jsonl"), join(root, "no-journal.jsonl"));
    const orphan = await runCli(["--output", "no-journal.jsonl", "--resume", "photos"], { cwd: root });
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(/no-journal\.jsonl has no journal \(no-journal\.jsonl\.journal\)/);

    await cp(join(root, "whole.jsonl"), join(root, "old-version.jsonl"));
    const journal = await readFile(join(root, "whole.jsonl.journal"), "utf8");
    await writeFile(join(root, "old-version.jsonl.journal"), journal.replace(/"tool":"[^"]*"/, '"tool":"0.0.1"'));
    const old = await runCli(["--output", "old-version.jsonl", "--resume", "photos"], { cwd: root });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/was written by ncii-hash 0\.0\.1 and this is .*Finish it with ncii-hash 0\.0\.1/);
  });
});

describe("CSV records that span lines", () => {
  it("a file name with a line break (written escaped, one line per record): a torn record is still cut cleanly", async () => {
    const folder = join(root, "odd-names");
    await mkdir(folder);
    for (const [from, to] of [["010.png", "line\nbreak.png"], ["011.jpg", 'comma, "quoted".jpg'], ["013.jpg", "plain.jpg"]]) {
      await cp(join(root, "photos", from!), join(folder, to!));
    }
    const args = ["--workers", "1", "--format", "csv", "odd-names"];
    const expected = (await runCli(args, { cwd: root })).stdout;
    const record = expected.split("\r\n").find((line) => line.includes("line\\u000abreak.png"));
    expect(record).toBeDefined();
    expect((await runCli([...args.slice(0, -1), "--output", "odd.csv", "odd-names"], { cwd: root })).code).toBe(0);
    const torn = record!.slice(0, Math.floor(record!.length / 2));
    await appendFile(join(root, "odd.csv"), torn);
    const resumed = await runCli([...args.slice(0, -1), "--output", "odd.csv", "--resume", "odd-names"], { cwd: root });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sortedLines(await readFile(join(root, "odd.csv"), "utf8"), "csv")).toEqual(sortedLines(expected, "csv"));
    expect(readSummary("odd.csv")).toMatchObject({ repairs: { fileBytesCut: Buffer.byteLength(torn) }, thisRun: { alreadyDone: 3 } });
  });
});

describe("options and inputs must match", () => {
  const changes: [string, string[], RegExp][] = [
    ["--resize", ["--resize", "fast", "photos"], /--resize full \(this run: --resize fast\)/],
    ["--dihedral", ["--dihedral", "photos"], /no --dihedral \(this run: --dihedral\)/],
    ["--orientation", ["--orientation", "ignore", "photos"], /--orientation apply \(this run: --orientation ignore\)/],
    ["--format", ["--format", "csv", "photos"], /--format jsonl \(this run: --format csv\)/],
    ["--md5", ["--md5", "photos"], /no --md5 \(this run: --md5\)/],
    ["--max-pixels", ["--max-pixels", "1000", "photos"], /--max-pixels 100000000 \(this run: --max-pixels 1000\)/],
    ["--shard", ["--shard", "0/2", "photos"], /no --shard \(this run: --shard 0\/2\)/],
    ["the inputs", ["photos/001.jpg"], /the inputs "photos" \(this run: the inputs "photos\/001\.jpg"\)/],
  ];
  for (const [name, args, message] of changes) {
    it(`a different ${name} is refused, naming both, and FILE is left alone`, async () => {
      const before = await Promise.all([readFile(join(root, "whole.jsonl")), readFile(join(root, "whole.jsonl.journal"))]);
      const run = await runCli(["--output", "whole.jsonl", "--resume", ...args], { cwd: root });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ncii-hash: --resume: whole\.jsonl was made with /);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Run with the same options and inputs, or choose a new --output file\n$/);
      expect(await Promise.all([readFile(join(root, "whole.jsonl")), readFile(join(root, "whole.jsonl.journal"))])).toEqual(before);
    });
  }

  it("--engine and --workers do not change the lines, so they may differ", async () => {
    const run = await runCli(["--engine", "js", "--workers", "0", "--output", "whole.jsonl", "--resume", "photos"], { cwd: root });
    expect(run.code).toBe(1);
    expect(readSummary("whole.jsonl").thisRun.alreadyDone).toBe(TOTAL);
  });
});

describe("files that changed since", () => {
  let tree: string;

  beforeAll(async () => {
    tree = join(root, "changing");
    await mkdir(tree);
    await cp(join(root, "photos"), join(tree, "photos"), { recursive: true });
  });

  it("a changed file is hashed again and replaces its line, a touched one too, a new one is added, a removed one goes", async () => {
    const run = (args: string[]) => runCli(["--workers", "2", ...args], { cwd: tree });
    const first = await run(["--output", "out.jsonl", "photos"]);
    expect(first.code).toBe(1);
    const before = byPath(jsonLines(await readFile(join(tree, "out.jsonl"), "utf8")));

    await cp(join(tree, "photos", "012.png"), join(tree, "photos", "010.png")); // new bytes, new size
    const later = new Date(Date.now() + 60_000);
    await utimes(join(tree, "photos", "013.jpg"), later, later); // same bytes, new mtime
    await rm(join(tree, "photos", "014.png"));
    await cp(join(tree, "photos", "015.jpg"), join(tree, "photos", "015-copy.jpg"));
    await writeFile(join(tree, "photos", "empty.jpg"), await readFile(join(tree, "photos", "016.png"))); // a failure mended

    const resumed = await run(["--output", "out.jsonl", "--resume", "photos"]);
    expect(resumed.code, resumed.stderr).toBe(1);
    const fresh = await run(["photos"]);
    const text = await readFile(join(tree, "out.jsonl"), "utf8");
    expect(sortedLines(text)).toEqual(sortedLines(fresh.stdout));
    const after = byPath(jsonLines(text));
    expect(after.get("photos/010.png")!.pdq).toBe(before.get("photos/012.png")!.pdq);
    expect(after.get("photos/010.png")!.pdq).not.toBe(before.get("photos/010.png")!.pdq);
    expect(after.has("photos/014.png")).toBe(false);
    expect(after.get("photos/015-copy.jpg")!.pdq).toBe(before.get("photos/015.jpg")!.pdq);
    expect(after.get("photos/empty.jpg")!.pdq).toBeDefined();
    const summary = JSON.parse(await readFile(join(tree, "out.jsonl.summary.json"), "utf8")) as RunSummary;
    expect(summary.thisRun).toMatchObject({ files: 4, pdq: 4, alreadyDone: TOTAL - 1 - 3 });
    expect(summary).toMatchObject({ rewritten: true, results: { files: TOTAL, failed: 1 } });
    // The rewritten journal is the new FILE's: resuming again finds every file done.
    const again = await run(["--output", "out.jsonl", "--resume", "photos"]);
    expect(again.code).toBe(1);
    expect(await readFile(join(tree, "out.jsonl"), "utf8")).toBe(text);
    expect((JSON.parse(await readFile(join(tree, "out.jsonl.summary.json"), "utf8")) as RunSummary).thisRun.alreadyDone).toBe(TOTAL);
  });

  it("a rewrite stopped between renaming its journal and its file is completed by the next --resume", async () => {
    const run = (args: string[]) => runCli(["--workers", "2", ...args], { cwd: tree });
    const paths = ["out.jsonl", "out.jsonl.journal"].map((name) => join(tree, name));
    const [oldFile] = await Promise.all(paths.map((path) => readFile(path)));
    await cp(join(tree, "photos", "018.png"), join(tree, "photos", "017.jpg"));
    const rewriting = await run(["--output", "out.jsonl", "--resume", "photos"]);
    expect(rewriting.code).toBe(1);
    const newFile = await readFile(paths[0]!);
    expect(newFile).not.toEqual(oldFile);
    // The state a stop between the two renames leaves: the new journal, the old FILE, the new FILE still at .tmp.
    await writeFile(join(tree, "out.jsonl.tmp"), newFile);
    await writeFile(paths[0]!, oldFile!);
    const resumed = await run(["--output", "out.jsonl", "--resume", "photos"]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain("out.jsonl: completed the rewrite the last run was making when it stopped");
    expect(await readFile(paths[0]!)).toEqual(newFile);
    expect(existsSync(join(tree, "out.jsonl.tmp"))).toBe(false);
    expect((JSON.parse(await readFile(join(tree, "out.jsonl.summary.json"), "utf8")) as RunSummary).thisRun.alreadyDone).toBe(TOTAL);
  });
});

describe("500,000 recorded files", () => {
  const ENTRIES = 500_000;
  const MB = 1024 * 1024;
  const settings: RunSettings = { format: "jsonl", md5: false, resize: "full", orientation: "apply", dihedral: false, maxPixels: 1e8, shard: null, inputs: ["archive"] };

  /** A FILE and journal as a run over an archive of camera photos would leave them (lines of about 150 bytes). */
  function writeSyntheticResults(file: string): void {
    const fileFd = openSync(file, "w");
    const journalFd = openSync(`${file}.journal`, "w");
    writeSync(journalFd, formatJournalHeader({ tool: "0.1.0", settings }));
    for (let start = 0; start < ENTRIES; start += 10_000) {
      const lines: Buffer[] = [];
      let entries = "";
      for (let i = start; i < start + 10_000; i++) {
        const path = `archive/${2010 + (i % 15)}/${String((i % 12) + 1).padStart(2, "0")}/IMG_${String(i).padStart(7, "0")}.jpg`;
        const pdq = ((i * 2654435761) >>> 0).toString(16).padStart(8, "0").repeat(8);
        const line = Buffer.from(JSON.stringify({ path, pdq, quality: 100, width: 4032, height: 3024 }) + "\n");
        lines.push(line);
        entries += formatJournalEntry({ path, size: 2_000_000 + i, mtimeMs: 1.7e12 + i * 1000.125, outcome: "pdq", length: line.length, crc: crc32(line) });
      }
      writeSync(fileFd, Buffer.concat(lines));
      writeSync(journalFd, entries);
    }
    closeSync(fileFd);
    closeSync(journalFd);
  }

  /** In a fresh process: the resume state's live heap after a full GC, and the process's peak resident set. */
  async function measureLoad(file: string | undefined): Promise<{ paths: number; liveBytes: number; peakRss: number; seconds: number }> {
    const dist = (name: string) => fileURLToPath(new URL(`../dist/cli/${name}`, import.meta.url));
    const script = `
      import { readFileSync } from "node:fs";
      import { loadResults } from ${JSON.stringify(dist("resume.js"))};
      import { resultsPaths } from ${JSON.stringify(dist("results-journal.js"))};
      const file = ${JSON.stringify(file ?? null)};
      const started = performance.now();
      const loaded = file && (await loadResults(resultsPaths(file), { fileHeader: "", journal: { tool: "0.1.0", settings: ${JSON.stringify(settings)} } }));
      globalThis.gc();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      const peakRss = Number(/^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
      const seconds = (performance.now() - started) / 1000;
      console.log(JSON.stringify({ paths: loaded ? loaded.index.paths : 0, liveBytes: heapUsed + arrayBuffers, peakRss, seconds }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { maxBuffer: MB });
    return JSON.parse(stdout) as { paths: number; liveBytes: number; peakRss: number; seconds: number };
  }

  it("loading them for --resume keeps under 100 MB live and 250 MB peak resident", async () => {
    const file = join(root, "synthetic-500k.jsonl");
    writeSyntheticResults(file);
    const baseline = await measureLoad(undefined);
    const loaded = await measureLoad(file);
    expect(loaded.paths).toBe(ENTRIES);
    const live = loaded.liveBytes - baseline.liveBytes;
    // Measured: about 52 MB live (36 MB of paths in a Map, 16 MB of packed arrays), 165-200 MB peak (parsing garbage).
    // The time is reported for the README, never judged.
    console.log(
      `resume state for ${ENTRIES} files: ${(live / MB).toFixed(0)} MB live, peak RSS ${(loaded.peakRss / MB).toFixed(0)} MB ` +
        `(an empty process: ${(baseline.peakRss / MB).toFixed(0)} MB), read and checked in ${loaded.seconds.toFixed(1)} s`,
    );
    expect(live).toBeLessThan(100 * MB);
    expect(loaded.peakRss).toBeLessThan(250 * MB);
    await rm(file);
    await rm(`${file}.journal`);
  });
});
