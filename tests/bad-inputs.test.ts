/**
 * The CLI over the generated folder of bad and odd inputs: one line per file, every picture hashed as the pixel
 * policy says (proved by files that must hash like each other), every bad file named with its error code.
 *
 * @module-tag e2e
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hammingDistance, PDQ_MATCH_THRESHOLD } from "../src/hash/pdq-hash.js";
import { writeBadInputCorpus, type BadInputCase } from "./support/bad-inputs.js";
import { assertCliBuilt, byPath, jsonLines, runCli, type CliRun, type HashLine } from "./support/cli.js";

let root: string;
let cases: BadInputCase[];
let run: CliRun;
let lines: Map<string, HashLine>;

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-bad-inputs-"));
  cases = await writeBadInputCorpus(join(root, "inputs"));
  run = await runCli(["inputs"], { cwd: root });
  lines = byPath(jsonLines(run.stdout));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const pathOf = (file: string) => join("inputs", file);

/** Everything wrong with one file's line, as readable sentences naming the file. */
function problemsWith(spec: BadInputCase): string[] {
  const line = lines.get(pathOf(spec.file));
  if (!line) return [`${spec.file}: no output line`];
  if (spec.error) {
    return line.error?.code === spec.error ? [] : [`${spec.file}: expected error ${spec.error}, got ${JSON.stringify(line)}`];
  }
  if (line.error || !line.pdq) return [`${spec.file}: expected a hash, got ${JSON.stringify(line.error)}`];
  const problems: string[] = [];
  const other = (file: string) => lines.get(pathOf(file))?.pdq;
  if (spec.sameHashAs && line.pdq !== other(spec.sameHashAs)) {
    problems.push(`${spec.file}: hash differs from ${spec.sameHashAs}`);
  }
  if (spec.near) {
    const reference = other(spec.near.file);
    const bits = reference ? hammingDistance(line.pdq, reference) : Infinity;
    if (bits > spec.near.maxBits) problems.push(`${spec.file}: ${bits} bits from ${spec.near.file} (at most ${spec.near.maxBits})`);
  }
  if (spec.pdq !== undefined && line.pdq !== spec.pdq) problems.push(`${spec.file}: pdq ${line.pdq}, expected ${spec.pdq}`);
  if (spec.quality !== undefined && line.quality !== spec.quality) problems.push(`${spec.file}: quality ${line.quality}, expected ${spec.quality}`);
  if (spec.width !== undefined && (line.width !== spec.width || line.height !== spec.height)) {
    problems.push(`${spec.file}: ${line.width}x${line.height}, expected ${spec.width}x${spec.height}`);
  }
  return problems;
}

describe("ncii-hash over the bad-input folder", () => {
  it("exits 1 and prints exactly one line per file", () => {
    expect(run.code).toBe(1);
    expect([...lines.keys()].sort()).toEqual(cases.map((spec) => pathOf(spec.file)).sort());
    expect(run.stderr).toMatch(/failed/);
  });

  it("covers both outcomes", () => {
    expect(cases.filter((spec) => spec.error).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((spec) => !spec.error).length).toBeGreaterThanOrEqual(20);
  });

  it("hashes every picture per the pixel policy and names every bad file's code", () => {
    expect(cases.flatMap(problemsWith)).toEqual([]);
  });

  it("gives every error a message a person can act on", () => {
    for (const line of lines.values()) {
      if (line.error) expect(line.error.message, line.path).toMatch(/^This .{20,}\.$/);
    }
  });

  it("really applies EXIF orientation: ignored, the eight files are eight different pictures", async () => {
    const oriented = cases.filter((spec) => spec.file.startsWith("exif-orientation-")).map((spec) => pathOf(spec.file));
    expect(oriented).toHaveLength(8);
    const stored = byPath(jsonLines((await runCli(["--orientation", "ignore", ...oriented], { cwd: root })).stdout));
    const upright = stored.get(oriented[0]!)!.pdq!;
    const problems: string[] = [];
    for (const [index, path] of oriented.entries()) {
      const line = stored.get(path)!;
      const swapped = index + 1 >= 5;
      if ((line.width === 400) !== swapped) problems.push(`${path}: stored size ${line.width}x${line.height}`);
      if (index > 0 && hammingDistance(line.pdq!, upright) <= PDQ_MATCH_THRESHOLD) problems.push(`${path}: stored grid hashes like the upright one`);
    }
    expect(problems).toEqual([]);
  });
});
