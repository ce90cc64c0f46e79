/**
 * The files the benchmark hashes. The full set is the 200 real-photo JPEGs that make-photos.sh builds from Debian
 * packages (built once into bench/.photos/, which is gitignored). The quick set needs nothing external: the
 * fixture JPEGs plus a few photo-sized JPEGs that sharp makes from fixture PNGs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { findImageMagick, IMAGEMAGICK_INSTALL_COMMAND } from "./imagemagick.js";
import { PROJECT_ROOT } from "./paths.js";

export type SizeClass = "small" | "1mp" | "3mp" | "12mp";
export const PHOTO_SIZE_CLASSES: readonly SizeClass[] = ["1mp", "3mp", "12mp"];

export interface Photo {
  path: string;
  sizeClass: SizeClass;
  bytes: number;
}

export interface PhotoSet {
  name: "bench-photos" | "quick";
  description: string;
  photos: Photo[];
}

export class PhotoSetUnavailable extends Error {}

const PHOTOS_ROOT = join(PROJECT_ROOT, "bench", ".photos");
const FIXTURE_CORPUS = join(PROJECT_ROOT, "tests", "fixtures", "corpus");
const BENCH_PHOTO_COUNT = 200;
/** Written after make-photos.sh succeeds, so an interrupted build (a half-written JPEG) is never benchmarked. */
const COMPLETE_MARKER = ".complete";

function sizeClassOf(fileName: string): SizeClass {
  const prefix = /^(?:q-)?(1mp|3mp|12mp)[_-]/.exec(fileName)?.[1];
  return (prefix as SizeClass | undefined) ?? "small";
}

function photosIn(dir: string, accept: (name: string) => boolean): Photo[] {
  return readdirSync(dir)
    .filter(accept)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { path, sizeClass: sizeClassOf(name), bytes: statSync(path).size };
    });
}

function buildBenchPhotos(): void {
  const convert = findImageMagick();
  if (!convert) {
    throw new PhotoSetUnavailable(
      `Building the benchmark photo set needs ImageMagick (the real convert binary). Install it with:\n  ${IMAGEMAGICK_INSTALL_COMMAND}`,
    );
  }
  console.error(
    `First run: building the ${BENCH_PHOTO_COUNT}-photo benchmark set in bench/.photos/ with bench/make-photos.sh ` +
      `(${convert}; downloads two Debian packages; takes a few minutes, once).`,
  );
  mkdirSync(PHOTOS_ROOT, { recursive: true });
  const result = spawnSync("bash", [join(PROJECT_ROOT, "bench", "make-photos.sh"), PHOTOS_ROOT], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CONVERT: convert },
  });
  if (result.status !== 0) {
    throw new PhotoSetUnavailable(`bench/make-photos.sh failed (exit ${result.status ?? result.signal}); see its output above.`);
  }
  writeFileSync(join(PHOTOS_ROOT, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
}

export function loadBenchPhotos(): PhotoSet {
  if (!existsSync(join(PHOTOS_ROOT, COMPLETE_MARKER))) buildBenchPhotos();
  const photos = photosIn(join(PHOTOS_ROOT, "photos"), (name) => name.endsWith(".jpg"));
  if (photos.length !== BENCH_PHOTO_COUNT) {
    throw new PhotoSetUnavailable(
      `bench/.photos/photos holds ${photos.length} JPEGs, expected ${BENCH_PHOTO_COUNT}; delete bench/.photos/${COMPLETE_MARKER} to rebuild.`,
    );
  }
  return {
    name: "bench-photos",
    description: `${BENCH_PHOTO_COUNT} JPEGs (q90, 4:2:0) from real photos in Debian packages: 80 x 1 MP, 80 x 3 MP, 40 x 12 MP`,
    photos,
  };
}

/**
 * JPEGs made here with sharp from fixture PNGs, scaled and with light deterministic noise for camera-like entropy:
 * photo-sized ones for the quick run, and small ones to warm each contender up on files it is not timed on.
 */
const GENERATED = [
  { name: "q-1mp-0.jpg", source: "skimage-coffee.png", width: 1152, height: 864, role: "quick" },
  { name: "q-1mp-1.jpg", source: "opencv-baboon.png", width: 864, height: 1152, role: "quick" },
  { name: "q-3mp-0.jpg", source: "skimage-astronaut.png", width: 2048, height: 1536, role: "quick" },
  { name: "q-3mp-1.jpg", source: "opencv-starry_night.png", width: 1536, height: 2048, role: "quick" },
  { name: "q-12mp-0.jpg", source: "skimage-motorcycle_left.png", width: 4000, height: 3000, role: "quick" },
  { name: "q-12mp-1.jpg", source: "mpl-grace_hopper.png", width: 3000, height: 4000, role: "quick" },
  { name: "warmup-0.jpg", source: "opencv-aero3.png", width: 640, height: 480, role: "warmup" },
  { name: "warmup-1.jpg", source: "opencv-home.png", width: 640, height: 480, role: "warmup" },
  { name: "warmup-2.jpg", source: "skimage-grass.png", width: 480, height: 640, role: "warmup" },
  { name: "warmup-3.jpg", source: "opencv-stuff.png", width: 640, height: 480, role: "warmup" },
] as const;
type GeneratedRole = (typeof GENERATED)[number]["role"];
const NOISE_AMPLITUDE = 6;
const GENERATED_DIR = join(PHOTOS_ROOT, "generated");

function addNoise(pixels: Buffer, seed: number): void {
  // xorshift32: deterministic, so the generated files are the same on every machine with the same sharp.
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const noise = ((state >>> 0) % (2 * NOISE_AMPLITUDE + 1)) - NOISE_AMPLITUDE;
    pixels[i] = Math.min(255, Math.max(0, pixels[i]! + noise));
  }
}

/** What the generated files depend on; a different recipe (or sharp) regenerates them. */
function generatedRecipe(): string {
  return JSON.stringify({ GENERATED, NOISE_AMPLITUDE, sharp: sharp.versions.sharp });
}

async function ensureGenerated(): Promise<void> {
  const marker = join(GENERATED_DIR, COMPLETE_MARKER);
  if (existsSync(marker) && readFileSync(marker, "utf8") === generatedRecipe()) return;
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const [index, spec] of GENERATED.entries()) {
    const { data, info } = await sharp(join(FIXTURE_CORPUS, spec.source))
      .resize(spec.width, spec.height, { fit: "cover" })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    addNoise(data, index + 1);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .jpeg({ quality: 90, chromaSubsampling: "4:2:0" })
      .toFile(join(GENERATED_DIR, spec.name));
  }
  writeFileSync(marker, generatedRecipe());
}

async function generatedPhotos(role: GeneratedRole): Promise<Photo[]> {
  await ensureGenerated();
  const names = new Set<string>(GENERATED.filter((spec) => spec.role === role).map((spec) => spec.name));
  return photosIn(GENERATED_DIR, (name) => names.has(name));
}

export async function loadQuickPhotos(): Promise<PhotoSet> {
  const fixtures = photosIn(FIXTURE_CORPUS, (name) => name.endsWith(".jpg"));
  const generated = await generatedPhotos("quick");
  return {
    name: "quick",
    description: `${fixtures.length} fixture JPEGs (<= 1 MP) + ${generated.length} JPEGs generated from fixtures (2 each of 1, 3 and 12 MP)`,
    photos: [...fixtures, ...generated],
  };
}

/** Files every contender processes untimed before its timed run; in no photo set. */
export async function loadWarmupFiles(): Promise<string[]> {
  return (await generatedPhotos("warmup")).map((photo) => photo.path);
}
