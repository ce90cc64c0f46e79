/**
 * Hostile files and failure paths in Node, through the library and the built CLI: files over `maxBytes`, named
 * pipes and devices, symbolic links in folders, file names that are spreadsheet formulas or terminal escape
 * sequences, a TIFF directory built to exhaust memory, hash lists built to cost quadratic time, and near-duplicate
 * groups whose pairs would not fit in memory. Every one ends with one clear line, and no test waits on a clock:
 * a hang would show as the suite's own timeout.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileTooLarge } from "../src/decode/decode-errors.js";
import { parseDelimitedLine } from "../src/formats/csv.js";
import { HashError, hashBytes, hashFile, md5File, type HashErrorCode } from "../entries/node.js";
import { findDuplicateGroups, type HashedPicture } from "../src/match/duplicate-groups.js";
import { assertCliBuilt, byPath, jsonLines, runCli } from "./support/cli.js";
import { CORPUS, readExpected } from "./support/fixtures.js";
import { hostileTiff } from "./support/hostile-files.js";

const PICTURE = "opencv-home.png";
const expected = new Map(readExpected(`${CORPUS}expected-fullres.tsv`).map((row) => [row.file, row]));
/** Any control character, C0, DEL or C1. */
const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

let root: string;

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-hostile-"));
  await copyFile(join(CORPUS, PICTURE), join(root, "picture.png"));
  execFileSync("mkfifo", [join(root, "pipe.jpg")]);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function failureCode(work: Promise<unknown>): Promise<HashErrorCode | string> {
  const error = await work.then(
    () => "resolved",
    (caught: unknown) => caught,
  );
  return error instanceof HashError ? error.code : String(error);
}

describe("bounded reading", () => {
  it("a picture over maxBytes is refused before it is read, from a path or from bytes; at the limit it hashes", async () => {
    const bytes = await readFile(join(root, "picture.png"));
    const path = join(root, "picture.png");
    await expect(hashFile(path, { maxBytes: bytes.length - 1 })).rejects.toMatchObject({
      code: "file-too-large",
      message: expect.stringMatching(/too large to fingerprint \(\d[\d,]* bytes; the limit is \d[\d,]* bytes\)/),
    });
    expect(await failureCode(hashBytes(bytes, { maxBytes: bytes.length - 1 }))).toBe("file-too-large");
    expect((await hashFile(path, { maxBytes: bytes.length })).pdq).toBe(expected.get(PICTURE)!.pdq);
    expect(fileTooLarge(300 * 2 ** 20, 256 * 2 ** 20).message).toMatch(/\(300 MB; the limit is 256 MB\)/);
  });

  it("a huge file named .jpg: over the default limit file-too-large, under a raised one judged by its head", async () => {
    const huge = join(root, "huge.jpg");
    await truncate(await writeFile(huge, "").then(() => huge), 300 * 2 ** 20); // sparse: no disk is used
    expect(await failureCode(hashFile(huge))).toBe("file-too-large");
    expect(await failureCode(hashFile(huge, { maxBytes: 2 ** 30 }))).toBe("not-an-image");
  });

  it("named pipes, devices and folders are refused without being opened for a blocking read", async () => {
    for (const [path, kind] of [
      [join(root, "pipe.jpg"), "a named pipe"],
      ["/dev/zero", "a device"],
      [root, "a folder"],
    ] as const) {
      await expect(hashFile(path)).rejects.toMatchObject({ code: "read-failed", message: `This is ${kind}, not a regular file, so it was not read.` });
      await expect(md5File(path)).rejects.toMatchObject({ code: "read-failed", message: expect.stringContaining(kind) });
    }
  });

  it("the CLI gives a named pipe and a device one error line each, with workers, in this thread and for --md5", { tags: ["e2e"] }, async () => {
    for (const extra of [[], ["--workers", "0"], ["--md5"]]) {
      const run = await runCli([...extra, "pipe.jpg", "/dev/zero", "picture.png"], { cwd: root });
      expect(run.code, run.stderr).toBe(1);
      const lines = byPath(jsonLines(run.stdout));
      expect(lines.get("pipe.jpg")!.error).toMatchObject({ code: "read-failed", message: expect.stringContaining("a named pipe") });
      expect(lines.get("/dev/zero")!.error).toMatchObject({ code: "read-failed", message: expect.stringContaining("a device") });
      expect(lines.get("picture.png")!.error).toBeUndefined();
    }
  });

  it("--max-bytes refuses larger pictures; MD5s stream any size", { tags: ["e2e"] }, async () => {
    const limited = await runCli(["--max-bytes", "1000", "picture.png"], { cwd: root });
    expect(limited.code).toBe(1);
    expect(jsonLines(limited.stdout)[0]!.error?.code).toBe("file-too-large");
    const md5 = await runCli(["--md5", "--max-bytes", "1000", "picture.png"], { cwd: root });
    expect(md5.code).toBe(0);
    expect(jsonLines(md5.stdout)[0]).toMatchObject({ md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const bad = await runCli(["--max-bytes", "0", "picture.png"], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-bytes must be a whole number of at least 1/);
  });

  it("a TIFF directory built to exhaust memory ends with one line, through the library and the CLI", { tags: ["e2e"] }, async () => {
    const tiff = hostileTiff();
    const code = await failureCode(hashBytes(tiff));
    expect(["decode-failed", "truncated", "unsupported-format"]).toContain(code);
    await writeFile(join(root, "hostile.tiff"), tiff);
    const run = await runCli(["hostile.tiff"], { cwd: root });
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([{ path: "hostile.tiff", error: { code, message: expect.any(String) } }]);
  });
});

describe("walking folders", { tags: ["e2e"] }, () => {
  let photos: string;
  beforeAll(async () => {
    // photos/ a.png, pipe.jpg (FIFO), loop -> ., out.png -> ../outside/b.png, out-dir -> ../outside
    photos = join(root, "walk", "photos");
    const outside = join(root, "walk", "outside");
    await mkdir(photos, { recursive: true });
    await mkdir(outside, { recursive: true });
    await copyFile(join(CORPUS, PICTURE), join(photos, "a.png"));
    await copyFile(join(CORPUS, "skimage-page.png"), join(outside, "b.png"));
    execFileSync("mkfifo", [join(photos, "pipe.jpg")]);
    await symlink(".", join(photos, "loop"));
    await symlink(join("..", "outside", "b.png"), join(photos, "out.png"));
    await symlink(join("..", "outside"), join(photos, "out-dir"));
  });

  it("symbolic links are skipped and counted; a pipe in a folder is skipped, never opened", async () => {
    const run = await runCli(["photos"], { cwd: join(root, "walk") });
    expect(run.code).toBe(0);
    expect([...byPath(jsonLines(run.stdout)).keys()]).toEqual([join("photos", "a.png")]);
    expect(run.stderr.trim()).toBe(
      "ncii-hash: 1 hashed, 0 failed, 1 skipped (not pictures), 3 symbolic links not followed (--follow-symlinks follows them)",
    );
  });

  it("--follow-symlinks follows links to files and folders anywhere, and a link back up is no loop", async () => {
    const run = await runCli(["--follow-symlinks", "photos"], { cwd: join(root, "walk") });
    expect(run.code).toBe(0);
    const lines = byPath(jsonLines(run.stdout));
    expect([...lines.keys()].sort()).toEqual(["a.png", join("out-dir", "b.png"), "out.png"].map((name) => join("photos", name)));
    expect(lines.get(join("photos", "out.png"))!.pdq).toBe(expected.get("skimage-page.png")!.pdq);
  });
});

describe("output hygiene", { tags: ["e2e"] }, () => {
  const NOTE = "note-\u001b]0;owned\u0007.jpg";
  const names = ["=1+2.png", "+cmd.png", "-x.png", "@SUM(A1).png", "esc-\u001b[31m-red.png", "csi-\u009b2J.png", "tab\tname.png"];
  let dir: string;
  beforeAll(async () => {
    dir = join(root, "names");
    await mkdir(dir);
    for (const name of names) await copyFile(join(CORPUS, PICTURE), join(dir, name));
    await writeFile(join(dir, NOTE), "not a picture\n");
  });

  it("CSV: formula cells get a leading quote, control characters are escaped, hashes and numbers stay as they are", async () => {
    const run = await runCli(["--format", "csv", "--", ...names, NOTE], { cwd: dir });
    expect(run.code).toBe(1); // the note is not a picture
    expect(run.stdout.replaceAll("\r\n", "")).not.toMatch(CONTROL);
    const rows = run.stdout.split("\r\n").slice(1, -1).map((row) => parseDelimitedLine(row, ","));
    expect(rows.map((row) => row[0]).sort()).toEqual(
      [
        "'=1+2.png",
        "'+cmd.png",
        "'-x.png",
        "'@SUM(A1).png",
        "esc-\\u001b[31m-red.png",
        "csi-\\u009b2J.png",
        "tab\\u0009name.png",
        "note-\\u001b]0;owned\\u0007.jpg",
      ].sort(),
    );
    const { pdq, quality } = expected.get(PICTURE)!;
    for (const row of rows.filter((cells) => !cells[0]!.startsWith("note-"))) {
      expect(row.slice(1, 5)).toEqual([pdq, String(quality), expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
    }
  });

  it("JSON Lines escape C1 controls too, and still parse back to the exact path", async () => {
    const run = await runCli(names.map((name) => join("names", name)), { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain("\\u009b");
    expect([...byPath(jsonLines(run.stdout)).keys()].sort()).toEqual(names.map((name) => join("names", name)).sort());
  });

  it("stderr escapes control characters in the file names and messages it quotes", async () => {
    const run = await runCli(["--format", "signals", join("names", NOTE)], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("note-\\u001b]0;owned\\u0007.jpg: This file is not a picture");
    expect(run.stderr.replaceAll("\n", "")).not.toMatch(CONTROL);
  });
});

describe("hostile hash lists through ncii-hash match", { tags: ["e2e"] }, () => {
  it("a list that is one endless line is refused at its first 64 KiB, naming the line", async () => {
    await writeFile(join(root, "one-line.txt"), "a".repeat(16 * 2 ** 20));
    const run = await runCli(["match", "--list", "one-line.txt", "picture.png"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hash list line 1: the line is longer than 65536 characters/);
  });

  it("a list quoting escape sequences is reported with them escaped; --max-entries bounds the entries", async () => {
    const pdq = expected.get(PICTURE)!.pdq;
    await writeFile(join(root, "escapes.jsonl"), `{"hash": "${pdq}"}\noops\u001b]0;owned\u0007\n`);
    const escaped = await runCli(["match", "--list", "escapes.jsonl", "picture.png"], { cwd: root });
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toMatch(/hash list line 2: Unexpected token/);
    expect(escaped.stderr.replaceAll("\n", "")).not.toMatch(CONTROL);

    await writeFile(join(root, "three.txt"), `${pdq}\n${pdq}\n${pdq}\n`);
    const limited = await runCli(["match", "--list", "three.txt", "--max-entries", "2", "picture.png"], { cwd: root });
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/hash list line 3: the list holds more than 2 hashes/);
    const enough = await runCli(["match", "--list", "three.txt", "--max-entries", "3", "picture.png"], { cwd: root });
    expect(enough.code).toBe(0);
    expect(jsonLines(enough.stdout)[0]).toMatchObject({ matches: [{ id: "1" }, { id: "2" }, { id: "3" }] });
  });
});

describe("near-duplicate groups", () => {
  it("a group of 2,000 copies keeps a spanning tree of 1,999 links, not its 2 million pairs", async () => {
    const pdq = expected.get(PICTURE)!.pdq;
    const other = expected.get("skimage-page.png")!.pdq;
    const copies: HashedPicture[] = Array.from({ length: 2_000 }, (_, i) => ({ pdq: i % 2 === 0 ? pdq : other, quality: 100 }));
    const report = await findDuplicateGroups(copies);
    expect(report.groups.map((group) => group.members.length)).toEqual([1_000, 1_000]);
    for (const group of report.groups) {
      expect(group.links).toHaveLength(group.members.length - 1);
      // The links join every member: union them and count what is left apart.
      const parent = new Map(group.members.map((member) => [member, member]));
      const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
      for (const link of group.links) parent.set(find(link.from), find(link.to));
      expect(new Set(group.members.map(find)).size).toBe(1);
    }
    expect(report.groups[0]!.members[0]).toBe(0);
    expect(report.groups[1]!.members[0]).toBe(1);
  });
});
