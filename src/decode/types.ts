import type { PixelImage } from "../engine/types.js";
import type { OrientationPolicy } from "../options.js";

/** What a decoder needs from the options. */
export interface DecodeOptions {
  orientation: OrientationPolicy;
  maxPixels: number;
  /**
   * Fast mode (`resize: "fast"`): a decoder that can decode at a reduced scale (JPEG's DCT scaling) may hand over
   * a smaller picture whose shorter side is at least this many pixels. Absent: decode at full size.
   */
  minShortSide?: number;
}

/** Decoded pixels, plus the picture's own size when the decoder reduced it while decoding. */
export interface DecodedImage extends PixelImage {
  /** The picture's size after orientation, before the reduction; absent when the pixels are at that size. */
  fullSize?: { width: number; height: number };
}

/**
 * Bytes -> 8-bit pixels under the project's pixel policy (README, "Pixel policy"):
 * stored RGB with alpha ignored; EXIF orientation applied unless `orientation: "ignore"`; palette, grey, 16-bit
 * and CMYK become 8-bit RGB or grey; animated images give their first frame. Failures throw `HashError`.
 * Implemented with sharp in Node and with createImageBitmap + OffscreenCanvas in browsers.
 */
export interface ImageDecoder {
  decode(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage>;
}
