/**
 * The `ncii-hash` contract, run as a child process on the built CLI: output shape, exit codes, folder walking
 * and skipping, CSV, dihedral variants and the options, checked against the reference's hashes where they exist.
 *
 * @module-tag e2e
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { walkPaths } from "../cli/walk.js";
import { byPath, assertCliBuilt, jsonLines, runCli } from "./support/cli.js";
import { CORPUS, readExpected, VECTORS } from "./support/fixtures.js";

let root: string;

const ASTRONAUT = "skimage-astronaut.png";
const GRAF_JPEG = "opencv-graf1.q90.jpg";
const expectedFull = new Map(readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => [row.file, row]));
const expectedCli = new Map(readExpected(`${CORPUS}expected.tsv`).map((row) => [row.file, row]));
const expectedDihedral = new Map(readExpected(`${CORPUS}expected-dihedral.tsv`).map((row) => [row.file, row]));

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-cli-"));
  // photos/
  //   a-astronaut.png, b-graf.jpg, no-extension (a PNG), noise.jpg (random bytes), notes.txt
  //   sub/c-camera.png, sub/readme.md
  const photos = join(root, "photos");
  await mkdir(join(photos, "sub"), { recursive: true });
  await copyFile(join(CORPUS, ASTRONAUT), join(photos, "a-astronaut.png"));
  await copyFile(join(CORPUS, GRAF_JPEG), join(photos, "b-graf.jpg"));
  await copyFile(join(CORPUS, "skimage-page.png"), join(photos, "no-extension"));
  await writeFile(join(photos, "noise.jpg"), Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
  await writeFile(join(photos, "notes.txt"), "passport number is not here\n");
  await copyFile(join(CORPUS, "skimage-camera.png"), join(photos, "sub", "c-camera.png"));
  await writeFile(join(photos, "sub", "readme.md"), "# hello\n");
  await copyFile(join(CORPUS, ASTRONAUT), join(root, 'odd, "quoted" name.png'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("output", () => {
  it("one JSON object per file with exactly path, pdq, quality, width, height", async () => {
    const run = await runCli([join("photos", "a-astronaut.png")], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("");
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(["path", "pdq", "quality", "width", "height"]);
    const reference = expectedFull.get(ASTRONAUT)!;
    expect(record).toEqual({ path: join("photos", "a-astronaut.png"), pdq: reference.pdq, quality: reference.quality, width: 512, height: 512 });
  });

  it("--resize 512 and --dihedral give the reference command line's values", async () => {
    const file = join(CORPUS, "opencv-aloeL.png");
    const [full, cli, dihedral] = await Promise.all([
      runCli([file]),
      runCli(["--resize", "512", file]),
      runCli(["--resize=512", "--dihedral", file]),
    ]);
    expect(jsonLines(full.stdout)[0]).toMatchObject({ pdq: expectedFull.get("opencv-aloeL.png")!.pdq, width: 1024, height: 887 });
    expect(jsonLines(cli.stdout)[0]).toMatchObject({ pdq: expectedCli.get("opencv-aloeL.png")!.pdq, width: 1024, height: 887 });
    const line = jsonLines(dihedral.stdout)[0]!;
    expect(Object.keys(line)).toEqual(["path", "pdq", "quality", "width", "height", "dihedral"]);
    expect(line.dihedral).toEqual(expectedDihedral.get("opencv-aloeL.png")!.dihedral);
    expect(line.dihedral![0]).toBe(line.pdq);
  });

  it("CSV: a header row, RFC 4180 quoting, CRLF line ends, empty cells where a field does not apply", async () => {
    const run = await runCli(["--format", "csv", 'odd, "quoted" name.png', "photos/notes.txt"], { cwd: root });
    expect(run.code).toBe(1);
    const rows = run.stdout.split("\r\n");
    expect(rows.at(-1)).toBe("");
    expect(rows[0]).toBe("path,pdq,quality,width,height,error_code,error_message");
    const reference = expectedFull.get(ASTRONAUT)!;
    expect(rows).toContain(`"odd, ""quoted"" name.png",${reference.pdq},${reference.quality},512,512,,`);
    expect(rows.find((row) => row.startsWith("photos/notes.txt,"))).toMatch(/^photos\/notes\.txt,,,,,not-an-image,"?This file is not a picture/);
  });

  it("CSV with --dihedral adds the eight variant columns", async () => {
    const run = await runCli(["--format=csv", "--dihedral", "--resize", "512", join(CORPUS, ASTRONAUT)]);
    const [header, row] = run.stdout.split("\r\n");
    const columns = header!.split(",");
    expect(columns).toEqual([
      "path", "pdq", "quality", "width", "height",
      "dihedral_orig", "dihedral_rot90", "dihedral_rot180", "dihedral_rot270",
      "dihedral_flipx", "dihedral_flipy", "dihedral_flipplus1", "dihedral_flipminus1",
      "error_code", "error_message",
    ]);
    expect(row!.split(",").slice(5, 13)).toEqual(expectedDihedral.get(ASTRONAUT)!.dihedral);
  });
});

describe("folders", () => {
  it("walks recursively, tries files named or shaped like pictures, skips the rest and counts them", async () => {
    const run = await runCli(["photos"], { cwd: root });
    expect(run.code).toBe(1);
    const lines = byPath(jsonLines(run.stdout));
    const found = ["a-astronaut.png", "b-graf.jpg", "no-extension", "noise.jpg", join("sub", "c-camera.png")];
    expect([...lines.keys()].sort()).toEqual(found.map((name) => join("photos", name)));
    expect(lines.get(join("photos", "noise.jpg"))!.error?.code).toBe("not-an-image");
    expect(lines.get(join("photos", "sub", "c-camera.png"))!.pdq).toBe(expectedFull.get("skimage-camera.png")!.pdq);
    expect(lines.get(join("photos", "no-extension"))!.pdq).toBe(expectedFull.get("skimage-page.png")!.pdq);
    expect(run.stderr.trim()).toBe("ncii-hash: 4 hashed, 1 failed, 2 skipped (not pictures)");
  });

  it("walks in sorted order, folders depth first", async () => {
    const walked: string[] = [];
    const skipped: string[] = [];
    for await (const path of walkPaths([join(root, "photos")], { onSkipped: (path) => skipped.push(path), onFolderError: () => {} })) {
      walked.push(path.slice(root.length + 1));
    }
    expect(walked).toEqual(["a-astronaut.png", "b-graf.jpg", "no-extension", "noise.jpg", join("sub", "c-camera.png")].map((name) => join("photos", name)));
    expect(skipped.map((path) => path.slice(root.length + 1))).toEqual([join("photos", "notes.txt"), join("photos", "sub", "readme.md")]);
  });

  it("a named file is always tried: a non-picture or a missing file gets an error line, the rest still hash", async () => {
    const run = await runCli(["photos/notes.txt", "photos/b-graf.jpg", "photos/missing.png"], { cwd: root });
    expect(run.code).toBe(1);
    const lines = byPath(jsonLines(run.stdout));
    expect(lines.size).toBe(3);
    expect(lines.get("photos/notes.txt")!.error).toMatchObject({ code: "not-an-image", message: expect.stringMatching(/text file/) });
    expect(lines.get("photos/missing.png")!.error?.code).toBe("read-failed");
    expect(lines.get("photos/b-graf.jpg")!.pdq).toBeDefined();
  });
});

describe("options", () => {
  it("--engine js, --workers 1 and --workers 0 print the same hashes as the defaults", async () => {
    const runs = await Promise.all([[], ["--engine", "js"], ["--workers", "1"], ["--workers", "0", "--engine", "js"]].map((extra) => runCli([...extra, "photos"], { cwd: root })));
    const sorted = runs.map((run) => jsonLines(run.stdout).sort((a, b) => (a.path < b.path ? -1 : 1)));
    expect(sorted[0]).toHaveLength(5);
    for (const other of sorted.slice(1)) expect(other).toEqual(sorted[0]);
  });

  it("--orientation ignore hashes the stored grid, apply (default) the upright picture", async () => {
    const file = join(VECTORS, "reg-test-input", "exif-rotn", "exif-rotn-6.jpg");
    const [applied, ignored] = await Promise.all([runCli([file]), runCli(["--orientation", "ignore", file])]);
    expect(jsonLines(applied.stdout)[0]).toMatchObject({ width: 3024, height: 4032 });
    const stored = jsonLines(ignored.stdout)[0]!;
    expect(stored).toMatchObject({ width: 4032, height: 3024 });
    const reference = readExpected(`${VECTORS}reference-fullres.tsv`).find((row) => row.file.endsWith("exif-rotn-6.jpg"))!;
    expect(stored.pdq).toBe(reference.pdq);
  });

  it("--max-pixels refuses larger pictures with too-many-pixels", async () => {
    const run = await runCli(["--max-pixels", String(512 * 512 - 1), join(CORPUS, ASTRONAUT)]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)[0]!.error?.code).toBe("too-many-pixels");
  });

  it("--help and --version", async () => {
    const [help, version] = await Promise.all([runCli(["--help"]), runCli(["--version"])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ncii-hash \[options\] <file\|folder>\.\.\./);
    const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });
});

describe("usage errors exit 2 with a one-line hint", () => {
  it.each([
    ["no paths", []],
    ["an unknown option", ["--fast", "x.png"]],
    ["a bad value", ["--resize", "256", "x.png"]],
    ["a missing value", ["x.png", "--engine"]],
    ["a value on a flag", ["--dihedral=yes", "x.png"]],
    ["zero max pixels", ["--max-pixels", "0", "x.png"]],
  ])("%s", async (_label, args) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^ncii-hash: .+ \(see ncii-hash --help\)\n$/);
  });
});

describe("subcommands", () => {
  it.each(["match", "dupes"])("%s is dispatched to its module in cli/commands/", async (name) => {
    const run = await runCli([name, "--help"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^Usage: ncii-hash ${name} `));
  });
});
