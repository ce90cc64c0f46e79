/**
 * The browsers' own PNG reader (src/decode/png-samples.ts) against the Node decoder: every layout it takes over
 * (alpha, grey + alpha, palette + tRNS, 16-bit, Adam7 interlacing, low bit depths) gives the same pixels.
 */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { collapseNeutralToGrey } from "../src/decode/neutral-grey.js";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { decodePngSamples, needsOwnPngDecode } from "../src/decode/png-samples.js";
import type { PixelImage } from "../src/engine/types.js";
import { HashError } from "../src/errors.js";
import { DEFAULT_HASH_OPTIONS } from "../src/options.js";
import { VECTORS } from "./support/fixtures.js";

const MAX_PIXELS = DEFAULT_HASH_OPTIONS.maxPixels;
const WIDTH = 67;
const HEIGHT = 45;

/** Noise with a transparent left third: colour under alpha 0 is exactly what premultiplied canvases lose. */
function noise(channels: number, seed: number): Buffer {
  const data = Buffer.alloc(WIDTH * HEIGHT * channels);
  for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i + seed, 2654435761) >>> 24) & 255;
  if (channels === 2 || channels === 4) {
    for (let p = 0; p < WIDTH * HEIGHT; p++) if (p % WIDTH < WIDTH / 3) data[p * channels + channels - 1] = 0;
  }
  return data;
}

function raw(channels: 1 | 2 | 3 | 4, seed = 1) {
  return sharp(noise(channels, seed), { raw: { width: WIDTH, height: HEIGHT, channels } });
}

/** The Node decoder keeps alpha as a channel the kernel skips; the browser reader drops it. */
function colourOnly(image: PixelImage): PixelImage {
  if (image.channels === 1 || image.channels === 3) return image;
  const channels = image.channels === 2 ? 1 : 3;
  const data = new Uint8Array(image.width * image.height * channels);
  for (let p = 0; p < image.width * image.height; p++) {
    for (let c = 0; c < channels; c++) data[p * channels + c] = image.data[p * image.channels + c]!;
  }
  return { ...image, data, channels };
}

const cases: Record<string, () => Promise<Buffer>> = {
  "RGBA": () => raw(4).png().toBuffer(),
  "RGBA, interlaced": () => raw(4, 2).png({ progressive: true }).toBuffer(),
  "grey + alpha": () => raw(2, 3).png().toBuffer(),
  "grey + alpha, interlaced": () => raw(2, 4).png({ progressive: true }).toBuffer(),
  "16-bit RGB": () => raw(3, 5).toColourspace("rgb16").png().toBuffer(),
  "16-bit RGBA, interlaced": () => raw(4, 6).toColourspace("rgb16").png({ progressive: true }).toBuffer(),
  "palette + tRNS": () => raw(4, 7).png({ palette: true, colours: 200, dither: 0 }).toBuffer(),
  "4-bit palette + tRNS": async () => {
    // libvips writes 16 colours or fewer at 4 bits a pixel; IHDR's bit depth (byte 24) confirms the case is real.
    const png = await raw(4, 8).png({ palette: true, colours: 16, dither: 0 }).toBuffer();
    if (png[24] !== 4) throw new Error(`expected a 4-bit palette PNG, got bit depth ${png[24]}`);
    return png;
  },
  "reference 1-bit sample (no transparency)": async () => readFileSync(`${VECTORS}/misc-images/modes/1.png`),
  "reference LA sample": async () => readFileSync(`${VECTORS}/misc-images/modes/LA.png`),
  "reference RGBA sample": async () => readFileSync(`${VECTORS}/misc-images/modes/RGBA.png`),
};

describe("browsers' PNG sample reader", () => {
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: the Node decoder's pixels`, async () => {
      const bytes = new Uint8Array(await make());
      const ours = collapseNeutralToGrey(await decodePngSamples(bytes, MAX_PIXELS));
      const node = colourOnly(await sharpDecoder.decode(bytes, { orientation: "apply", maxPixels: MAX_PIXELS }));
      expect([ours.width, ours.height, ours.channels]).toEqual([node.width, node.height, node.channels]);
      expect(Buffer.from(ours.data).equals(Buffer.from(node.data))).toBe(true);
    });
  }

  it("takes over exactly the PNGs browsers change: transparency or 16-bit", async () => {
    expect(needsOwnPngDecode(new Uint8Array(await raw(3).png().toBuffer()))).toBe(false);
    expect(needsOwnPngDecode(new Uint8Array(await raw(1).png().toBuffer()))).toBe(false);
    expect(needsOwnPngDecode(new Uint8Array(await raw(4).png().toBuffer()))).toBe(true);
    expect(needsOwnPngDecode(new Uint8Array(await raw(3).toColourspace("rgb16").png().toBuffer()))).toBe(true);
    expect(needsOwnPngDecode(new Uint8Array(await raw(4).png({ palette: true }).toBuffer()))).toBe(true);
  });

  it("refuses oversized pictures and damaged picture data with the usual codes", async () => {
    const bytes = new Uint8Array(await raw(4).png().toBuffer());
    await expect(decodePngSamples(bytes, WIDTH * HEIGHT - 1)).rejects.toMatchObject({ code: "too-many-pixels" });
    const idat = Buffer.from(bytes).indexOf("IDAT");
    const damaged = bytes.slice();
    for (let i = idat + 6; i < idat + 40; i++) damaged[i] = 0x55;
    const failure = await decodePngSamples(damaged, MAX_PIXELS).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HashError);
    expect((failure as HashError).code).toBe("decode-failed");
  });
});
