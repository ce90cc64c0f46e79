/**
 * The two engines against the C++ reference's hashes, on pixels decoded straight from lossless fixtures, and
 * against each other on random pixels. (Decoding policy and JPEGs are covered end to end in decode-node tests.)
 */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { DCT_MATRIX_F32_BITS } from "../src/engine/dct-matrix.js";
import { loadEngine, type PdqEngine, type PixelImage } from "../src/engine/index.js";
import { ENGINE_KINDS, type KernelResizeMode } from "../src/options.js";
import { CORPUS, isLossless, readExpected, VECTORS } from "./support/fixtures.js";

const engines = new Map<string, PdqEngine>();
beforeAll(async () => {
  for (const kind of ENGINE_KINDS) engines.set(kind, await loadEngine(kind));
});

async function rawPixels(path: string): Promise<PixelImage> {
  // The reference (ImageMagick `convert FILE pnm:-`) ignores embedded colour profiles.
  const { data, info } = await sharp(path, { ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as PixelImage["channels"] };
}

const tables: { table: string; dir: string; resize: KernelResizeMode; dihedral: boolean }[] = [
  { table: `${CORPUS}expected-fullres.tsv`, dir: CORPUS, resize: "full", dihedral: false },
  { table: `${CORPUS}expected.tsv`, dir: CORPUS, resize: "512", dihedral: false },
  { table: `${CORPUS}expected-dihedral.tsv`, dir: CORPUS, resize: "512", dihedral: true },
  { table: `${VECTORS}reference-fullres.tsv`, dir: VECTORS, resize: "full", dihedral: false },
  { table: `${VECTORS}reference-cli.tsv`, dir: VECTORS, resize: "512", dihedral: false },
  { table: `${VECTORS}reference-dihedral.tsv`, dir: VECTORS, resize: "512", dihedral: true },
];

describe.each(ENGINE_KINDS)("%s engine reproduces the reference on lossless fixtures", (kind) => {
  it.each(tables)("$table", async ({ table, dir, resize, dihedral }) => {
    const engine = engines.get(kind)!;
    // Lossless RGB/grey files only: their pixels do not depend on a decoder (palette and alpha files are
    // exercised end to end, where the decoding policy applies).
    const rows = readExpected(table).filter((row) => isLossless(row.file) && !/modes\/(P|LA|RGBA|1)\.png$/.test(row.file));
    expect(rows.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const row of rows) {
      const digest = engine.hash(await rawPixels(dir + row.file), { resize, dihedral });
      const got = dihedral ? [...digest.dihedral!, digest.quality] : [digest.pdq, digest.quality];
      const want = dihedral ? [...row.dihedral!, row.quality] : [row.pdq, row.quality];
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${row.file}: got ${got.join(" ")}, want ${want.join(" ")}`);
    }
    expect(mismatches).toEqual([]);
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Texture = "noise" | "smooth" | "flat";

function syntheticImage(width: number, height: number, channels: PixelImage["channels"], texture: Texture, seed: number): PixelImage {
  const next = random(seed);
  const data = new Uint8Array(width * height * channels);
  const phase = next() * 6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const i = (y * width + x) * channels + c;
        if (texture === "noise") data[i] = Math.floor(next() * 256);
        else if (texture === "flat") data[i] = 127 + c * 17;
        else data[i] = Math.floor(127.5 + 127 * Math.sin(phase + x / (7 + c) + y / 11));
      }
    }
  }
  return { data, width, height, channels };
}

describe("the WASM kernel and the TypeScript twin agree bit for bit", () => {
  const edgeSizes: [number, number][] = [
    [4, 4], [5, 4], [4, 5], [5, 5], [6, 7], [63, 64], [64, 64], [64, 63], [65, 64], [127, 129], [128, 128],
    [129, 127], [513, 200], [200, 513], [512, 512], [600, 5], [5, 600], [1, 20000], [2000, 9], [9, 2000], [1031, 769],
    // Photo sizes, off by a few pixels: windows wider than the kernel's row group, partial last vectors and groups.
    [2047, 1537], [3001, 4003],
  ];
  const cases: { width: number; height: number; channels: PixelImage["channels"]; texture: Texture; seed: number }[] = [];
  edgeSizes.forEach(([width, height], i) => {
    cases.push({ width, height, channels: ([1, 2, 3, 4] as const)[i % 4], texture: (["noise", "smooth", "flat"] as const)[i % 3], seed: i });
  });
  const pick = random(2026);
  for (let i = 0; i < 24; i++) {
    cases.push({
      width: 5 + Math.floor(pick() * 900),
      height: 5 + Math.floor(pick() * 900),
      channels: ([1, 2, 3, 4] as const)[Math.floor(pick() * 4)],
      texture: (["noise", "smooth", "flat"] as const)[Math.floor(pick() * 3)],
      seed: 1000 + i,
    });
  }

  it.each(cases)("$width x $height, $channels channel(s), $texture (seed $seed)", ({ width, height, channels, texture, seed }) => {
    const image = syntheticImage(width, height, channels, texture, seed);
    for (const resize of ["full", "512"] as const) {
      const wasm = engines.get("wasm")!.hash(image, { resize, dihedral: true });
      const twin = engines.get("js")!.hash(image, { resize, dihedral: true });
      expect(wasm, `resize ${resize}`).toEqual(twin);
    }
  });

  it("gives the reference's all-zero hash and quality 0 under 5 px, and hashes once a side reaches 5", () => {
    for (const kind of ENGINE_KINDS) {
      const engine = engines.get(kind)!;
      const tiny = engine.hash(syntheticImage(4, 300, 3, "noise", 1), { resize: "full", dihedral: true });
      expect(tiny).toEqual({ pdq: "0".repeat(64), quality: 0, dihedral: Array(8).fill("0".repeat(64)) });
      // The 512 pre-resize comes first, as in the reference CLI: a 4x600 strip is stretched to 512x512.
      expect(engine.hash(syntheticImage(4, 600, 3, "noise", 1), { resize: "512", dihedral: false }).quality).toBeGreaterThan(0);
    }
  });

  it("rejects pixel buffers that do not match their stated size", () => {
    for (const kind of ENGINE_KINDS) {
      const engine = engines.get(kind)!;
      expect(() => engine.hash({ data: new Uint8Array(10), width: 5, height: 5, channels: 3 }, { resize: "full", dihedral: false })).toThrow(RangeError);
    }
  });
});

it("embeds exactly the reference's DCT matrix bits", () => {
  const fixture = readFileSync(`${VECTORS}dct_matrix_16x64_f32.hex.txt`, "utf8").trim().split(/\s+/).map((hex) => parseInt(hex, 16));
  expect(DCT_MATRIX_F32_BITS).toEqual(fixture);
  // And they are the formula's values to within an ulp, so the table is the DCT and not just a copy of a file.
  const matrix = new Float32Array(new Uint32Array(DCT_MATRIX_F32_BITS).buffer);
  const scale = Math.fround(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      const exact = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
      expect(Math.abs(matrix[i * 64 + j]! - exact)).toBeLessThanOrEqual(Math.abs(exact) * 2 ** -23 + 1e-12);
    }
  }
});
