/**
 * MD5 in the CLI: `--md5` for any file, videos automatically (by extension or by their first bytes, also when
 * found in a folder), in worker threads and in this thread, and `--format signals` records that read back.
 *
 * @module-tag e2e
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSignals, type SignalFormat } from "../src/formats/signals.js";
import { hasVideoExtension } from "../src/md5/video-files.js";
import { sniffVideo } from "../src/md5/video-sniff.js";
import { assertCliBuilt, runCli } from "./support/cli.js";
import { CORPUS } from "./support/fixtures.js";
import { box, latin1, u32 } from "./support/iso-boxes.js";
import { seededBytes, tinyMp4, tinyWebm } from "./support/videos.js";

let root: string;
const ASTRONAUT = "skimage-astronaut.png";

function nodeMd5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function readSignals(stdout: string, format: SignalFormat) {
  const records = [];
  for await (const record of parseSignals(stdout.split(/\r?\n/), format)) records.push(record);
  return records;
}

beforeAll(async () => {
  assertCliBuilt();
  root = await mkdtemp(join(tmpdir(), "ncii-md5-"));
  // media/
  //   a-astronaut.png, b-clip (an MP4 without extension), c-holiday.MOV (any bytes: named a video),
  //   d-photo (a HEIC-branded ftyp: a picture, not a video), notes.txt
  const media = join(root, "media");
  await mkdir(media);
  await copyFile(join(CORPUS, ASTRONAUT), join(media, "a-astronaut.png"));
  await writeFile(join(media, "b-clip"), tinyMp4(5000));
  await writeFile(join(media, "c-holiday.MOV"), seededBytes(3000, 3));
  await writeFile(join(media, "d-photo"), box("ftyp", latin1("heic"), u32(0), latin1("mif1heic")));
  await writeFile(join(media, "notes.txt"), "not a picture\n");
  // Several MiB, so the streamed hash crosses many 1 MiB chunks and a partial last one.
  await writeFile(join(root, "big.bin"), seededBytes(3 * 1024 * 1024 + 12345, 11));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe("video detection", () => {
  it("knows containers by their first bytes, and tells MP4 from HEIC and AVIF", () => {
    expect(sniffVideo(tinyMp4(16))).toBe(true);
    expect(sniffVideo(box("ftyp", latin1("qt  "), u32(0), latin1("qt  ")))).toBe(true);
    expect(sniffVideo(box("ftyp", latin1("heic"), u32(0), latin1("mif1heic")))).toBe(false);
    expect(sniffVideo(box("ftyp", latin1("avif"), u32(0), latin1("avifmif1")))).toBe(false);
    expect(sniffVideo(tinyWebm(8))).toBe(true);
    expect(sniffVideo(Uint8Array.from([...latin1("RIFF"), 0, 0, 0, 0, ...latin1("AVI LIST")]))).toBe(true);
    expect(sniffVideo(Uint8Array.from([...latin1("RIFF"), 0, 0, 0, 0, ...latin1("WEBPVP8 ")]))).toBe(false);
    expect(sniffVideo(latin1("plain text, not a video"))).toBe(false);
    expect(sniffVideo(new Uint8Array(0))).toBe(false);
  });

  it("knows video extensions whatever their case, and not TypeScript's .ts", () => {
    expect(["a.mp4", "b.MOV", "c.webm", "d.mkv", "e.3gp", "f.avi", "g.m4v"].every(hasVideoExtension)).toBe(true);
    expect(["a.jpg", "b.heic", "c.ts", "mp4", "notes.txt"].some(hasVideoExtension)).toBe(false);
  });
});

describe("ncii-hash --md5", () => {
  it.each([["worker threads", []], ["this thread", ["--workers", "0"]]])(
    "streams a multi-MiB file to the same MD5 as Node's crypto (%s)",
    async (_, extra) => {
      const bytes = await readFile(join(root, "big.bin"));
      const run = await runCli(["--md5", ...extra, "big.bin"], { cwd: root });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const [line, ...rest] = lines(run.stdout);
      expect(rest).toEqual([]);
      expect(Object.keys(line!)).toEqual(["path", "md5", "size"]);
      expect(line).toEqual({ path: "big.bin", md5: nodeMd5(bytes), size: bytes.length });
    },
  );

  it("hashes every file in a folder, pictures included, and reports a missing one", async () => {
    const run = await runCli(["--md5", "media", "missing.mp4"], { cwd: root });
    expect(run.code).toBe(1);
    const records = lines(run.stdout);
    const names = ["a-astronaut.png", "b-clip", "c-holiday.MOV", "d-photo", "notes.txt"];
    for (const name of names) {
      const bytes = await readFile(join(root, "media", name));
      expect(records).toContainEqual({ path: join("media", name), md5: nodeMd5(bytes), size: bytes.length });
    }
    expect(records.find((record) => record.path === "missing.mp4")).toMatchObject({ error: { code: "read-failed" } });
    expect(records).toHaveLength(names.length + 1);
  });

  it("a file that cannot be opened is its own read-failed line, in worker threads and in this thread", async () => {
    // A read stream left to open the file itself reports ENOENT as an event that can fire before anyone
    // listens, which used to take down the worker (or, with --workers 0, the whole command).
    for (const extra of [[], ["--workers", "0"]]) {
      const run = await runCli(["--md5", ...extra, "missing.mp4", "big.bin"], { cwd: root });
      expect(run.code, extra.join(" ")).toBe(1);
      const records = lines(run.stdout);
      expect(records.find((record) => record.path === "missing.mp4")).toMatchObject({ error: { code: "read-failed" } });
      expect(records.find((record) => record.path === "big.bin")).toHaveProperty("md5");
    }
  });

  it("match and dupes refuse it: they compare PDQ hashes", async () => {
    const run = await runCli(["dupes", "--md5", "media"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--md5");
  });

  it("CSV with --md5 has its own columns", async () => {
    const run = await runCli(["--md5", "--format", "csv", join("media", "notes.txt")], { cwd: root });
    const bytes = await readFile(join(root, "media", "notes.txt"));
    expect(run.stdout).toBe(`path,md5,size,error_code,error_message\r\n${join("media", "notes.txt")},${nodeMd5(bytes)},${bytes.length},,\r\n`);
  });
});

describe("videos without --md5", () => {
  it("a walk gives videos an MD5 line and pictures a PDQ line; HEIC stays a picture; text is skipped", async () => {
    const run = await runCli(["media"], { cwd: root });
    const byPath = new Map(lines(run.stdout).map((record) => [record.path, record]));
    const clip = await readFile(join(root, "media", "b-clip"));
    const holiday = await readFile(join(root, "media", "c-holiday.MOV"));
    expect(byPath.get(join("media", "b-clip"))).toEqual({ path: join("media", "b-clip"), md5: nodeMd5(clip), size: clip.length });
    expect(byPath.get(join("media", "c-holiday.MOV"))).toEqual({ path: join("media", "c-holiday.MOV"), md5: nodeMd5(holiday), size: holiday.length });
    expect(byPath.get(join("media", "a-astronaut.png"))).toHaveProperty("pdq");
    // A HEIC header with no picture in it is tried as a picture and fails as one, never MD5'd as a video.
    expect(byPath.get(join("media", "d-photo"))).toHaveProperty("error");
    expect(byPath.has(join("media", "notes.txt"))).toBe(false);
    expect([...byPath.keys()]).toHaveLength(4);
    expect(run.stderr.trim()).toBe("ncii-hash: 3 hashed, 1 failed, 1 skipped (not pictures)");
  });

  it("PDQ CSV keeps its columns: videos in folders are skipped, as before", async () => {
    const run = await runCli(["--format", "csv", "media"], { cwd: root });
    const rows = run.stdout.split("\r\n");
    expect(rows[0]).toBe("path,pdq,quality,width,height,error_code,error_message");
    expect(rows.some((row) => row.startsWith(join("media", "b-clip")))).toBe(false);
    expect(run.stderr.trim()).toBe("ncii-hash: 1 hashed, 1 failed, 3 skipped (not pictures)");
  });
});

describe("--format signals", () => {
  it.each([
    ["signals", "jsonl"],
    ["signals-csv", "csv"],
  ] as const)("--format %s: records parse back, match the plain output and name no file", async (option, format) => {
    const [signals, plain] = await Promise.all([
      runCli(["--format", option, "--dihedral", "media"], { cwd: root }),
      runCli(["--dihedral", "media"], { cwd: root }),
    ]);
    const records = await readSignals(signals.stdout, format);
    const expected = lines(plain.stdout).flatMap((line) => {
      if ("md5" in line) return [{ signalType: "VideoMD5", hashValue: line.md5 }];
      if ("pdq" in line) return [{ signalType: "ImagePDQ", hashValue: line.pdq, quality: line.quality, resize: "full", dihedral: line.dihedral }];
      return [];
    });
    expect(records).toHaveLength(3);
    expect(new Set(records.map((record) => JSON.stringify(record)))).toEqual(new Set(expected.map((record) => JSON.stringify(record))));
    for (const name of ["media", "astronaut", "clip", "holiday", "photo"]) expect(signals.stdout).not.toContain(name);
    // The picture that failed has no record; it is reported on stderr, and the exit status says so.
    expect(signals.code).toBe(1);
    expect(signals.stderr).toContain(`${join("media", "d-photo")}: `);
  });
});
