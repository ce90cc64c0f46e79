/**
 * `--shard INDEX/COUNT`: the assignment on 100,000 generated paths (disjoint and complete by construction,
 * balanced, the documented formula), the option's errors, and end to end on a generated tree: shards are
 * disjoint, complete and balanced whatever the mount point, and the README's Kubernetes Indexed Job (parsed as
 * YAML) runs as written, one shard per index, and merges with the README's commands into the whole set's lines.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { RunSummary } from "../cli/run-summary.js";
import { keyBelowFolder, keyOfNamedPath, MAX_SHARDS, parseShard, shardOf } from "../cli/shard.js";
import { assertCliBuilt, byPath, jsonLines, runCli } from "./support/cli.js";
import { writeLoadSet } from "./support/generate-images.js";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/ncii-hash.cjs", import.meta.url));

/** 100,000 distinct relative paths in the shapes archives have: camera folders, phone exports, numbered scans. */
function syntheticPaths(): string[] {
  return Array.from({ length: 100_000 }, (_, i) => {
    const year = 2005 + (i % 20);
    const month = String(1 + ((i >> 3) % 12)).padStart(2, "0");
    if (i % 3 === 0) return `${year}/${month}/IMG_${String(i).padStart(5, "0")}.JPG`;
    if (i % 3 === 1) return `DCIM/${100 + (i % 7)}APPLE/IMG_${i}.HEIC`;
    return `scans/box-${i % 50}/scan-${String(i).padStart(6, "0")}.png`;
  });
}

describe("the assignment", () => {
  const paths = syntheticPaths();

  it("follows the documented formula: floor(first 4 bytes of SHA-256, big-endian, * COUNT / 2^32)", () => {
    for (const key of ["2019/06/IMG_0001.jpg", "a/b.jpg", "ü/日本.png", ""]) {
      const u32 = createHash("sha256").update(Buffer.from(key, "utf8")).digest().readUInt32BE(0);
      for (const count of [1, 2, 7, 8, 100_000, MAX_SHARDS]) expect(shardOf(key, count)).toBe(Math.floor((u32 * count) / 2 ** 32));
    }
    // Pinned, so a change of the assignment (which would split a running job's shards differently) cannot pass.
    expect([0, 1, 2, 3].map((i) => shardOf(`2019/06/IMG_000${i}.jpg`, 8))).toEqual([2, 5, 1, 7]);
  });

  it("puts each of 100,000 paths in exactly one shard, and every shard within 2% of N/COUNT for up to 10 shards, within 4 standard deviations for more", { tags: ["slow"] }, () => {
    expect(new Set(paths).size).toBe(paths.length);
    for (const count of [2, 3, 4, 8, 10, 16, 64, 100]) {
      const sizes = new Array<number>(count).fill(0);
      const outside: string[] = [];
      for (const path of paths) {
        const shard = shardOf(path, count);
        if (Number.isInteger(shard) && shard >= 0 && shard < count) sizes[shard]!++;
        else outside.push(path);
      }
      expect(outside).toEqual([]);
      const expected = paths.length / count;
      const deviation = Math.max(...sizes.map((size) => Math.abs(size - expected)));
      const sigma = Math.sqrt(paths.length * (1 / count) * (1 - 1 / count));
      if (count <= 10) expect(deviation / expected, `${count} shards: ${sizes.join(", ")}`).toBeLessThan(0.02);
      expect(deviation, `${count} shards: ${sizes.join(", ")}`).toBeLessThan(4 * sigma);
    }
  });

  it("keys: paths below a folder with / on every system; named paths normalised to the same key", () => {
    expect(keyBelowFolder("2019/06/a.jpg")).toBe("2019/06/a.jpg");
    expect(keyOfNamedPath("./2019//06/a.jpg")).toBe("2019/06/a.jpg");
    expect(keyOfNamedPath("2019/06/./a.jpg")).toBe("2019/06/a.jpg");
  });
});

describe("--shard values", () => {
  it("INDEX/COUNT, and auto/COUNT from JOB_COMPLETION_INDEX", () => {
    expect(parseShard("0/8", {})).toEqual({ index: 0, count: 8 });
    expect(parseShard("7/8", {})).toEqual({ index: 7, count: 8 });
    expect(parseShard("auto/8", { JOB_COMPLETION_INDEX: "5" })).toEqual({ index: 5, count: 8 });
    expect(parseShard("0/1", {})).toEqual({ index: 0, count: 1 });
  });

  const refused: [string, Record<string, string>, RegExp][] = [
    ["8/8", {}, /--shard index 8 must be below COUNT 8: shards are numbered 0 to 7/],
    ["1/0", {}, /--shard COUNT must be from 1 to 1000000, not 0/],
    ["0/1000001", {}, /--shard COUNT must be from 1 to 1000000/],
    ["-1/2", {}, /--shard must be INDEX\/COUNT or auto\/COUNT \(e\.g\. 0\/8\), not "-1\/2"/],
    ["1/2/3", {}, /--shard must be INDEX\/COUNT or auto\/COUNT/],
    ["one/2", {}, /--shard must be INDEX\/COUNT or auto\/COUNT/],
    ["auto/4", {}, /--shard auto\/4 reads the shard index from JOB_COMPLETION_INDEX, which is not set/],
    ["auto/4", { JOB_COMPLETION_INDEX: "" }, /JOB_COMPLETION_INDEX, which is not set/],
    ["auto/4", { JOB_COMPLETION_INDEX: "x" }, /JOB_COMPLETION_INDEX must be a whole number, not "x"/],
    ["auto/4", { JOB_COMPLETION_INDEX: "4" }, /--shard index 4 \(from JOB_COMPLETION_INDEX\) must be below COUNT 4/],
  ];
  for (const [value, env, message] of refused) {
    it(`refuses ${value}${env.JOB_COMPLETION_INDEX === undefined ? "" : ` with JOB_COMPLETION_INDEX=${JSON.stringify(env.JOB_COMPLETION_INDEX)}`}`, () => {
      expect(() => parseShard(value, env)).toThrow(message);
    });
  }

  it("the CLI says so in one line and exits 2; match and dupes refuse --shard and --output", { tags: ["e2e"] }, async () => {
    assertCliBuilt();
    const env = { ...process.env, JOB_COMPLETION_INDEX: undefined };
    const run = await runCli(["--shard", "auto/4", "."], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "ncii-hash: --shard auto/4 reads the shard index from JOB_COMPLETION_INDEX, which is not set (a Kubernetes Indexed Job sets it) (see ncii-hash --help)\n",
    );
    const out = await runCli(["--shard", "4/4", "."]);
    expect(out.code).toBe(2);
    const dupes = await runCli(["dupes", "--shard", "0/2", "."]);
    expect(dupes.code).toBe(2);
    expect(dupes.stderr).toMatch(/--output, --resume and --shard are for plain hashing/);
  });
});

describe("on a generated tree", { tags: ["slow"] }, () => {
  let root: string;
  let reference: string;
  let referenceCsv: string;
  let referenceSkipped: number;
  const FILES = 3 * 70 + 1;

  beforeAll(async () => {
    assertCliBuilt();
    root = await mkdtemp(join(tmpdir(), "ncii-shard-"));
    const archive = join(root, "archive");
    await writeLoadSet(join(archive, "2019", "06"), { files: 70, large: 0, seed: 1 });
    await writeLoadSet(join(archive, "2019", "07"), { files: 70, large: 0, seed: 2 });
    await writeLoadSet(join(archive, "scans"), { files: 70, large: 0, seed: 3 });
    await writeFile(join(archive, "scans", "broken.jpg"), Uint8Array.from({ length: 2000 }, (_, i) => (i * 31 + 7) % 256));
    for (const folder of ["2019", "scans", join("2019", "06")]) await writeFile(join(archive, folder, "notes.txt"), "not a picture\n");
    const full = await runCli(["--workers", "2", "archive"], { cwd: root });
    expect(full.code, full.stderr).toBe(1);
    reference = full.stdout;
    referenceSkipped = Number(/(\d+) skipped/.exec(full.stderr)![1]);
    expect(referenceSkipped).toBe(3);
    referenceCsv = (await runCli(["--workers", "2", "--format", "csv", "archive"], { cwd: root })).stdout;
    expect(jsonLines(reference)).toHaveLength(FILES);
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const sorted = (text: string) => text.split("\n").filter((line) => line !== "").sort();

  it("4 shards are disjoint, their union is the whole set, each holds a fair share, and the mount point does not matter", async () => {
    const shards = [];
    for (let index = 0; index < 4; index++) {
      const run = await runCli(["--workers", "1", "--shard", `${index}/4`, "archive"], { cwd: root });
      expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
      expect(run.stderr).toMatch(new RegExp(`^ncii-hash: shard ${index}/4: \\d+ hashed`));
      shards.push(jsonLines(run.stdout));
    }
    const union = shards.flat();
    expect(byPath(union).size).toBe(FILES); // byPath throws on a path in two shards
    expect(union.map((line) => JSON.stringify(line)).sort()).toEqual(sorted(reference));
    for (const shard of shards) {
      expect(shard.length).toBeGreaterThan(FILES / 4 / 1.5);
      expect(shard.length).toBeLessThan((FILES / 4) * 1.5);
    }
    // Reached through another path (an absolute one here, as another machine's mount point would be): the same files.
    const elsewhere = await runCli(["--workers", "1", "--shard", "2/4", join(root, "archive")]);
    const relative = jsonLines(elsewhere.stdout).map((line) => line.path.slice(root.length + 1));
    expect(relative.sort()).toEqual(shards[2]!.map((line) => line.path).sort());
  });

  it("the README's Indexed Job: valid YAML for a Kubernetes Indexed Job whose command uses --shard auto/COUNT", async () => {
    const job = readmeJob();
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.kind).toBe("Job");
    const { spec } = job;
    expect(spec.completionMode).toBe("Indexed");
    expect(spec.completions).toBeGreaterThan(1);
    expect(spec.parallelism).toBe(spec.completions);
    // backoffLimitPerIndex and podFailurePolicy are only accepted with restartPolicy Never.
    expect(spec.template.spec.restartPolicy).toBe("Never");
    expect(spec.podReplacementPolicy).toBe("Failed");
    const [container] = spec.template.spec.containers;
    expect(container.args).toHaveLength(1);
    const script = container.args[0]!;
    expect(script).toContain(`--shard auto/${spec.completions} `);
    expect(script).toMatch(/--output "\/results\/shard-\$JOB_COMPLETION_INDEX\.jsonl" --resume \/archive;/);
    const mounts = new Map(container.volumeMounts.map((mount) => [mount.mountPath, mount.name]));
    expect(mounts.get("/archive")).toBe("archive");
    expect(mounts.get("/results")).toBe("results");
    expect(readmeMergeCommands()[0]).toContain(`length == ${spec.completions}`);
  });

  it("run as written, one pod per index, then merged with the README's commands: the whole set's lines, each once", async () => {
    const job = readmeJob();
    const count = job.spec.completions;
    const [container] = job.spec.template.spec.containers;
    const script = container.args[0]!.replaceAll("/archive", join(root, "archive")).replaceAll("/results", join(root, "results"));
    await mkdir(join(root, "results"));
    // `ncii-hash` on the PATH, as in the image.
    const bin = join(root, "bin");
    await mkdir(bin);
    await writeFile(join(bin, "ncii-hash"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(join(bin, "ncii-hash"), 0o755);
    const run = promisify(execFile);
    for (let index = 0; index < count; index++) {
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, JOB_COMPLETION_INDEX: String(index) };
      // Exit status 1 (the broken picture's shard) counts as done: the command exits 0 for every index.
      await run(container.command[0]!, [...container.command.slice(1), script], { cwd: root, env });
    }
    const summaries = await Promise.all(
      Array.from({ length: count }, async (_, index) => JSON.parse(await readFile(join(root, "results", `shard-${index}.jsonl.summary.json`), "utf8")) as RunSummary),
    );
    expect(summaries.reduce((sum, summary) => sum + summary.results.files, 0)).toBe(FILES);
    expect(summaries.reduce((sum, summary) => sum + summary.thisRun.skipped, 0)).toBe(referenceSkipped);
    expect(summaries.reduce((sum, summary) => sum + summary.results.failed, 0)).toBe(1);

    const [check, mergeJsonl, mergeCsv] = readmeMergeCommands();
    await run("sh", ["-c", check!], { cwd: root });
    await run("sh", ["-c", mergeJsonl!], { cwd: root });
    // The pods were given the archive's absolute path, as /archive in the manifest: the lines name files by it.
    const merged = jsonLines(await readFile(join(root, "archive.jsonl"), "utf8"));
    expect(byPath(merged).size).toBe(FILES);
    const relative = merged.map((line) => JSON.stringify({ ...line, path: line.path.slice(root.length + 1) }));
    expect(relative.sort()).toEqual(sorted(reference));

    // CSV shards, merged with the README's awk line: one header row, then every record once.
    for (let index = 0; index < 3; index++) {
      const csv = await runCli(["--shard", `${index}/3`, "--format", "csv", "--output", `results/shard-${index}.csv`, "archive"], { cwd: root });
      expect(csv.code === 0 || csv.code === 1, csv.stderr).toBe(true);
    }
    await run("sh", ["-c", mergeCsv!], { cwd: root });
    const mergedCsv = (await readFile(join(root, "archive.csv"), "utf8")).split("\r\n");
    const referenceRows = referenceCsv.split("\r\n");
    expect(mergedCsv[0]).toBe(referenceRows[0]);
    expect(mergedCsv.slice(1).sort()).toEqual(referenceRows.slice(1).sort());
  });

  it("a shard that is not finished fails the README's completeness check", async () => {
    const [check] = readmeMergeCommands();
    const summary = join(root, "results", "shard-0.jsonl.summary.json");
    const finished = await readFile(summary, "utf8");
    await writeFile(summary, finished.replace('"status": "complete"', '"status": "interrupted"'));
    await expect(promisify(execFile)("sh", ["-c", check!], { cwd: root })).rejects.toMatchObject({ code: 1 });
    await writeFile(summary, finished);
  });
});

interface IndexedJob {
  apiVersion: string;
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    podReplacementPolicy: string;
    template: {
      spec: {
        restartPolicy: string;
        containers: { command: string[]; args: string[]; volumeMounts: { name: string; mountPath: string }[] }[];
      };
    };
  };
}

/** The README section on large archives, from its heading to the next. */
function readmeSection(): string {
  const readme = readFileSync(README, "utf8");
  const start = readme.indexOf("## Large archives: resume and shards");
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end);
}

function readmeJob(): IndexedJob {
  const block = /```yaml\n([\s\S]*?)```/.exec(readmeSection());
  expect(block).not.toBeNull();
  return parseYaml(block![1]!) as IndexedJob;
}

/** The completeness check and the two merge commands, comments removed. */
function readmeMergeCommands(): string[] {
  const block = /```sh\n(jq [\s\S]*?)```/.exec(readmeSection());
  expect(block).not.toBeNull();
  const lines = block![1]!.split("\n").filter((line) => line.trim() !== "");
  expect(lines).toHaveLength(3);
  return lines.map((line) => line.replace(/\s+# .*$/, ""));
}

