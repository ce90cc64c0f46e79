/**
 * A big batch of generated pictures for the load test and the load benchmark: small pictures (smooth random colour
 * fields, 64 to 256 px a side, PNG and JPEG in turn) with large JPEGs (2 to 4 MP) spread evenly through the sorted
 * order, so a run reaches its memory peak early and anything that piles up per file shows as growth afterwards.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { SeededRandom } from "./mutate.js";

export interface LoadSetOptions {
  files: number;
  /** How many of `files` are large. */
  large: number;
  seed?: number;
}

export interface LoadFile {
  path: string;
  width: number;
  height: number;
  large: boolean;
}

export interface LoadSet {
  /** In the order a sorted folder walk meets them. */
  files: LoadFile[];
  /** How many files are large. */
  large: number;
  bytes: number;
}

export const SMALL_SIDES = { min: 64, max: 256 } as const;
export const LARGE_MEGAPIXELS = { min: 2, max: 4 } as const;
/**
 * Encoding a large JPEG costs about as much as decoding and hashing it, so the large files are copies of this many
 * distinct pictures. Nothing is shared between copies when they are hashed (sharp's cache is off): same load.
 */
const DISTINCT_LARGE = 12;
/** Pictures encoded at once: enough to keep libvips' threads busy, few enough to keep this process small. */
const ENCODING_BATCH = 16;

/** Writes `files` pictures into `dir` (created if needed), the same for the same options. */
export async function writeLoadSet(dir: string, options: LoadSetOptions): Promise<LoadSet> {
  const { files, large, seed = 1 } = options;
  if (large > files) throw new RangeError("a load set cannot have more large files than files");
  await mkdir(dir, { recursive: true });
  const random = new SeededRandom(seed);
  const largeSources = await Promise.all(Array.from({ length: Math.min(DISTINCT_LARGE, large) }, () => largePicture(random)));
  const written: LoadFile[] = [];
  let bytes = 0;
  let largeSoFar = 0;
  for (let start = 0; start < files; start += ENCODING_BATCH) {
    const batch = Array.from({ length: Math.min(ENCODING_BATCH, files - start) }, async (_, offset) => {
      const index = start + offset;
      const name = String(index).padStart(String(files - 1).length, "0");
      // Large file number k sits at index floor(k * files / large): evenly spread, the first one at index 0.
      if (large > 0 && Math.ceil((index * large) / files) < Math.ceil(((index + 1) * large) / files)) {
        const source = largeSources[largeSoFar++ % largeSources.length]!;
        const path = join(dir, `${name}-large.jpg`);
        await writeFile(path, source.bytes);
        return { file: { path, width: source.width, height: source.height, large: true }, bytes: source.bytes.length };
      }
      const picture = await smallPicture(random, index % 2 === 0 ? "png" : "jpg");
      const path = join(dir, `${name}.${picture.extension}`);
      await writeFile(path, picture.bytes);
      return { file: { path, width: picture.width, height: picture.height, large: false }, bytes: picture.bytes.length };
    });
    for (const done of await Promise.all(batch)) {
      written.push(done.file);
      bytes += done.bytes;
    }
  }
  return { files: written, large: largeSoFar, bytes };
}

interface Picture {
  width: number;
  height: number;
  bytes: Uint8Array;
}

/**
 * A smooth colour field: a few random pixels enlarged with a cubic filter, which gives PDQ real structure to hash
 * (a flat picture would give quality 0) and costs little to encode.
 */
function colourField(random: SeededRandom, width: number, height: number) {
  const seedWidth = 4 + random.below(6);
  const seedHeight = 4 + random.below(6);
  const seedPixels = Buffer.alloc(seedWidth * seedHeight * 3);
  for (let i = 0; i < seedPixels.length; i++) seedPixels[i] = random.below(256);
  return sharp(seedPixels, { raw: { width: seedWidth, height: seedHeight, channels: 3 } }).resize(width, height, { kernel: "cubic", fit: "fill" });
}

/** Random choices are drawn before any await, so the set depends on the seed alone, not on encoding speed. */
function smallPicture(random: SeededRandom, extension: "png" | "jpg"): Promise<Picture & { extension: string }> {
  const width = random.between(SMALL_SIDES.min, SMALL_SIDES.max);
  const height = random.between(SMALL_SIDES.min, SMALL_SIDES.max);
  const field = colourField(random, width, height);
  const encoded = extension === "png" ? field.png() : field.jpeg({ quality: 85 });
  return encoded.toBuffer().then((bytes) => ({ width, height, bytes, extension }));
}

function largePicture(random: SeededRandom): Promise<Picture> {
  const megapixels = LARGE_MEGAPIXELS.min + random.below(1001) * ((LARGE_MEGAPIXELS.max - LARGE_MEGAPIXELS.min) / 1000);
  // Landscape and portrait, 4:3 and 3:2.
  const aspect = random.pick([4 / 3, 3 / 2, 3 / 4, 2 / 3]);
  const width = Math.round(Math.sqrt(megapixels * 1e6 * aspect));
  const height = Math.ceil((megapixels * 1e6) / width);
  return colourField(random, width, height)
    .jpeg({ quality: 85 })
    .toBuffer()
    .then((bytes) => ({ width, height, bytes }));
}
