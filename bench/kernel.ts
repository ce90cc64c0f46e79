/**
 * Kernel only: the WASM engine against the TypeScript twin on pixels decoded once up front, so nothing but
 * `engine.hash` is timed. The two are sampled in alternation, so load from other processes hits both alike, and
 * every digest of one is compared with the other's: a speed-up only counts if the bits are identical.
 */
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { loadEngine } from "../src/engine/index.js";
import type { Channels, PdqEngine, PixelImage } from "../src/engine/index.js";
import type { EngineKind, KernelResizeMode } from "../src/options.js";
import type { Photo, SizeClass } from "./photo-set.js";
import { PHOTO_SIZE_CLASSES } from "./photo-set.js";
import { round3, spreadOf } from "./stats.js";
import type { Spread } from "./stats.js";

/** Resize modes the kernel rows cover; the fast mode (issue 8) changes decoding, not the kernel, so it adds none. */
export const KERNEL_RESIZE_MODES: readonly KernelResizeMode[] = ["full", "512"];
const ENGINES: readonly EngineKind[] = ["wasm", "js"];

export interface KernelBudget {
  imagesPerClass: number;
  /** Per engine and row: at least this many timed hashes and this much timed work, at most `maxSamples`. */
  minSamples: number;
  minTimeMs: number;
  maxSamples: number;
}

export interface KernelRow {
  sizeClass: SizeClass;
  /** Dimensions of the images in this row (they share a size class; orientation may differ). */
  dimensions: string[];
  megapixels: number;
  resize: KernelResizeMode;
  msPerImage: Record<EngineKind, Spread>;
  /** Twin ms / WASM ms, from the medians. */
  wasmSpeedup: number;
  /** Every WASM digest equal to the twin's for the same image and mode. */
  bitIdentical: boolean;
}

export async function decodeToPixels(path: string): Promise<PixelImage> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Channels };
}

export async function loadEngines(): Promise<Record<EngineKind, PdqEngine>> {
  const [wasm, js] = await Promise.all(ENGINES.map((kind) => loadEngine(kind)));
  return { wasm: wasm!, js: js! };
}

function timeHash(engine: PdqEngine, image: PixelImage, resize: KernelResizeMode): { ms: number; digest: string } {
  const start = performance.now();
  const digest = engine.hash(image, { resize, dihedral: false });
  return { ms: performance.now() - start, digest: `${digest.pdq} q${digest.quality}` };
}

function benchRow(
  engines: Record<EngineKind, PdqEngine>,
  images: readonly PixelImage[],
  resize: KernelResizeMode,
  budget: KernelBudget,
): { samples: Record<EngineKind, number[]>; bitIdentical: boolean } {
  const samples: Record<EngineKind, number[]> = { wasm: [], js: [] };
  const spent: Record<EngineKind, number> = { wasm: 0, js: 0 };
  let bitIdentical = true;
  // Untimed first pass: compiles the WASM and lets V8 optimise the twin's loops before anything is measured.
  for (const image of images) for (const kind of ENGINES) engines[kind].hash(image, { resize, dihedral: false });
  const enough = (kind: EngineKind) =>
    samples[kind].length >= budget.maxSamples ||
    (samples[kind].length >= budget.minSamples && spent[kind] >= budget.minTimeMs);
  for (let round = 0; !ENGINES.every(enough); round++) {
    for (const image of images) {
      const order = round % 2 === 0 ? ENGINES : [...ENGINES].reverse();
      const digests = new Map<EngineKind, string>();
      for (const kind of order) {
        const { ms, digest } = timeHash(engines[kind], image, resize);
        digests.set(kind, digest);
        if (!enough(kind)) {
          samples[kind].push(ms);
          spent[kind] += ms;
        }
      }
      if (digests.get("wasm") !== digests.get("js")) bitIdentical = false;
    }
  }
  return { samples, bitIdentical };
}

export async function benchKernels(
  photos: readonly Photo[],
  engines: Record<EngineKind, PdqEngine>,
  budget: KernelBudget,
  log: (line: string) => void,
): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  for (const sizeClass of PHOTO_SIZE_CLASSES) {
    const chosen = photos.filter((photo) => photo.sizeClass === sizeClass).slice(0, budget.imagesPerClass);
    if (chosen.length === 0) continue;
    const images = await Promise.all(chosen.map((photo) => decodeToPixels(photo.path)));
    const megapixels = images.reduce((sum, image) => sum + image.width * image.height, 0) / images.length / 1e6;
    for (const resize of KERNEL_RESIZE_MODES) {
      log(`kernel: ${sizeClass} ${resize}`);
      const { samples, bitIdentical } = benchRow(engines, images, resize, budget);
      const msPerImage = { wasm: spreadOf(samples.wasm), js: spreadOf(samples.js) };
      rows.push({
        sizeClass,
        dimensions: [...new Set(images.map((image) => `${image.width}x${image.height}`))],
        megapixels: round3(megapixels),
        resize,
        msPerImage,
        wasmSpeedup: round3(msPerImage.js.median / msPerImage.wasm.median),
        bitIdentical,
      });
    }
  }
  return rows;
}
