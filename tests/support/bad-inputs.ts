/**
 * Writes a folder of bad and odd inputs, each with the outcome it must have: a hash (often tied to another
 * file's hash, which is what proves the pixel policy) or a stable error code. Everything is generated from one
 * fixture photo with sharp and byte surgery, so no binaries are committed. Node and browser tests share it.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp, { type Sharp } from "sharp";
import type { HashErrorCode } from "../../src/errors.js";
import { CORPUS } from "./fixtures.js";
import { box, concat, ftyp, fullBox, latin1, u16, u32, u8 } from "./iso-boxes.js";

export interface BadInputCase {
  /** File name inside the folder. */
  file: string;
  about: string;
  /** The error this file must fail with. Absent: it must hash. */
  error?: HashErrorCode;
  /** Must hash exactly like this other case's file (the same pixels stored another way). */
  sameHashAs?: string;
  /** Must hash within `maxBits` of this other case's file (a lossy re-encoding of the same picture). */
  near?: { file: string; maxBits: number };
  /** Exact expected digest, for pictures below PDQ's minimum size of 5 pixels a side. */
  pdq?: string;
  quality?: number;
  /** Size after EXIF orientation. */
  width?: number;
  height?: number;
}

const ZERO_HASH = "0".repeat(64);
/** The picture every variant is made from: 592 x 400 (multiples of 16, so JPEG blocks survive rotation). */
const PHOTO = { width: 592, height: 400 };

interface Raw {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

function fromRaw({ data, width, height, channels }: Raw): Sharp {
  return sharp(data, { raw: { width, height, channels } });
}

async function toRaw(pipeline: Sharp): Promise<Raw> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as Raw["channels"] };
}

/** `channels` planes interleaved, from a function of (x, y, channel). */
function synthesize(width: number, height: number, channels: Raw["channels"], value: (x: number, y: number, c: number) => number): Raw {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0, at = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[at++] = value(x, y, c);
  return { data, width, height, channels };
}

/**
 * The stored grid for EXIF orientation `o` whose display is `shown`: each stored pixel (sx, sy) takes the shown
 * pixel the orientation moves it to (EXIF 2.32, tag 0x0112).
 */
function storeForOrientation(shown: Raw, o: number): Raw {
  const swap = o >= 5;
  const sw = swap ? shown.height : shown.width;
  const sh = swap ? shown.width : shown.height;
  const displayed: Record<number, (sx: number, sy: number) => [number, number]> = {
    1: (sx, sy) => [sx, sy],
    2: (sx, sy) => [sw - 1 - sx, sy],
    3: (sx, sy) => [sw - 1 - sx, sh - 1 - sy],
    4: (sx, sy) => [sx, sh - 1 - sy],
    5: (sx, sy) => [sy, sx],
    6: (sx, sy) => [sh - 1 - sy, sx],
    7: (sx, sy) => [sh - 1 - sy, sw - 1 - sx],
    8: (sx, sy) => [sy, sw - 1 - sx],
  };
  const move = displayed[o]!;
  const { channels } = shown;
  return synthesize(sw, sh, channels, (sx, sy, c) => {
    const [dx, dy] = move(sx, sy);
    return shown.data[(dy * shown.width + dx) * channels + c]!;
  });
}

/** A deterministic byte stream (xorshift32), so "random bytes" are the same on every run. */
function noise(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG whose IHDR (with a valid CRC) claims another size: a decompression bomb's header. */
function withClaimedSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const bytes = Uint8Array.from(png);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(bytes.subarray(12, 29)));
  return bytes;
}

/**
 * An HEVC-coded HEIF still image as far as a reader can tell without decoding: primary item of type `hvc1` with
 * a valid (parameter-set-free) `hvcC` and an `ispe`, and a payload that is not real HEVC. libheif's HEVC decoder
 * (src/decode/codecs/heic.ts) finds no picture in it: damaged, not cut off.
 */
function heicWithoutHevc(width: number, height: number): Uint8Array {
  const payload = concat(u32(4), u8(0x26, 0x01, 0xaf, 0x1d));
  const hvcC = box("hvcC", u8(1, 0x01), u32(0x60000000), u8(0x90, 0, 0, 0, 0, 0, 93), u8(0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8), u16(0), u8(0x0f, 0));
  const meta = (dataOffset: number) =>
    fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32(0), latin1("pict"), u32(0, 0, 0), u8(0)),
      fullBox("pitm", 0, u16(1)),
      fullBox("iinf", 0, u16(1), fullBox("infe", 2, u16(1, 0), latin1("hvc1"), u8(0))),
      fullBox("iloc", 0, u8(0x44, 0x00), u16(1, 1, 0, 1), u32(dataOffset, payload.length)),
      box("iprp", box("ipco", hvcC, fullBox("ispe", 0, u32(width, height))), fullBox("ipma", 0, u32(1), u16(1), u8(2, 0x81, 0x02))),
    );
  const head = ftyp("heic", ["mif1", "heic"]);
  // The item's data offset counts from the start of the file, so the layout is measured first.
  const dataOffset = head.length + meta(0).length + 8;
  return concat(head, meta(dataOffset), box("mdat", payload));
}


/**
 * The JPEG with three stray bytes (not FF) after each segment before its scan. libjpeg skips such bytes with a
 * warning ("extraneous bytes before marker") and decodes the same pixels.
 */
function withStrayBytes(jpeg: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (jpeg[at + 1] !== 0xda) {
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
    parts.push(jpeg.subarray(at, end), u8(0x01, 0x02, 0x03));
    at = end;
  }
  parts.push(jpeg.subarray(at));
  return concat(...parts);
}

/** Writes every case into `dir` (created if needed) and returns them, in a fixed order. */
export async function writeBadInputCorpus(dir: string): Promise<BadInputCase[]> {
  await mkdir(dir, { recursive: true });
  const photo = await toRaw(
    sharp(await readFile(join(CORPUS, "skimage-coffee.png"))).extract({ left: 4, top: 0, ...PHOTO }).removeAlpha(),
  );
  // Few colours, so palette formats (PNG-8, GIF) hold it exactly.
  const poster = await toRaw(sharp(await fromRaw(photo).png({ palette: true, colours: 16, dither: 0 }).toBuffer()).removeAlpha());
  const grey = await toRaw(fromRaw(photo).greyscale());
  const withAlpha = (image: Raw, alpha: (x: number, y: number) => number): Raw =>
    synthesize(image.width, image.height, (image.channels + 1) as Raw["channels"], (x, y, c) =>
      c < image.channels ? image.data[(y * image.width + x) * image.channels + c]! : alpha(x, y),
    );
  const ramp = (x: number, y: number) => (x * 3 + y * 5) & 0xff;

  const cases: [BadInputCase, Uint8Array | Promise<Uint8Array>][] = [];
  const add = (spec: BadInputCase, bytes: Uint8Array | Promise<Uint8Array>) => cases.push([spec, bytes]);
  const png = (image: Raw) => fromRaw(image).png().toBuffer();

  add({ file: "photo.png", about: "the base picture, 8-bit RGB" }, png(photo));
  add({ file: "photo-16-bit.png", about: "16-bit RGB made from the base (v * 257)", sameHashAs: "photo.png" },
    fromRaw(photo).toColourspace("rgb16").png().toBuffer());
  add({ file: "photo-transparent.png", about: "RGBA, alpha 0 everywhere: the stored colour is hashed", sameHashAs: "photo.png" },
    png(withAlpha(photo, () => 0)));
  add({ file: "photo-alpha-ramp.png", about: "RGBA with varying alpha", sameHashAs: "photo.png" }, png(withAlpha(photo, ramp)));
  add({ file: "photo-lossless.webp", about: "lossless WebP", sameHashAs: "photo.png" }, fromRaw(photo).webp({ lossless: true }).toBuffer());
  add({ file: "photo.webp", about: "lossy WebP", near: { file: "photo.png", maxBits: 16 } }, fromRaw(photo).webp({ quality: 90 }).toBuffer());
  add({ file: "photo.avif", about: "AVIF", near: { file: "photo.png", maxBits: 16 } }, fromRaw(photo).avif({ quality: 70 }).toBuffer());
  add({ file: "hevc.heic", about: "HEIC whose HEVC payload holds no picture", error: "decode-failed" }, heicWithoutHevc(PHOTO.width, PHOTO.height));
  add({ file: "photo.jpg", about: "baseline JPEG", near: { file: "photo.png", maxBits: 12 } }, fromRaw(photo).jpeg({ quality: 92 }).toBuffer());
  add({ file: "photo-progressive.jpg", about: "progressive JPEG", near: { file: "photo.jpg", maxBits: 6 } },
    fromRaw(photo).jpeg({ quality: 92, progressive: true }).toBuffer());
  add({ file: "photo-cmyk.jpg", about: "CMYK JPEG", near: { file: "photo.png", maxBits: 24 } },
    fromRaw(photo).toColourspace("cmyk").jpeg({ quality: 95 }).toBuffer());

  add({ file: "grey.png", about: "8-bit greyscale" }, png(grey));
  add({ file: "grey-alpha.png", about: "greyscale + alpha", sameHashAs: "grey.png" }, png(withAlpha(grey, ramp)));
  add({ file: "grey-as-rgb.png", about: "RGB file whose pixels are all grey", sameHashAs: "grey.png" },
    fromRaw(grey).toColourspace("srgb").png().toBuffer());
  add({ file: "poster.png", about: "16-colour picture as RGB" }, png(poster));
  add({ file: "poster-palette.png", about: "the same as palette PNG", sameHashAs: "poster.png" },
    fromRaw(poster).png({ palette: true, colours: 256, dither: 0 }).toBuffer());
  add({ file: "poster-palette-alpha.png", about: "palette PNG with transparency", sameHashAs: "poster.png" },
    // Half transparent rather than invisible: palette encoders fold every invisible pixel into one entry.
    fromRaw(withAlpha(poster, (x) => (x < 200 ? 128 : 255))).png({ palette: true, colours: 256, dither: 0 }).toBuffer());
  add({ file: "poster-animated.gif", about: "2-frame GIF: the first frame is hashed", sameHashAs: "poster.png" },
    // The second frame is the first upside down: same colours, different picture.
    sharp(Uint8Array.from([...poster.data, ...storeForOrientation(poster, 3).data]), {
      raw: { width: poster.width, height: poster.height * 2, channels: 3, pageHeight: poster.height },
    })
      .gif({ colours: 256, dither: 0, loop: 0 })
      .toBuffer());

  const shown = await toRaw(sharp(await fromRaw(photo).jpeg({ quality: 95, chromaSubsampling: "4:4:4" }).toBuffer()));
  for (let o = 1; o <= 8; o++) {
    const stored = storeForOrientation(shown, o);
    add(
      {
        file: `exif-orientation-${o}.jpg`,
        about: `EXIF orientation ${o}: shown upright once applied`,
        near: { file: "exif-orientation-1.jpg", maxBits: 10 },
        width: PHOTO.width,
        height: PHOTO.height,
      },
      fromRaw(stored).withMetadata({ orientation: o }).jpeg({ quality: 95, chromaSubsampling: "4:4:4" }).toBuffer(),
    );
  }

  const small = (size: number) => synthesize(size, size, 3, (x, y, c) => (x * 50 + y * 30 + c * 70) & 0xff);
  add({ file: "tiny-1x1.png", about: "1x1: below PDQ's minimum, all-zero hash", pdq: ZERO_HASH, quality: 0 }, png(small(1)));
  add({ file: "tiny-4x4.png", about: "4x4: below PDQ's minimum, all-zero hash", pdq: ZERO_HASH, quality: 0 }, png(small(4)));
  add({ file: "tiny-5x5.png", about: "5x5: the smallest hashable size", width: 5, height: 5 }, png(small(5)));
  add({ file: "strip-1x20000.png", about: "1 x 20000 strip: too narrow, all-zero hash", pdq: ZERO_HASH, quality: 0, width: 1, height: 20000 },
    png(synthesize(1, 20000, 1, (_x, y) => (y * 7) & 0xff)));

  const photoPng = await png(photo);
  const photoJpeg = await fromRaw(photo).jpeg({ quality: 92 }).toBuffer();
  add({ file: "empty.jpg", about: "0 bytes", error: "empty" }, new Uint8Array(0));
  add({ file: "truncated.jpg", about: "JPEG cut in half", error: "truncated" }, photoJpeg.subarray(0, photoJpeg.length >> 1));
  add({ file: "truncated.png", about: "PNG cut in half", error: "truncated" }, photoPng.subarray(0, photoPng.length >> 1));
  const strayBytes = withStrayBytes(photoJpeg);
  add({ file: "stray-bytes.jpg", about: "JPEG with stray bytes between its segments (libjpeg skips them)", sameHashAs: "photo.jpg" }, strayBytes);
  add({ file: "stray-bytes-cut.jpg", about: "the same JPEG cut inside its scan", error: "truncated" }, strayBytes.subarray(0, strayBytes.length - 4096));
  add({ file: "random-bytes.jpg", about: "noise with a picture's name", error: "not-an-image" }, noise(8192, 0x5eed));
  add({ file: "document.png", about: "a PDF named .png", error: "not-an-image" },
    latin1("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
  add({ file: "page.png", about: "an HTML page named .png", error: "not-an-image" },
    latin1("<!DOCTYPE html>\n<html><head><title>x</title></head><body><img src=a.png></body></html>\n"));
  add({ file: "drawing.png", about: "an SVG drawing named .png", error: "not-an-image" },
    latin1('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>\n'));
  add({ file: "bomb-60000x60000.png", about: "PNG header claiming 60000 x 60000", error: "too-many-pixels" },
    withClaimedSize(photoPng, 60000, 60000));

  const written: BadInputCase[] = [];
  for (const [spec, bytes] of cases) {
    await writeFile(join(dir, spec.file), await bytes);
    written.push(spec);
  }
  return written;
}
