/**
 * The Node decoder: bytes -> 8-bit pixels with sharp (libvips), under the pixel policy of src/decode/types.ts.
 *
 * The aim is the reference's pixels, i.e. what ImageMagick's `convert FILE pnm:-` hands to PDQ: stored RGB with no
 * ICC transform and alpha dropped (never composited), CMYK converted with ImageMagick's profile-free formula, and
 * all-grey pictures as one grey channel. On every non-CMYK JPEG and PNG of the test corpus sharp then gives the
 * same bytes as ImageMagick 6.9.11 (and on the CMYK one too, through the formula below).
 */
import { createRequire } from "node:module";
import type { FormatEnum, Sharp } from "sharp";
import type { Channels, PixelImage } from "../engine/types.js";
import { HashError, messageOf } from "../errors.js";
import { cmykToRgb } from "./cmyk.js";
import { decodeHeicPixels } from "./heic-pixels.js";
import { damagedPicture, tooManyPixels, truncatedFile, unsupportedFormat, unsupportedJpegPrecision } from "./decode-errors.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";
import { SHRINK_ON_LOAD_RESIZE, shrinkOnLoadSize } from "./shrink-on-load.js";
import { checkImageHeader, refuseEarlyEnd, type ImageHeader } from "./check-header.js";
import { looksCutOff } from "./headers/index.js";
import { isStartOfFrame, jpegHeaderSegments } from "./headers/jpeg.js";
import type { ImageFormat } from "./sniff.js";
import type { DecodedImage, DecodeOptions, ImageDecoder } from "./types.js";

// sharp's CommonJS build: imported as ESM it costs each worker about twice the start-up, since Node's ESM loader
// then parses every CommonJS module sharp requires (semver's 40 files among them) for its exports.
const sharp = createRequire(import.meta.url)("sharp") as typeof import("sharp").default;

// libvips' operation cache would keep decoded pictures in memory after we are done with them; nothing here is
// ever decoded twice, and pictures people hash here are private, so they should not linger.
sharp.cache(false);

/** sharp's name for the loader of each sniffed format (BMP needs ImageMagick, which sharp's build lacks). */
const SHARP_LOADERS: Record<ImageFormat, keyof FormatEnum> = {
  jpeg: "jpeg",
  png: "png",
  gif: "gif",
  webp: "webp",
  avif: "heif",
  heic: "heif",
  tiff: "tiff",
  bmp: "magick",
};

export const sharpDecoder: ImageDecoder = {
  async decode(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
    const header = checkImageHeader(bytes, options);
    refuseEarlyEnd(bytes, header.format);
    // HEIC goes through the browsers' decoder (libheif in WASM) even where a sharp build could read it, so the CLI
    // and every browser hash the same pixels. It runs on this thread, which decoding-thread.ts tells callers.
    if (header.format === "heic") return collapseNeutralToGrey(await decodeHeicPixels(bytes, options));
    if (!canLoad(header.format)) throw unsupportedFormat(header.format);
    try {
      return await decodeChecked(bytes, header, options);
    } catch (error) {
      throw classifyFailure(error, bytes, header.format, options.maxPixels);
    }
  },
};

async function decodeChecked(bytes: Uint8Array, header: ImageHeader, options: DecodeOptions): Promise<DecodedImage> {
  const input = sharp(bytes, {
    // The stored values, as the reference reads them; an embedded profile would shift them.
    ignoreIcc: true,
    autoOrient: options.orientation === "apply",
    // A second line of defence behind the header check, for formats whose size this project does not parse.
    limitInputPixels: Number.isFinite(options.maxPixels) ? Math.max(1, Math.floor(options.maxPixels)) : false,
    // Refuse truncated and broken data, but accept files with recoverable warnings that every viewer shows.
    failOn: "error",
    pages: 1,
  });
  // A full decode of a JPEG needs nothing that its frame header (checked by checkImageHeader) does not say, which
  // spares libvips a second parse of the file; fast mode also needs the size after EXIF orientation.
  const known = options.minShortSide === undefined && header.dimensions ? jpegColourSpace(bytes, header.format) : undefined;
  if (known !== undefined) return decodeIn(input, known);
  const metadata = await input.metadata();
  const { space, width = 0, height = 0 } = metadata;
  if (width * height > options.maxPixels) throw tooManyPixels({ width, height }, options.maxPixels);
  // sharp takes the requested size in the shown orientation and applies EXIF orientation after the resize.
  const fullSize = options.orientation === "apply" ? metadata.autoOrient : { width, height };
  const reduced =
    header.format === "jpeg" && space !== "cmyk" && options.minShortSide !== undefined
      ? shrinkOnLoadSize(fullSize.width, fullSize.height, options.minShortSide)
      : undefined;
  if (!reduced) return decodeIn(input, space);
  return { ...(await decodeIn(input.resize(reduced.width, reduced.height, SHRINK_ON_LOAD_RESIZE), space)), fullSize };
}

/** The pixels of a picture in libvips' colour space `space` ("srgb", "b-w", "cmyk"...), under the pixel policy. */
async function decodeIn(input: Sharp, space: string | undefined): Promise<PixelImage> {
  // A CMYK pipeline rules out sharp's shrink-on-load, so CMYK pictures are decoded in full in every mode.
  if (space === "cmyk") return cmykToRgb(await rawPixels(input.pipelineColourspace("cmyk").toColourspace("cmyk")));
  // 8-bit grey stays one channel (sharp's raw output then drops its alpha, which PDQ ignores anyway). Everything
  // else goes through sRGB, where 16-bit samples become their high byte as libpng, Pillow and browsers reduce them
  // (sharp's own 16-bit grey -> b-w path rounds differently).
  return collapseNeutralToGrey(await rawPixels(input.toColourspace(space === "b-w" ? "b-w" : "srgb")));
}

/**
 * The colour space libvips gives a JPEG, from the component count in its frame header: one is grey, three YCbCr
 * (or RGB), four CMYK (or YCCK). Undefined for other formats and anything unusual, which then ask libvips.
 */
function jpegColourSpace(bytes: Uint8Array, format: ImageFormat): "b-w" | "srgb" | "cmyk" | undefined {
  if (format !== "jpeg") return undefined;
  for (const { marker, start, end } of jpegHeaderSegments(bytes)) {
    if (!isStartOfFrame(marker)) continue;
    // Precision, height, width, then the component count.
    if (end - start < 6 || start + 6 > bytes.length) return undefined;
    return JPEG_COMPONENT_SPACES[bytes[start + 5]!];
  }
  return undefined;
}

const JPEG_COMPONENT_SPACES: Partial<Record<number, "b-w" | "srgb" | "cmyk">> = { 1: "b-w", 3: "srgb", 4: "cmyk" };

async function rawPixels(pipeline: Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { data: pixels, width: info.width, height: info.height, channels: info.channels as Channels };
}

function canLoad(format: ImageFormat): boolean {
  return sharp.format[SHARP_LOADERS[format]]?.input.buffer === true;
}

/** sharp's failures, in libvips' and its loaders' words, mapped to the stable codes. */
function classifyFailure(error: unknown, bytes: Uint8Array, format: ImageFormat, maxPixels: number): HashError {
  if (error instanceof HashError) return error;
  // libvips keeps one error buffer per process, so while other files fail in other threads a message can carry
  // their text too. The file's own bytes decide first; the message only names what no byte check can.
  if (looksCutOff(bytes, format)) return truncatedFile(error);
  const detail = messageOf(error);
  if (/exceeds pixel limit/i.test(detail)) return tooManyPixels(undefined, maxPixels, error);
  if (/not been built in|unsupported codec|unsupported feature/i.test(detail)) return unsupportedFormat(format, error);
  if (/Unsupported JPEG data precision/i.test(detail)) return unsupportedJpegPrecision(error);
  return damagedPicture(format, error);
}
