/**
 * JPEG -> pixels with libjpeg-turbo's decompressor in WebAssembly (codecs/jpeg/decode.c): the bytes libvips gets
 * from libjpeg in Node, in every browser, whatever the browser's own decoder or its anti-fingerprinting noise.
 */
import { CodecInstance, withInput, type CodecExports } from "./codec-instance.js";

interface JpegExports extends CodecExports {
  decode(input: number, size: number, scaleDenom: number, maxPixels: number): number;
  result(): number;
}

/** libjpeg's J_COLOR_SPACE values of the output. */
export type JpegOutputSpace = "grey" | "rgb" | "cmyk";

export interface JpegPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  space: JpegOutputSpace;
  /** An Adobe APP14 marker was present: CMYK is stored inverted (as Photoshop writes it). */
  adobe: boolean;
}

const SPACES: Record<number, JpegOutputSpace> = { 1: "grey", 2: "rgb", 4: "cmyk" };
const jpeg = new CodecInstance<JpegExports>(new URL("../wasm/jpeg.wasm", import.meta.url), "JPEG decoder");

/**
 * Decodes at 1/scaleDenom (1, 2, 4 or 8). Returns undefined when the header claims more than maxPixels.
 * Throws CodecFailure when libjpeg gives up or the data ends early.
 */
export function decodeJpeg(bytes: Uint8Array, scaleDenom: 1 | 2 | 4 | 8, maxPixels: number): Promise<JpegPixels | undefined> {
  return jpeg.run((codec) =>
    withInput(codec, bytes, (input) => {
      if (codec.decode(input, bytes.length, scaleDenom, maxPixels) !== 0) return undefined;
      const [width, height, channels, space, adobe, pixels] = new Uint32Array(codec.memory.buffer, codec.result(), 6);
      const size = width! * height! * channels!;
      const data = new Uint8Array(codec.memory.buffer, pixels!, size).slice();
      codec.release(pixels!);
      return {
        data,
        width: width!,
        height: height!,
        channels: channels as 1 | 3 | 4,
        space: SPACES[space!] ?? "rgb",
        adobe: adobe === 1,
      };
    }),
  );
}
