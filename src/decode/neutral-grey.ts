/**
 * The reference decodes through ImageMagick's `convert FILE pnm:-`, which writes any picture whose every pixel has
 * R = G = B as a greyscale PNM. PDQ then takes luma = v for it, not 0.299v + 0.587v + 0.114v, and in float32 those
 * differ by an ulp for 35 of the 256 grey levels: enough to move a hash bit or the quality. So a decoder hands such
 * a picture to the kernel as one grey channel, whatever layout the file stored it in.
 * Pure TypeScript: the Node and browser decoders both finish with it.
 */
import type { PixelImage } from "../engine/types.js";

/** The image itself when it has colour (or already is grey); otherwise a 1-channel copy. Alpha is ignored. */
export function collapseNeutralToGrey(image: PixelImage): PixelImage {
  const { data, width, height, channels } = image;
  if (channels < 3 || !isNeutral(data, channels)) return image;
  const grey = new Uint8Array(width * height);
  for (let i = 0, at = 0; i < grey.length; i++, at += channels) grey[i] = data[at]!;
  return { data: grey, width, height, channels: 1 };
}

function isNeutral(data: Uint8Array | Uint8ClampedArray, channels: number): boolean {
  for (let at = 0; at < data.length; at += channels) {
    const red = data[at];
    if (data[at + 1] !== red || data[at + 2] !== red) return false;
  }
  return true;
}
