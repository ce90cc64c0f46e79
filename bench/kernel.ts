/**
 * Kernel timings, two ways:
 * - isolated: the WASM engine against the TypeScript twin on pixels decoded once up front, so nothing but
 *   `engine.hash` is timed. The two are sampled in alternation, so load from other processes hits both alike, and
 *   every digest of one is compared with the other's: a speed-up only counts if the bits are identical. Hashing
 *   the same pixels again and again keeps them and the kernel's buffers in cache, which flatters the kernel.
 * - after decoding, as users run it: sharp decodes a photo, then the WASM kernel hashes its pixels, photo after
 *   photo, so the kernel meets what a real decode leaves in the caches; both are timed, and the ratio is taken
 *   per photo.
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { loadEngine } from "../src/engine/index.js";
import type { Channels, PdqEngine, PixelImage } from "../src/engine/index.js";
import type { EngineKind, KernelResizeMode } from "../src/options.js";
import type { Photo, SizeClass } from "./photo-set.js";
import { PHOTO_SIZE_CLASSES } from "./photo-set.js";
import { digestValue } from "./end-to-end/specs.js";
import { withMachineLoad, type LoadAround } from "./machine-load.js";
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

/** sharp's full decode of a file (or its bytes), as the decode-only floor runs it. */
export async function decodeToPixels(input: string | Uint8Array): Promise<PixelImage> {
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Channels };
}

export async function loadEngines(): Promise<Record<EngineKind, PdqEngine>> {
  const [wasm, js] = await Promise.all(ENGINES.map((kind) => loadEngine(kind)));
  return { wasm: wasm!, js: js! };
}

function timeHash(engine: PdqEngine, image: PixelImage, resize: KernelResizeMode): { ms: number; digest: string } {
  const start = performance.now();
  const digest = engine.hash(image, { resize, dihedral: false });
  return { ms: performance.now() - start, digest: digestValue(digest) };
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

export interface AfterDecodeBudget {
  photosPerClass: number;
  /** Timed passes over the photos; each pass decodes and hashes every photo once. */
  rounds: number;
}

export interface KernelAfterDecodeRow {
  sizeClass: SizeClass;
  dimensions: string[];
  megapixels: number;
  photos: number;
  /** Timed decode-then-hash pairs. */
  samples: number;
  /** sharp's full decode of the photo from its bytes in memory (wall time). */
  decodeMs: Spread;
  /** The WASM engine on those pixels, right after the decode (wall time): what a user's hash costs. */
  kernelMs: Spread;
  /** The same pairs in CPU time of this process (all threads, libvips' included). */
  decodeCpuMs: Spread;
  kernelCpuMs: Spread;
  /** Median over the pairs of kernel time / decode time, in wall and in CPU time. */
  kernelVsDecode: number;
  kernelVsDecodeCpu: number;
  /** Every digest equal to the twin's for the same pixels. */
  bitIdentical: boolean;
  load: LoadAround;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: readonly number[]) => spreadOf(values).median;

async function afterDecodeRow(
  sizeClass: SizeClass,
  photos: readonly Photo[],
  engines: Record<EngineKind, PdqEngine>,
  rounds: number,
): Promise<Omit<KernelAfterDecodeRow, "load">> {
  const files = await Promise.all(photos.map((photo) => readFile(photo.path)));
  const twinDigests: string[] = [];
  const samples = { decodeMs: [] as number[], kernelMs: [] as number[], decodeCpuMs: [] as number[], kernelCpuMs: [] as number[] };
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const dimensions = new Set<string>();
  let pixelsSeen = 0;
  let bitIdentical = true;
  // An untimed pair first: sharp's thread pool and the kernel's tiers are warm before anything counts.
  engines.wasm.hash(await decodeToPixels(files[0]!), { resize: "full", dihedral: false });
  for (let round = 0; round < rounds; round++) {
    for (const [i, bytes] of files.entries()) {
      const decodeCpu = process.cpuUsage();
      const decodeStart = performance.now();
      const image = await decodeToPixels(bytes);
      const decodeMs = performance.now() - decodeStart;
      const decodeCpuMs = cpuMsSince(decodeCpu);
      const kernelCpu = process.cpuUsage();
      const kernelStart = performance.now();
      const digest = engines.wasm.hash(image, { resize: "full", dihedral: false });
      const kernelMs = performance.now() - kernelStart;
      const kernelCpuMs = cpuMsSince(kernelCpu);
      samples.decodeMs.push(decodeMs);
      samples.kernelMs.push(kernelMs);
      samples.decodeCpuMs.push(decodeCpuMs);
      samples.kernelCpuMs.push(kernelCpuMs);
      ratios.push(kernelMs / decodeMs);
      if (decodeCpuMs > 0) cpuRatios.push(kernelCpuMs / decodeCpuMs);
      // The oracle, untimed, once per photo: the same pixels through the twin.
      twinDigests[i] ??= digestValue(engines.js.hash(image, { resize: "full", dihedral: false }));
      if (digestValue(digest) !== twinDigests[i]) bitIdentical = false;
      dimensions.add(`${image.width}x${image.height}`);
      pixelsSeen += image.width * image.height;
    }
  }
  const count = samples.decodeMs.length;
  return {
    sizeClass,
    dimensions: [...dimensions],
    megapixels: round3(pixelsSeen / count / 1e6),
    photos: files.length,
    samples: count,
    decodeMs: spreadOf(samples.decodeMs),
    kernelMs: spreadOf(samples.kernelMs),
    decodeCpuMs: spreadOf(samples.decodeCpuMs),
    kernelCpuMs: spreadOf(samples.kernelCpuMs),
    kernelVsDecode: round3(median(ratios)),
    kernelVsDecodeCpu: cpuRatios.length > 0 ? round3(median(cpuRatios)) : 0,
    bitIdentical,
  };
}

/** The kernel as users pay for it: timed right after sharp decodes each photo, photo after photo. */
export async function benchKernelsAfterDecode(
  photos: readonly Photo[],
  engines: Record<EngineKind, PdqEngine>,
  budget: AfterDecodeBudget,
  log: (line: string) => void,
): Promise<KernelAfterDecodeRow[]> {
  // libvips' operation cache would hand back a photo decoded in an earlier round without decoding it again.
  sharp.cache(false);
  const rows: KernelAfterDecodeRow[] = [];
  for (const sizeClass of PHOTO_SIZE_CLASSES) {
    const chosen = photos.filter((photo) => photo.sizeClass === sizeClass).slice(0, budget.photosPerClass);
    if (chosen.length === 0) continue;
    log(`kernel after decoding: ${sizeClass}, ${chosen.length} photos x ${budget.rounds} rounds`);
    const { result, load } = await withMachineLoad(() => afterDecodeRow(sizeClass, chosen, engines, budget.rounds));
    rows.push({ ...result, load });
  }
  return rows;
}
