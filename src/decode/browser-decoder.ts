/**
 * The decoder of browser workers: JPEG, PNG, WebP, GIF and HEIC with our own decoders (exact, whatever the browser),
 * everything else with the browser's, behind a read-back check (src/decode/browser-bitmap.ts).
 */
import { decodeWithBrowser } from "./browser-bitmap.js";
import { decodeOwn, hasOwnDecoder } from "./own-decoders.js";
import { checkImageHeader } from "./check-header.js";
import type { DecodedImage, DecodeOptions, ImageDecoder } from "./types.js";

export const browserDecoder: ImageDecoder = {
  async decode(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
    const { format } = checkImageHeader(bytes, options);
    const own = hasOwnDecoder(format) ? await decodeOwn(bytes, format, options) : undefined;
    return own ?? decodeWithBrowser(bytes, format, options);
  },
};
