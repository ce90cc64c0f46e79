import type { PixelImage } from "../engine/types.js";
import type { OrientationPolicy } from "../options.js";

/** What a decoder needs from the options. */
export interface DecodeOptions {
  orientation: OrientationPolicy;
  maxPixels: number;
}

/**
 * Bytes -> 8-bit pixels under the project's pixel policy (README, "Pixel policy"):
 * stored RGB with alpha ignored; EXIF orientation applied unless `orientation: "ignore"`; palette, grey, 16-bit
 * and CMYK become 8-bit RGB or grey; animated images give their first frame. Failures throw `HashError`.
 * Implemented with sharp in Node and with createImageBitmap + OffscreenCanvas in browsers.
 */
export interface ImageDecoder {
  decode(bytes: Uint8Array, options: DecodeOptions): Promise<PixelImage>;
}
