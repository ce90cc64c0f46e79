/**
 * The browsers' own PNG reader (src/decode/png-samples.ts) against the Node decoder: every layout it takes over
 * (alpha, grey + alpha, palette + tRNS, 16-bit, Adam7 interlacing, low bit depths) gives the same pixels.
 */
import { readFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { collapseNeutralToGrey } from "../src/decode/neutral-grey.js";
import { sharpDecoder } from "../src/decode/node-sharp.js";
import { decodePngSamples } from "../src/decode/png-samples.js";
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

  it("inflates no more than the picture needs: a 1 x 1 PNG whose data unpacks to 128 MB", async () => {
    const chunk = (type: string, data: Uint8Array) => {
      const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
      const out = Buffer.alloc(body.length + 8);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), body.length + 4);
      return out;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(1, 0);
    header.writeUInt32BE(1, 4);
    header[8] = 8;
    header[9] = 2;
    // One scanline (filter 0, then grey-blue 10 20 30), followed by 128 MB of zeros the picture never reads.
    const stream = Buffer.alloc(128 * 1024 * 1024);
    stream.set([0, 10, 20, 30]);
    const png = new Uint8Array(
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(stream)), chunk("IEND", new Uint8Array(0))]),
    );
    const before = process.memoryUsage().arrayBuffers;
    const image = await decodePngSamples(png, MAX_PIXELS);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect({ ...image, data: Array.from(image.data) }).toEqual({ data: [10, 20, 30], width: 1, height: 1, channels: 3 });
  });
});
