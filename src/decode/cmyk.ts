/**
 * CMYK pictures become RGB with ImageMagick's profile-free formula (the reference decodes through ImageMagick).
 * Pure TypeScript: Node (sharp's CMYK samples) and the browser's libjpeg (src/decode/codecs/jpeg.ts) share it.
 */
import type { PixelImage } from "../engine/types.js";
import { collapseNeutralToGrey } from "./neutral-grey.js";

/**
 * ImageMagick's CMYK -> sRGB without profiles, in its 16-bit quantum: R = 65535 - (C (65535 - K) / 65535 + K),
 * rounded, then scaled to 8 bits with its rounding. It depends on (ink, black) only, so one 256 x 256 table does.
 */
let cmykTable: Uint8Array | undefined;

function cmykToRgbTable(): Uint8Array {
  if (cmykTable) return cmykTable;
  const table = new Uint8Array(256 * 256);
  for (let ink = 0; ink < 256; ink++) {
    for (let black = 0; black < 256; black++) {
      const c = ink * 257;
      const k = black * 257;
      const quantum = Math.min(65535, Math.max(0, Math.floor(65535 - ((c * (65535 - k)) / 65535 + k) + 0.5)));
      table[ink * 256 + black] = (quantum + 128 - ((quantum + 128) >> 8)) >> 8;
    }
  }
  cmykTable = table;
  return table;
}

export function cmykToRgb(image: PixelImage): PixelImage {
  const { data, width, height, channels } = image;
  if (channels < 4) throw new Error(`expected 4 CMYK channels, got ${channels}`);
  const table = cmykToRgbTable();
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, at = 0, out = 0; i < width * height; i++, at += channels, out += 3) {
    const black = data[at + 3]!;
    rgb[out] = table[data[at]! * 256 + black]!;
    rgb[out + 1] = table[data[at + 1]! * 256 + black]!;
    rgb[out + 2] = table[data[at + 2]! * 256 + black]!;
  }
  return collapseNeutralToGrey({ data: rgb, width, height, channels: 3 });
}
