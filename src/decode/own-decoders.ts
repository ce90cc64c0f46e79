/**
 * The pictures a browser worker decodes without the browser: JPEG and WebP with libjpeg-turbo's and libwebp's
 * decoders in WebAssembly, PNG and GIF with this project's readers. Both give the bytes sharp gives in Node, so a browser's decoder, its colour management or
 * its anti-fingerprinting noise (Firefox's resistFingerprinting, Safari's private windows, Brave's farbling) can
 * never change a hash. Same checks, same codes and same messages as src/decode/node-sharp.ts.
 */
import type { PixelImage } from "../engine/types.js";
import { HashError } from "../errors.js";
import { CodecFailure } from "./codecs/codec-instance.js";
import { decodeJpeg, type JpegPixels } from "./codecs/jpeg.js";
import { decodeWebp } from "./codecs/webp.js";
import { cmykToRgb } from "./cmyk.js";
import { damagedPicture, unsupportedFormat, unsupportedJpegPrecision } from "./decode-errors.js";
import { decodeGifFirstFrame } from "./gif-frame.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { applyOrientation, readOrientation } from "./orientation.js";
import { decodePngSamples } from "./png-samples.js";
import { looksCutOff, tooManyPixels, truncatedFile, type ImageFormat } from "./sniff.js";
import type { DecodedImage, DecodeOptions } from "./types.js";

/** Formats decoded here; the others go through the browser's decoder (src/decode/browser-bitmap.ts). */
export type OwnFormat = "jpeg" | "png" | "webp" | "gif";

export function hasOwnDecoder(format: ImageFormat): format is OwnFormat {
  return format in STORED_PIXELS;
}

/** The picture's pixels, or undefined for the few files of these formats left to the browser (animated WebP). */
export async function decodeOwn(bytes: Uint8Array, format: OwnFormat, options: DecodeOptions): Promise<DecodedImage | undefined> {
  const stored = await STORED_PIXELS[format](bytes, options.maxPixels);
  if (stored === undefined) return undefined;
  const oriented = options.orientation === "apply" ? applyOrientation(stored, readOrientation(bytes, format)) : stored;
  return collapseNeutralToGrey(oriented);
}

const STORED_PIXELS: Record<OwnFormat, (bytes: Uint8Array, maxPixels: number) => Promise<PixelImage | undefined>> = {
  jpeg: decodeJpegPixels,
  png: decodePngSamples,
  webp: decodeWebpPixels,
  gif: async (bytes, maxPixels) => decodeGifFirstFrame(bytes, maxPixels),
};

async function decodeWebpPixels(bytes: Uint8Array, maxPixels: number): Promise<PixelImage | undefined> {
  try {
    const decoded = await decodeWebp(bytes, maxPixels);
    if (decoded === "too-many-pixels") throw tooManyPixels(undefined, maxPixels);
    return decoded === "animated" ? undefined : decoded;
  } catch (error) {
    if (!(error instanceof CodecFailure)) throw error;
    if (error.kind === "truncated" || looksCutOff(bytes, "webp")) throw truncatedFile(error);
    throw error.kind === "unsupported" ? unsupportedFormat("webp", error) : damagedPicture("webp", error);
  }
}

async function decodeJpegPixels(bytes: Uint8Array, maxPixels: number): Promise<PixelImage> {
  let decoded: JpegPixels | undefined;
  try {
    decoded = await decodeJpeg(bytes, 1, maxPixels);
  } catch (error) {
    throw jpegFailure(error, bytes);
  }
  if (decoded === undefined) throw tooManyPixels(undefined, maxPixels);
  const { data, width, height, channels, space, adobe } = decoded;
  if (space !== "cmyk") return { data, width, height, channels };
  // libvips undoes Photoshop's inverted CMYK (flagged by its Adobe marker) before anything else sees it.
  if (adobe) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  return cmykToRgb({ data, width, height, channels: 4 });
}

function jpegFailure(error: unknown, bytes: Uint8Array): Error {
  // A decoder that failed its integrity check (src/platform/integrity.ts) says so, not that the picture is damaged.
  if (error instanceof HashError) return error;
  if (!(error instanceof CodecFailure)) return damagedPicture("jpeg", error);
  if (error.kind === "truncated" || looksCutOff(bytes, "jpeg")) return truncatedFile(error);
  if (error.kind === "unsupported") return unsupportedJpegPrecision(error);
  return damagedPicture("jpeg", error);
}
