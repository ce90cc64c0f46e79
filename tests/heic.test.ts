/**
 * HEIC/HEIF in Node (the same libheif module the browser workers run): hashes within the README's stated distance of
 * ImageMagick's libheif decode, the primary image, irot/imir as orientation, alpha, 10 bits, size limits, damage.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { applyOrientation, type Orientation } from "../src/decode/orientation.js";
import type { DecodeOptions } from "../src/decode/types.js";
import { HashError } from "../src/errors.js";
import { hammingDistance } from "../src/hash/pdq-hash.js";
import { hashBytes } from "../entries/node.js";
import { DEFAULT_HASH_OPTIONS } from "../src/options.js";
import { FIXTURES } from "./support/fixtures.js";
import { createTestPool } from "./support/node-pool.js";

const HEIC = `${FIXTURES}heic/`;
/** README, "iPhone photos (HEIC)": the largest distance to ImageMagick's decode on these fixtures. */
const MAX_BITS_FROM_IMAGEMAGICK = 2;

const read = (file: string) => new Uint8Array(readFileSync(HEIC + file));
const decode = (file: string, options: Partial<DecodeOptions> = {}) =>
  sharpDecoder.decode(read(file), { orientation: "apply", maxPixels: DEFAULT_HASH_OPTIONS.maxPixels, ...options });

interface ReferenceLine {
  path: string;
  pdq: string;
  quality: number;
  width: number;
  height: number;
}
const reference: ReferenceLine[] = readFileSync(`${HEIC}imagemagick.jsonl`, "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as ReferenceLine);

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "hashed";
  } catch (error) {
    return error instanceof HashError ? error.code : String(error);
  }
}

describe("HEIC against ImageMagick's libheif decode (convert F png:-, then hashed)", () => {
  it("covers every fixture but the truncated one", () => {
    expect(reference.map((line) => line.path).sort()).toEqual(
      readdirSync(HEIC)
        .filter((file) => file.endsWith(".heic"))
        .filter((file) => file !== "coffee-truncated.heic")
        .map((file) => file.replace(".heic", ".png"))
        .sort(),
    );
  });

  for (const line of reference) {
    const file = line.path.replace(".png", ".heic");
    it(`${file}: same size and quality, within ${MAX_BITS_FROM_IMAGEMAGICK} bits`, async () => {
      const ours = await hashBytes(read(file));
      expect({ width: ours.width, height: ours.height, quality: ours.quality }).toEqual({
        width: line.width,
        height: line.height,
        quality: line.quality,
      });
      expect(hammingDistance(ours.pdq, line.pdq)).toBeLessThanOrEqual(MAX_BITS_FROM_IMAGEMAGICK);
    });
  }
});

describe("HEIC pixel policy", () => {
  it("applies irot/imir as the matching EXIF orientation would, and ignores them with orientation ignore", async () => {
    const stored = await decode("coffee.heic");
    // irot=1 is a quarter turn anticlockwise (EXIF 8); irot=3 then imir axis 0 is EXIF 7 (transverse); imir axis 1
    // mirrors left to right (EXIF 2). ImageMagick's libheif 1.15 turns them the same way (the table above).
    const cases: [string, string, Orientation][] = [
      ["coffee-irot1.heic", "coffee.heic", 8],
      ["coffee-irot3-imir0.heic", "coffee.heic", 7],
      ["astronaut-imir1.heic", "astronaut.heic", 2],
    ];
    for (const [file, base, orientation] of cases) {
      const plain = base === "coffee.heic" ? stored : await decode(base);
      const shown = await decode(file);
      const expected = applyOrientation(plain, orientation);
      expect({ file, width: shown.width, height: shown.height }).toEqual({ file, width: expected.width, height: expected.height });
      expect(Buffer.from(shown.data).equals(Buffer.from(expected.data)), file).toBe(true);
      const grid = await decode(file, { orientation: "ignore" });
      expect(Buffer.from(grid.data).equals(Buffer.from(plain.data)), `${file} ignored`).toBe(true);
    }
  });

  it("decodes the primary image, not the thumbnail beside it", async () => {
    const [primary, withThumbnail] = await Promise.all([decode("coffee.heic"), decode("coffee-thumbnail.heic")]);
    expect(withThumbnail.width).toBe(480);
    expect(Buffer.from(withThumbnail.data).equals(Buffer.from(primary.data))).toBe(true);
  });

  it("drops alpha, keeps monochrome pictures one grey channel, reduces 10 bits to 8", async () => {
    expect((await decode("baboon-alpha.heic")).channels).toBe(3);
    expect((await decode("camera-grey.heic")).channels).toBe(1);
    const deep = await decode("baboon-10bit.heic");
    expect({ width: deep.width, height: deep.height, channels: deep.channels }).toEqual({ width: 320, height: 320, channels: 3 });
  });

  it("refuses pictures over maxPixels from the header, before decoding", async () => {
    // 480 x 480: over 200,000 whichever way it is turned.
    expect(await codeOf(decode("astronaut.heic", { maxPixels: 200_000 }))).toBe("too-many-pixels");
    expect(await codeOf(decode("coffee-irot1.heic", { maxPixels: 480 * 320 }))).toBe("hashed");
  });

  it("says truncated for a cut-off file, and decodes the next file normally", async () => {
    expect(await codeOf(decode("coffee-truncated.heic"))).toBe("truncated");
    expect((await hashBytes(read("coffee.heic"))).pdq).toBe(reference.find((line) => line.path === "coffee.png")!.pdq);
  });
});

describe("HEIC in a worker thread", () => {
  it("the bundled worker script finds the HEIC decoder and hashes as this thread does", async () => {
    const pool = createTestPool({ size: 1 });
    try {
      const inWorker = await pool.hash({ name: "coffee.heic", source: { kind: "path", path: `${HEIC}coffee.heic` } });
      expect(inWorker).toMatchObject({ ok: true, hash: await hashBytes(read("coffee.heic")) });
    } finally {
      await pool.close();
    }
  });
});
