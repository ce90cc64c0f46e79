/**
 * The WebAssembly PDQ kernel (assembly/, built to ./wasm/pdq.wasm). Rows are streamed into the kernel one at a
 * time, so its memory stays a few rows wide whatever the image size.
 */
import { pdqWordsToHex } from "../hash/pdq-hash.js";
import { compileModule } from "../platform/compile-wasm.js";
import { assertPixelImage } from "./pixel-image.js";
import type { KernelOptions, PdqDigest, PdqEngine, PixelImage } from "./types.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  beginImage(width: number, height: number, channels: number, resize512: number): void;
  stagingBuffer(): number;
  nextSourceRow(): number;
  pushSourceRow(): void;
  finish(dihedral: number): number;
  hashWords(): number;
}

const KERNEL_URL = new URL("./wasm/pdq.wasm", import.meta.url);

function abort(): never {
  throw new Error("PDQ kernel aborted (out of memory for this image?)");
}

/** One kernel instance. Not re-entrant: a worker owns one and hashes one image at a time. */
export async function loadWasmEngine(url: URL = KERNEL_URL): Promise<PdqEngine> {
  const instance = await WebAssembly.instantiate(await compileModule(url, "PDQ kernel"), { env: { abort } });
  const kernel = instance.exports as unknown as KernelExports;

  function hash(image: PixelImage, options: KernelOptions): PdqDigest {
    assertPixelImage(image);
    const { data, width, height, channels } = image;
    kernel.beginImage(width, height, channels, options.resize === "512" ? 1 : 0);
    // Memory may have grown in beginImage; views are taken after it.
    const memory = new Uint8Array(kernel.memory.buffer);
    const rowBytes = width * channels;
    for (let row = kernel.nextSourceRow(); row >= 0; row = kernel.nextSourceRow()) {
      memory.set(data.subarray(row * rowBytes, (row + 1) * rowBytes), kernel.stagingBuffer());
      kernel.pushSourceRow();
    }
    const quality = kernel.finish(options.dihedral ? 1 : 0);
    const words = new Uint16Array(kernel.memory.buffer, kernel.hashWords(), 8 * 16);
    const hexOf = (variant: number) => pdqWordsToHex(words.subarray(variant * 16, variant * 16 + 16));
    if (!options.dihedral) return { pdq: hexOf(0), quality };
    return { pdq: hexOf(0), quality, dihedral: Array.from({ length: 8 }, (_, variant) => hexOf(variant)) };
  }

  return { kind: "wasm", hash };
}
