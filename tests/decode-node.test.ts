/**
 * End to end in Node: file bytes -> sharp decoder -> each engine, against the C++ reference's hashes (which came
 * through ImageMagick's decoder), plus the pixel policy on small generated pictures.
 */
import { readFileSync } from "node:fs";
import sharp, { type Sharp } from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import type { DecodeOptions } from "../src/decode/types.js";
import { loadEngine, type PdqEngine } from "../src/engine/index.js";
import { HashError, type HashErrorCode } from "../src/errors.js";
import { hammingDistance } from "../src/hash/pdq-hash.js";
import { DEFAULT_HASH_OPTIONS, ENGINE_KINDS, type KernelResizeMode } from "../src/options.js";
import { CORPUS, isLossless, readExpected, VECTORS, type ExpectedRow } from "./support/fixtures.js";

const DECODE: DecodeOptions = { orientation: "apply", maxPixels: DEFAULT_HASH_OPTIONS.maxPixels };

const engines = new Map<string, PdqEngine>();
beforeAll(async () => {
  for (const kind of ENGINE_KINDS) engines.set(kind, await loadEngine(kind));
});

interface Table {
  name: string;
  rows: ExpectedRow[];
  resize: KernelResizeMode;
  dihedral: boolean;
}

function tablesOf(dir: string, names: { full: string; cli: string; dihedral: string }): Table[] {
  return [
    { name: names.full, rows: readExpected(dir + names.full), resize: "full", dihedral: false },
    { name: names.cli, rows: readExpected(dir + names.cli), resize: "512", dihedral: false },
    { name: names.dihedral, rows: readExpected(dir + names.dihedral), resize: "512", dihedral: true },
  ];
}

const fixtureSets = [
  { dir: CORPUS, tables: tablesOf(CORPUS, { full: "expected-fullres.tsv", cli: "expected.tsv", dihedral: "expected-dihedral.tsv" }) },
  {
    dir: VECTORS,
    tables: tablesOf(VECTORS, { full: "reference-fullres.tsv", cli: "reference-cli.tsv", dihedral: "reference-dihedral.tsv" }),
  },
];

/** The reference ignores EXIF orientation, so the one rotated fixture is compared as stored. */
const STORED_ORIENTATION = new Set(["reg-test-input/exif-rotn/exif-rotn-6.jpg"]);

/** Lossy decoders may round differently from the reference's libjpeg-turbo; CMYK also goes through a colour formula. */
function allowedBits(file: string): number {
  if (isLossless(file)) return 0;
  return file.endsWith("modes/CMYK.jpg") ? 8 : 2;
}

describe.each(fixtureSets.map((set) => ({ ...set, label: set.dir.split("/").at(-2) })))(
  "decoder + engines reproduce the reference: $label",
  ({ dir, tables }) => {
    it("every file, every table, both engines", async () => {
      const files = [...new Set(tables.flatMap((table) => table.rows.map((row) => row.file)))];
      expect(files.length).toBeGreaterThan(40);
      const mismatches: string[] = [];
      for (const file of files) {
        const orientation = STORED_ORIENTATION.has(file) ? "ignore" : "apply";
        const image = await sharpDecoder.decode(readFileSync(dir + file), { ...DECODE, orientation });
        for (const table of tables) {
          const row = table.rows.find((candidate) => candidate.file === file);
          if (!row) continue;
          for (const [kind, engine] of engines) {
            const digest = engine.hash(image, { resize: table.resize, dihedral: table.dihedral });
            const got = table.dihedral ? digest.dihedral! : [digest.pdq];
            const want = table.dihedral ? row.dihedral! : [row.pdq];
            const bits = got.map((hex, i) => hammingDistance(hex, want[i]!));
            const qualityOff = Math.abs(digest.quality - row.quality);
            if (Math.max(...bits) > allowedBits(file) || qualityOff > (isLossless(file) ? 0 : 2)) {
              mismatches.push(`${file} (${table.name}, ${kind}): ${bits.join("/")} bits off, quality ${digest.quality} vs ${row.quality}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  },
);

async function encode(pipeline: Sharp, format: "png" | "jpeg"): Promise<Uint8Array> {
  return format === "png" ? pipeline.png().toBuffer() : pipeline.jpeg({ quality: 95 }).toBuffer();
}

function rawInput(data: number[] | Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4): Sharp {
  return sharp(Uint8Array.from(data), { raw: { width, height, channels } });
}

async function decodeError(bytes: Uint8Array, options: Partial<DecodeOptions> = {}): Promise<HashErrorCode> {
  try {
    await sharpDecoder.decode(bytes, { ...DECODE, ...options });
  } catch (error) {
    if (error instanceof HashError) return error.code;
    throw error;
  }
  throw new Error("decoded without an error");
}

describe("pixel policy", () => {
  it("keeps the stored colour of transparent pixels (alpha dropped, never composited)", async () => {
    const rgba = [200, 10, 30, 0, 5, 250, 60, 255, 90, 90, 200, 128, 1, 2, 3, 0];
    const image = await sharpDecoder.decode(await encode(rawInput(rgba, 2, 2, 4), "png"), DECODE);
    expect(image.channels).toBe(4);
    expect([...image.data]).toEqual(rgba);
  });

  it("gives a grey picture, or a colour file with only grey pixels, one channel", async () => {
    const grey = await sharpDecoder.decode(await encode(rawInput([0, 64, 128, 255], 2, 2, 1), "png"), DECODE);
    expect(grey).toMatchObject({ channels: 1, width: 2, height: 2 });
    expect([...grey.data]).toEqual([0, 64, 128, 255]);
    const neutralRgb = [7, 7, 7, 99, 99, 99, 15, 15, 15, 200, 200, 200];
    const png = await rawInput(neutralRgb, 2, 2, 3).png({ palette: false }).toColourspace("srgb").toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(3);
    const collapsed = await sharpDecoder.decode(png, DECODE);
    expect(collapsed.channels).toBe(1);
    expect([...collapsed.data]).toEqual([7, 99, 15, 200]);
  });

  it("reduces 16-bit samples to their high byte", async () => {
    const samples = new Uint16Array([0x1234, 0xabcd, 0x00ff, 0xff00, 0x8080, 0x7fff]);
    const png = await sharp(samples, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace("rgb16")
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).depth).toBe("ushort");
    const image = await sharpDecoder.decode(png, DECODE);
    expect([...image.data]).toEqual([...samples].map((sample) => sample >> 8));
  });

  it("expands palette pictures to their colours", async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 0, 0];
    const png = await rawInput(rgb, 2, 2, 3).png({ palette: true, colours: 4, dither: 0 }).toBuffer();
    expect((await sharp(png).metadata()).isPalette).toBe(true);
    const image = await sharpDecoder.decode(png, DECODE);
    expect(image.channels).toBe(3);
    expect([...image.data]).toEqual(rgb);
  });

  it("applies EXIF orientation unless told to ignore it", async () => {
    // Orientation 6: the stored 3 x 2 grid is shown rotated 90 degrees clockwise.
    const grid = [10, 60, 110, 160, 210, 250];
    const jpeg = await rawInput(grid, 3, 2, 1).withMetadata({ orientation: 6 }).jpeg({ quality: 100 }).toBuffer();
    const stored = await sharpDecoder.decode(jpeg, { ...DECODE, orientation: "ignore" });
    const shown = await sharpDecoder.decode(jpeg, DECODE);
    expect(stored).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect(shown).toMatchObject({ width: 2, height: 3, channels: 1 });
    const rotated: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 2; x++) rotated.push(stored.data[(1 - x) * 3 + y]!);
    expect([...shown.data]).toEqual(rotated);
  });

  it("decodes the first frame of an animation", async () => {
    const frames = [...new Array(2 * 2 * 4).fill(10), ...new Array(2 * 2 * 4).fill(240)].map((v, i) => (i % 4 === 3 ? 255 : v));
    const gif = await sharp(Uint8Array.from(frames), { raw: { width: 2, height: 4, channels: 4, pageHeight: 2 } })
      .gif({ loop: 0 })
      .toBuffer();
    expect((await sharp(gif, { pages: -1 }).metadata()).pages).toBe(2);
    const image = await sharpDecoder.decode(gif, DECODE);
    expect(image).toMatchObject({ width: 2, height: 2 });
    expect(new Set(image.data)).toEqual(new Set([10]));
  });
});

describe("decode failures carry stable codes", () => {
  it("empty, not an image, unsupported, truncated, damaged, too large", async () => {
    const png = await encode(rawInput(new Uint8Array(64 * 64 * 3).map((_, i) => (i * 37) % 256), 64, 64, 3), "png");
    const jpeg = await encode(rawInput(new Uint8Array(64 * 64 * 3).map((_, i) => (i * 37) % 256), 64, 64, 3), "jpeg");
    const damaged = Uint8Array.from(png);
    damaged.fill(0x55, 60, 120);
    const bmp = Uint8Array.from([0x42, 0x4d, 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]);
    expect(await decodeError(new Uint8Array(0))).toBe("empty");
    expect(await decodeError(new TextEncoder().encode("%PDF-1.7\n..."))).toBe("not-an-image");
    expect(await decodeError(Uint8Array.from([...bmp, ...new Array(44).fill(0)]))).toBe("unsupported-format");
    expect(await decodeError(png.subarray(0, png.length - 40))).toBe("truncated");
    expect(await decodeError(jpeg.subarray(0, jpeg.length >> 1))).toBe("truncated");
    expect(await decodeError(damaged)).toBe("decode-failed");
    expect(await decodeError(png, { maxPixels: 64 * 64 - 1 })).toBe("too-many-pixels");
    expect(await sharpDecoder.decode(png, { ...DECODE, maxPixels: 64 * 64 })).toMatchObject({ width: 64, height: 64 });
  });
});
