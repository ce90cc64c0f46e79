/** `ncii-hash match` and `ncii-hash dupes`, driven through the CLI's own dispatcher with captured output. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../cli/io.js";
import { main } from "../cli/main.js";
import { CORPUS, VECTORS } from "./support/fixtures.js";

interface Captured {
  code: number;
  lines: Record<string, unknown>[];
  stderr: string;
}

async function cli(...argv: string[]): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
  };
  const code = await main(argv, io);
  const lines = stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines, stderr };
}

const DIH = `${VECTORS}reg-test-input/dih/`;
const ORIGINAL = "reg-test-input/dih/bridge-1-original.jpg";
const scratch = mkdtempSync(join(tmpdir(), "ncii-match-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("ncii-hash match", () => {
  // The reference's table (file, pdq_hex, quality) read as a hash list: ids are the file names.
  const list = `${VECTORS}reference-fullres.tsv`;

  it("with --dihedral, every rotated or mirrored bridge photo matches the listed original", async () => {
    const { code, lines, stderr } = await cli("match", "--list", list, "--dihedral", "--workers", "0", DIH);
    expect(code).toBe(0);
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      const matches = line.matches as { id: string; distance: number; variant: string }[];
      const original = matches.find((match) => match.id === ORIGINAL);
      expect(original, String(line.path)).toBeDefined();
      expect(original!.distance).toBeLessThanOrEqual(31);
    }
    expect(stderr).toMatch(/8 checked against \d+ listed hashes, 8 with matches, 0 failed/);
  });

  it("without it, only the original matches the original; each photo still finds its own listed hash", async () => {
    const { code, lines } = await cli("match", `--list=${list}`, "--threshold", "8", "--workers", "0", DIH);
    expect(code).toBe(0);
    for (const line of lines) {
      const ids = (line.matches as { id: string }[]).map((match) => match.id);
      const self = String(line.path).slice(VECTORS.length);
      expect(ids).toContain(self);
      expect(ids.includes(ORIGINAL)).toBe(self === ORIGINAL);
    }
  });

  it("does not match pictures of quality below 50, and reports files it cannot hash", async () => {
    const notAPicture = join(scratch, "notes.jpg");
    writeFileSync(notAPicture, "not a picture");
    const { code, lines } = await cli("match", "--list", list, "--workers", "0", `${CORPUS}synth-flat-64x64.png`, notAPicture);
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ path: `${CORPUS}synth-flat-64x64.png`, quality: 0, matches: null }));
    expect(lines).toContainEqual(expect.objectContaining({ path: notAPicture, error: expect.objectContaining({ code: "not-an-image" }) }));
  });

  it("refuses a missing --list, a bad threshold and an unreadable or malformed list with exit code 2", async () => {
    const bad = join(scratch, "bad.txt");
    writeFileSync(bad, `${"a".repeat(64)}\nnot-a-hash\n`);
    const cases: [string[], RegExp][] = [
      [["match", DIH], /--list FILE is required/],
      [["match", "--list", list, "--threshold", "300", DIH], /--threshold must be/],
      [["match", "--list", join(scratch, "missing.txt"), DIH], /cannot be used: could not read it \(ENOENT\)/],
      [["match", "--list", bad, DIH], /line 2: not a PDQ hash/],
      [["match", "--list", list, "--format", "csv", DIH], /JSON Lines only/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await cli(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr).toMatch(message);
    }
  });

  it("prints its usage with --help", async () => {
    let stdout = "";
    const code = await main(["match", "--help"], {
      stdout: { write: (text) => void (stdout += text), isTTY: false },
      stderr: { write: () => undefined, isTTY: false },
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: ncii-hash match --list FILE/);
  });
});

describe("ncii-hash dupes", () => {
  it("groups each JPEG re-encoding with its PNG original and lists low-quality pictures apart", async () => {
    const { code, lines, stderr } = await cli("dupes", "--workers", "0", CORPUS);
    expect(code).toBe(0);
    const groups = lines.filter((line) => "group" in line) as { files: { path: string; distance: number }[]; links: unknown[] }[];
    const names = groups.map((group) => group.files.map((file) => file.path.slice(CORPUS.length)).sort());
    const reencoded = readdirSync(CORPUS).filter((file) => file.endsWith(".q90.jpg"));
    expect(reencoded).toHaveLength(9);
    for (const jpeg of reencoded) expect(names).toContainEqual([jpeg.replace(".q90.jpg", ".png"), jpeg]);
    expect(names).toHaveLength(10);
    for (const group of groups) expect(group.files[0]!.distance).toBe(0);
    const low = lines.filter((line) => line.lowQuality === true).map((line) => String(line.path).slice(CORPUS.length));
    expect(low).toEqual(["synth-flat-320x240.png", "synth-flat-64x64.png", "synth-min-5x5.png", "synth-tiny-5x3.png"]);
    expect(names.flat()).not.toContain("synth-flat-64x64.png");
    expect(stderr).toMatch(/42 pictures, 10 groups \(21 pictures\), 17 unique, 4 of low quality, 0 failed/);
  });

  it("with --dihedral, groups all eight rotated and mirrored bridge photos", async () => {
    const plain = await cli("dupes", "--workers", "0", DIH);
    expect(plain.lines.filter((line) => "group" in line)).toHaveLength(0);
    const { code, lines } = await cli("dupes", "--dihedral", "--workers", "0", DIH);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect((lines[0]!.files as unknown[]).length).toBe(8);
  });
});
