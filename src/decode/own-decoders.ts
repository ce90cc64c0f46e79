/**
 * The pictures a browser worker decodes without the browser: JPEG, WebP and HEIC with libjpeg-turbo's, libwebp's
 * and libheif's decoders in WebAssembly, PNG and GIF with this project's readers. Both give the bytes sharp gives in Node, so a browser's decoder, its colour management or
 * its anti-fingerprinting noise (Firefox's resistFingerprinting, Safari's private windows, Brave's farbling) can
 * never change a hash. Same checks, same codes and same messages as src/decode/node-sharp.ts.
 */
import type { PixelImage } from "../engine/types.js";
import { HashError } from "../errors.js";
import { CodecFailure } from "./codecs/codec-instance.js";
import { decodeJpeg } from "./codecs/jpeg.js";
import { decodeWebp } from "./codecs/webp.js";
import { cmykToRgb } from "./cmyk.js";
import { damagedPicture, tooManyPixels, truncatedFile, unsupportedFormat, unsupportedJpegPrecision } from "./decode-errors.js";
import { decodeGifFirstFrame } from "./gif-frame.js";
import { decodeHeicPixels } from "./heic-pixels.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { applyOrientation, readOrientation } from "./orientation.js";
import { decodePngSamples } from "./png-samples.js";
import { refuseEarlyEnd } from "./check-header.js";
import { looksCutOff } from "./headers/index.js";
import type { ImageFormat } from "./sniff.js";
import type { DecodedImage, DecodeOptions } from "./types.js";

/** Formats decoded here; the others go through the browser's decoder (src/decode/browser-bitmap.ts). */
export type OwnFormat = "jpeg" | "png" | "webp" | "gif" | "heic";

export function hasOwnDecoder(format: ImageFormat): format is OwnFormat {
  return format in STORED_PIXELS;
}

/** The picture's pixels, or undefined for the few files of these formats left to the browser (animated WebP). */
export async function decodeOwn(bytes: Uint8Array, format: OwnFormat, options: DecodeOptions): Promise<DecodedImage | undefined> {
  refuseEarlyEnd(bytes, format);
  let stored: PixelImage | undefined;
  try {
    stored = await STORED_PIXELS[format](bytes, options);
  } catch (error) {
    // HEIC fails in its own words in Node too (the same module decodes it there).
    throw format === "heic" ? error : asNodeWouldSay(error, bytes, format);
  }
  if (stored === undefined) return undefined;
  const oriented = options.orientation === "apply" ? applyOrientation(stored, readOrientation(bytes, format)) : stored;
  return collapseNeutralToGrey(oriented);
}

/**
 * The failure as the Node decoder reports it: whatever went wrong, a file whose own structure says it stops early is
 * `truncated` (src/decode/node-sharp.ts asks the same question, since libraries word cut-off files in many ways);
 * otherwise the decoder's own verdict stands.
 */
function asNodeWouldSay(error: unknown, bytes: Uint8Array, format: OwnFormat): unknown {
  const failed = error instanceof CodecFailure || (error instanceof HashError && (error.code === "decode-failed" || error.code === "truncated"));
  if (!failed) return error;
  if (looksCutOff(bytes, format)) return truncatedFile(error);
  if (error instanceof HashError && error.code === "decode-failed") return error;
  if (error instanceof CodecFailure && error.kind === "unsupported") return format === "jpeg" ? unsupportedJpegPrecision(error) : unsupportedFormat(format, error);
  return damagedPicture(format, error);
}

/** The stored grid (HEIC: with its irot/imir already applied per options.orientation; it has no EXIF orientation). */
const STORED_PIXELS: Record<OwnFormat, (bytes: Uint8Array, options: DecodeOptions) => Promise<PixelImage | undefined>> = {
  jpeg: (bytes, { maxPixels }) => decodeJpegPixels(bytes, maxPixels),
  png: (bytes, { maxPixels }) => decodePngSamples(bytes, maxPixels),
  webp: (bytes, { maxPixels }) => decodeWebpPixels(bytes, maxPixels),
  gif: async (bytes, { maxPixels }) => decodeGifFirstFrame(bytes, maxPixels),
  heic: decodeHeicPixels,
};

async function decodeWebpPixels(bytes: Uint8Array, maxPixels: number): Promise<PixelImage | undefined> {
  const decoded = await decodeWebp(bytes, maxPixels);
  if (decoded === "too-many-pixels") throw tooManyPixels(undefined, maxPixels);
  return decoded === "animated" ? undefined : decoded;
}

async function decodeJpegPixels(bytes: Uint8Array, maxPixels: number): Promise<PixelImage> {
  const decoded = await decodeJpeg(bytes, 1, maxPixels);
  if (decoded === undefined) throw tooManyPixels(undefined, maxPixels);
  const { data, width, height, channels, space, adobe } = decoded;
  if (space !== "cmyk") return { data, width, height, channels };
  // libvips undoes Photoshop's inverted CMYK (flagged by its Adobe marker) before anything else sees it.
  if (adobe) for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  return cmykToRgb({ data, width, height, channels: 4 });
}
