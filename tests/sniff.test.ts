/** Format sniffing and header sizes, on files sharp writes and on hand-built headers. */
import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { checkImageHeader } from "../src/decode/check-header.js";
import { looksCutOff, readDimensions } from "../src/decode/headers/index.js";
import { jpegEndsEarly } from "../src/decode/headers/jpeg.js";
import { describeNonImage, sniffFormat, type ImageFormat } from "../src/decode/sniff.js";
import { HashError, type HashErrorCode } from "../src/errors.js";
import { hostileTiff } from "./support/hostile-files.js";
import { box, concat, ftyp, fullBox, u32 } from "./support/iso-boxes.js";

const WIDTH = 37;
const HEIGHT = 23;

function picture(channels: 3 | 4 = 3): Sharp {
  const data = new Uint8Array(WIDTH * HEIGHT * channels).map((_, i) => (i * 29) % 251);
  return sharp(data, { raw: { width: WIDTH, height: HEIGHT, channels } });
}

const encoded: [string, ImageFormat, () => Promise<Uint8Array>][] = [
  ["baseline JPEG", "jpeg", () => picture().jpeg().toBuffer()],
  ["progressive JPEG with EXIF", "jpeg", () => picture().withMetadata({ orientation: 3 }).jpeg({ progressive: true }).toBuffer()],
  ["PNG", "png", () => picture().png().toBuffer()],
  ["GIF", "gif", () => picture().gif().toBuffer()],
  ["lossy WebP (VP8)", "webp", () => picture().webp().toBuffer()],
  ["lossless WebP (VP8L)", "webp", () => picture().webp({ lossless: true }).toBuffer()],
  ["WebP with alpha (VP8X)", "webp", () => picture(4).webp().toBuffer()],
  ["AVIF", "avif", () => picture().avif().toBuffer()],
  ["little-endian TIFF", "tiff", () => picture().tiff().toBuffer()],
];

describe("sniffFormat and readDimensions", () => {
  it.each(encoded)("%s", async (_label, format, make) => {
    const bytes = await make();
    expect(sniffFormat(bytes)).toBe(format);
    expect(readDimensions(bytes, format)).toEqual({ width: WIDTH, height: HEIGHT });
    expect(looksCutOff(bytes, format)).toBe(false);
    expect(looksCutOff(bytes.subarray(0, Math.floor(bytes.length * 0.6)), format)).toBe(true);
  });

  it("BMP, both header generations", () => {
    expect(sniffFormat(bmpHeader(40, 640, -480))).toBe("bmp");
    expect(readDimensions(bmpHeader(40, 640, -480), "bmp")).toEqual({ width: 640, height: 480 });
    expect(readDimensions(bmpHeader(12, 300, 200), "bmp")).toEqual({ width: 300, height: 200 });
  });

  it("big-endian TIFF", () => {
    const tiff = bigEndianTiff(1000, 700);
    expect(sniffFormat(tiff)).toBe("tiff");
    expect(readDimensions(tiff, "tiff")).toEqual({ width: 1000, height: 700 });
  });

  it("HEIC by its brands, with the largest image extent", () => {
    const heic = isoBmff("heic", ["mif1", "heic"], [[512, 512], [4032, 3024], [256, 192]]);
    expect(sniffFormat(heic)).toBe("heic");
    expect(readDimensions(heic, "heic")).toEqual({ width: 4032, height: 3024 });
    expect(sniffFormat(isoBmff("mif1", ["mif1", "avif"], []))).toBe("avif");
  });

  it.each([
    ["PDF", "%PDF-1.7\n1 0 obj", "a PDF document"],
    ["HTML", "<!DOCTYPE html><html><body>hi</body></html>", "an HTML web page"],
    ["SVG", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "an SVG drawing"],
    ["text", "holiday list\n- sun cream\n", "a text file"],
  ])("%s is not an image", (_label, text, description) => {
    const bytes = new TextEncoder().encode(text);
    expect(sniffFormat(bytes)).toBeUndefined();
    expect(describeNonImage(bytes)).toBe(description);
  });

  it("video and random bytes are not images", () => {
    expect(sniffFormat(isoBmff("isom", ["isom", "mp41"], []))).toBeUndefined();
    const random = new Uint8Array(4096).map((_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff);
    expect(sniffFormat(random)).toBeUndefined();
    expect(sniffFormat(new TextEncoder().encode("BM is not enough"))).toBeUndefined();
  });
});

function codeOf(run: () => unknown): HashErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof HashError) return error.code;
    throw error;
  }
  return undefined;
}

describe("checkImageHeader", () => {
  it("refuses a PNG that claims 60000 x 60000 from its 33-byte header alone", async () => {
    const png = Uint8Array.from(await picture().png().toBuffer());
    new DataView(png.buffer).setUint32(16, 60000);
    new DataView(png.buffer).setUint32(20, 60000);
    const limits = { maxPixels: 100_000_000 };
    expect(codeOf(() => checkImageHeader(png.subarray(0, 33), limits))).toBe("too-many-pixels");
    expect(() => checkImageHeader(png, limits)).toThrow(/60000 x 60000 pixels; the limit is 100,000,000/);
  });

  it("accepts up to the limit and returns the header", async () => {
    const png = await picture().png().toBuffer();
    expect(checkImageHeader(png, { maxPixels: WIDTH * HEIGHT })).toEqual({
      format: "png",
      dimensions: { width: WIDTH, height: HEIGHT },
    });
    expect(codeOf(() => checkImageHeader(png, { maxPixels: WIDTH * HEIGHT - 1 }))).toBe("too-many-pixels");
  });

  it("names empty, non-image, cut-off-header and zero-size files", async () => {
    const png = Uint8Array.from(await picture().png().toBuffer());
    const limits = { maxPixels: 1e8 };
    expect(codeOf(() => checkImageHeader(new Uint8Array(0), limits))).toBe("empty");
    expect(codeOf(() => checkImageHeader(new TextEncoder().encode("%PDF-1.4"), limits))).toBe("not-an-image");
    expect(codeOf(() => checkImageHeader(png.subarray(0, 20), limits))).toBe("truncated");
    new DataView(png.buffer).setUint32(16, 0);
    expect(codeOf(() => checkImageHeader(png, limits))).toBe("decode-failed");
  });

  it("says what a non-image looks like", () => {
    expect(() => checkImageHeader(new TextEncoder().encode("%PDF-1.4"), { maxPixels: 1e8 })).toThrow(/looks like a PDF document/);
  });
});

describe("jpegEndsEarly: one cut-off rule for every decoder, tolerant as libjpeg is", () => {
  /** SOI, the given segments (marker, payload), then SOS with `scan` as its data, then EOI. */
  function jpeg(segments: [number, number[]][], scan: number[], tail: number[] = [0xff, 0xd9]): Uint8Array {
    const bytes = [0xff, 0xd8];
    for (const [marker, payload] of segments) bytes.push(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload);
    bytes.push(0xff, 0xda, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0, ...scan, ...tail);
    return Uint8Array.from(bytes);
  }
  const frame: [number, number[]] = [0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]];

  it("a whole file, with stuffed bytes, restart markers and fill bytes, reaches its end", () => {
    const scan = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78];
    expect(jpegEndsEarly(jpeg([frame], scan))).toBe(false);
    expect(readDimensions(jpeg([frame], scan), "jpeg")).toEqual({ width: 16, height: 16 });
  });

  it("stray bytes between segments are skipped, as libjpeg skips them; trailing bytes after the end are no cut", () => {
    const whole = jpeg([[0xe0, [1, 2, 3]], frame], [1, 2]);
    // After the APP0 segment (bytes 2..8), before the frame header.
    const stray = Uint8Array.from([...whole.subarray(0, 9), 0x00, 0x42, 0x13, ...whole.subarray(9)]);
    expect(jpegEndsEarly(stray)).toBe(false);
    expect(readDimensions(stray, "jpeg")).toEqual({ width: 16, height: 16 });
    expect(jpegEndsEarly(stray.subarray(0, stray.length - 3))).toBe(true);
    expect(jpegEndsEarly(jpeg([frame], [1, 2, 3], [0xff, 0xd9, 0x00, 0x00, 0x41]))).toBe(false);
  });

  it("a file cut in a segment, in its scan, or before its end marker ends early", () => {
    const whole = jpeg([[0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0]], frame], [9, 8, 7, 6]);
    for (let length = 2; length < whole.length; length++) expect(jpegEndsEarly(whole.subarray(0, length))).toBe(true);
    expect(jpegEndsEarly(whole)).toBe(false);
  });

  it("an end marker inside a metadata segment (an EXIF thumbnail's) is not the file's end", () => {
    const thumbnail = [0xff, 0xd8, 0xff, 0xd9];
    expect(jpegEndsEarly(jpeg([[0xe1, thumbnail], frame], [1, 2]).subarray(0, 20))).toBe(true);
  });

  it("a JPEG sharp writes reaches its end; one byte less does not", async () => {
    const bytes = await picture().jpeg().toBuffer();
    expect(jpegEndsEarly(bytes)).toBe(false);
    expect(looksCutOff(bytes, "jpeg")).toBe(false);
    expect(jpegEndsEarly(bytes.subarray(0, bytes.length - 1))).toBe(true);
  });
});

describe("header readers on hostile structures", () => {
  it("a TIFF directory whose entries all claim the whole file is read in one pass", () => {
    const tiff = hostileTiff();
    expect(sniffFormat(tiff)).toBe("tiff");
    expect(readDimensions(tiff, "tiff")).toBeUndefined();
    // No strip table: damaged rather than cut, so the decoder's own verdict stands.
    expect(looksCutOff(tiff, "tiff")).toBe(false);
  });

  it("TIFF strips are checked where they lie: one past the end is a cut", () => {
    const tiff = tiffWithStrips([[100, 50], [150, 50]], 200);
    expect(readDimensions(tiff, "tiff")).toEqual({ width: 4, height: 2 });
    expect(looksCutOff(tiff, "tiff")).toBe(false);
    expect(looksCutOff(tiffWithStrips([[100, 50], [150, 51]], 200), "tiff")).toBe(true);
    expect(looksCutOff(tiff.subarray(0, 120), "tiff")).toBe(true);
  });

  it("an ftyp box listing thousands of brands is read only as far as real files go", () => {
    const brands = Array.from({ length: 5000 }, () => "mif1");
    expect(sniffFormat(isoBmff("mif1", brands, [[10, 10]]))).toBe("heic");
    expect(sniffFormat(isoBmff("isom", [...brands.map(() => "isom"), "avif"], [[10, 10]]))).toBeUndefined();
  });

  it("boxes nested and chained to the end of a large file are walked in bounded steps", () => {
    const many = concat(ftyp("heic", ["mif1"]), ...Array.from({ length: 100_000 }, () => box("free")));
    expect(sniffFormat(many)).toBe("heic");
    expect(readDimensions(many, "heic")).toBeUndefined();
    expect(looksCutOff(many, "heic")).toBe(false);
  });
});

/** A little-endian TIFF, 4 x 2 pixels, whose strips (offset, length) are given; `size` bytes long. */
function tiffWithStrips(strips: [number, number][], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 0x2a, 0x00]);
  view.setUint32(4, 8, true);
  const entries: [number, number, number, number][] = [
    [256, 3, 1, 4],
    [257, 3, 1, 2],
    [273, 4, strips.length, 60],
    [279, 4, strips.length, 80],
  ];
  view.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, count, true);
    view.setUint32(at + 8, value, true);
  });
  strips.forEach(([offset, length], i) => {
    view.setUint32(60 + 4 * i, offset, true);
    view.setUint32(80 + 4 * i, length, true);
  });
  return bytes;
}

function bmpHeader(dibSize: 12 | 40, width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(14 + dibSize);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(14, dibSize, true);
  if (dibSize === 12) {
    view.setUint16(18, width, true);
    view.setUint16(20, height, true);
  } else {
    view.setInt32(18, width, true);
    view.setInt32(22, height, true);
  }
  return bytes;
}

function bigEndianTiff(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(8 + 2 + 2 * 12 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, 8);
  view.setUint16(8, 2);
  // ImageWidth as SHORT, ImageLength as LONG: both types occur in the wild.
  view.setUint16(10, 256);
  view.setUint16(12, 3);
  view.setUint32(14, 1);
  view.setUint16(18, width);
  view.setUint16(22, 257);
  view.setUint16(24, 4);
  view.setUint32(26, 1);
  view.setUint32(30, height);
  return bytes;
}

/** ftyp + meta/iprp/ipco with one `ispe` per extent: the boxes an HEIF reader needs to find the size. */
function isoBmff(major: string, compatible: string[], extents: [number, number][]): Uint8Array {
  const ispes = extents.map(([width, height]) => fullBox("ispe", 0, u32(width, height)));
  return concat(ftyp(major, compatible), fullBox("meta", 0, box("iprp", box("ipco", ...ispes))));
}
