/**
 * HEIC/HEIF -> pixels with libheif and libde265 (HEVC) compiled to WebAssembly, as the libheif-js package ships
 * them (Emscripten glue + libheif.wasm, copied to src/decode/wasm/heic.wasm by scripts/build-codecs.sh). The one
 * HEIC decoder of both Node (sharp's prebuilt binaries have no HEVC) and browser workers (Chromium and Firefox
 * have none either), so the CLI and every browser get the same pixels by construction.
 *
 * The glue and the 1.4 MB module are loaded on the first HEIC only (dynamic import; the module compiled once per
 * thread by src/platform/compile-wasm.ts and handed to the glue, which therefore never fetches or evals anything).
 * Only libheif's C API is used, through the module's heap: its JavaScript helpers log to the console.
 */
import type { MainModule } from "libheif-js/libheif-wasm/libheif.js";
import { compileModule } from "../../platform/compile-wasm.js";
import { readI32LE, readU32LE } from "../bytes.js";
import { CodecFailure, readCString, type CodecFailureKind } from "./codec-instance.js";

export interface HeicPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

export interface HeicDecodeOptions {
  /** Apply the primary image's `irot`/`imir` (and `clap`) transforms, as viewers show the picture. */
  transforms: boolean;
  maxPixels: number;
}

type Libheif = MainModule;

const WASM_URL = new URL("../wasm/heic.wasm", import.meta.url);

/** Values of libheif's C enums (heif_colorspace, heif_chroma, heif_channel, heif_error_code, heif_suberror_code). */
const ENUM = {
  colorspaceRgb: 1,
  chromaInterleavedRgb: 10,
  chromaInterleavedRrggbbLe: 14,
  channelInterleaved: 10,
  errorUnsupportedFiletype: 3,
  errorUnsupportedFeature: 4,
  suberrorEndOfData: 100,
  /** heif_chroma_upsampling_nearest_neighbor: libheif's upsampling up to 1.15, hence ImageMagick's on Debian 12. */
  upsamplingNearestNeighbor: 1,
} as const;

/**
 * Byte offsets in struct heif_decoding_options on wasm32: version (u8) @0, ignore_transformations (u8) @1, four
 * pointers, convert_hdr_to_8bit and strict_decoding (u8) @20/21, decoder_id @24, then (from version 5) the embedded
 * heif_color_conversion_options: version @28, downsampling @32, upsampling @36, only_use_preferred (u8) @40.
 */
const OPTIONS = { ignoreTransformations: 1, upsampling: 36, onlyPreferred: 40, versionWithColorConversion: 5 } as const;

let live: Promise<Libheif> | undefined;

function libheif(): Promise<Libheif> {
  live ??= instantiate().catch((error: unknown) => {
    live = undefined;
    throw error;
  });
  return live;
}

async function instantiate(): Promise<Libheif> {
  const [glue, module] = await Promise.all([
    import("libheif-js/libheif-wasm/libheif.js"),
    compileModule(WASM_URL, "HEIC decoder"),
  ]);
  // The glue is CommonJS (module.exports = factory): Node and Vite hand it over as the default export, while its
  // typings declare an ES default export. It was built for synchronous instantiation: the runtime is up when the
  // factory returns, and instantiateWasm must hand back the exports at once (workers and Node allow that).
  const factory = glue.default as unknown as (options: object) => Libheif;
  return factory({
    instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, compiled: WebAssembly.Module) => unknown) =>
      done(new WebAssembly.Instance(module, imports), module),
  });
}

/** Settles once libheif is loaded; rejects as loading failed (`integrity-failed` included), which is no verdict on a file. */
export async function loadHeicDecoder(): Promise<void> {
  await libheif();
}

/**
 * The primary image as 8-bit RGB (alpha dropped; 10- and 12-bit samples reduced to their high byte).
 * Returns "too-many-pixels" when the primary image (after transforms) is larger than maxPixels, before decoding it.
 * Throws CodecFailure when libheif gives up.
 */
export async function decodeHeic(bytes: Uint8Array, options: HeicDecodeOptions): Promise<HeicPixels | "too-many-pixels"> {
  const heif = await libheif();
  try {
    return decodeWith(heif, bytes, options);
  } catch (error) {
    // A trap inside the module (out of memory, abort) can leave its heap half-built: start afresh next time.
    if (!(error instanceof CodecFailure)) live = undefined;
    throw error;
  }
}

function decodeWith(heif: Libheif, bytes: Uint8Array, options: HeicDecodeOptions): HeicPixels | "too-many-pixels" {
  const allocated: number[] = [];
  const alloc = (size: number) => {
    const pointer = heif._malloc(size);
    if (pointer === 0) throw new CodecFailure("damaged", "out of memory");
    allocated.push(pointer);
    return pointer;
  };
  const heap = () => heif.HEAPU8 as Uint8Array;
  const u32 = (pointer: number) => readU32LE(heap(), pointer);
  const error = alloc(12);
  const check = () => {
    const code = u32(error);
    if (code !== 0) throw failure(code, u32(error + 4), readCString(heap().buffer, u32(error + 8)));
  };
  const context = heif._heif_context_alloc();
  let handle = 0;
  let image = 0;
  let decoding = 0;
  try {
    const input = alloc(bytes.length);
    heap().set(bytes, input);
    heif._heif_context_read_from_memory_without_copy(error, context, input, bytes.length, 0);
    check();
    const out = alloc(4);
    heif._heif_context_get_primary_image_handle(error, context, out);
    check();
    handle = u32(out);
    // The handle's size is the shown picture's (transforms included), and is read from the header: no decoding yet.
    if (heif._heif_image_handle_get_width(handle) * heif._heif_image_handle_get_height(handle) > options.maxPixels) {
      return "too-many-pixels";
    }
    decoding = heif._heif_decoding_options_alloc();
    const view = heap();
    view[decoding + OPTIONS.ignoreTransformations] = options.transforms ? 0 : 1;
    if (view[decoding]! < OPTIONS.versionWithColorConversion) throw new CodecFailure("damaged", "libheif without colour conversion options");
    new DataView(view.buffer).setInt32(decoding + OPTIONS.upsampling, ENUM.upsamplingNearestNeighbor, true);
    view[decoding + OPTIONS.onlyPreferred] = 1;
    // Deeper pictures are decoded at their depth and reduced here, as 16-bit PNGs are: libheif's own 8-bit output
    // rounds in YCbCr before converting, up to 2 levels away from the high byte of the RGB sample.
    const bits = heif._heif_image_handle_get_luma_bits_per_pixel(handle);
    const deep = bits > 8;
    heif._heif_decode_image(error, handle, out, ENUM.colorspaceRgb, deep ? ENUM.chromaInterleavedRrggbbLe : ENUM.chromaInterleavedRgb, decoding);
    check();
    image = u32(out);
    return copyPlane(heif, image, alloc(4), deep ? bits : 8);
  } finally {
    if (image !== 0) heif._heif_image_release(image);
    if (decoding !== 0) heif._heif_decoding_options_free(decoding);
    if (handle !== 0) heif._heif_image_handle_release(handle);
    heif._heif_context_free(context);
    for (const pointer of allocated) heif._free(pointer);
  }
}

/** The interleaved RGB plane as 8-bit samples; `bits` > 8: little-endian 16-bit words holding `bits`-bit values. */
function copyPlane(heif: Libheif, image: number, strideOut: number, bits: number): HeicPixels {
  const width = heif._heif_image_get_width(image, ENUM.channelInterleaved);
  const height = heif._heif_image_get_height(image, ENUM.channelInterleaved);
  const plane = heif._heif_image_get_plane_readonly(image, ENUM.channelInterleaved, strideOut);
  if (plane === 0 || width <= 0 || height <= 0) throw new CodecFailure("damaged", "libheif returned no RGB plane");
  const heap = heif.HEAPU8 as Uint8Array;
  const stride = readI32LE(heap, strideOut);
  const row = width * 3;
  const data = new Uint8Array(row * height);
  if (bits === 8) {
    for (let y = 0; y < height; y++) data.set(heap.subarray(plane + y * stride, plane + y * stride + row), y * row);
  } else {
    // The high byte of the sample scaled to 16 bits (v << (16 - bits)), which is v >> (bits - 8).
    const shift = bits - 8;
    for (let y = 0; y < height; y++) {
      const words = new Uint16Array(heap.buffer.slice(plane + y * stride, plane + y * stride + row * 2));
      for (let i = 0; i < row; i++) data[y * row + i] = words[i]! >> shift;
    }
  }
  return { data, width, height, channels: 3 };
}

function failure(code: number, subcode: number, message: string): CodecFailure {
  let kind: CodecFailureKind = "damaged";
  if (subcode === ENUM.suberrorEndOfData) kind = "truncated";
  else if (code === ENUM.errorUnsupportedFiletype || code === ENUM.errorUnsupportedFeature) kind = "unsupported";
  return new CodecFailure(kind, message || `libheif error ${code}.${subcode}`);
}
