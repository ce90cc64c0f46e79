/**
 * WebP -> pixels with libwebp's decoder in WebAssembly (codecs/webp/decode.c): the bytes libvips gets from libwebp
 * in Node, in every browser.
 */
import { CodecInstance, withInput, type CodecExports } from "./codec-instance.js";

interface WebpExports extends CodecExports {
  decode(input: number, size: number, maxPixels: number): number;
  result(): number;
}

export interface WebpPixels {
  data: Uint8Array;
  width: number;
  height: number;
  /** 4 when the picture has alpha (straight, not premultiplied), else 3. */
  channels: 3 | 4;
}

/** Why no pixels came back: the header claims too many, or the picture is animated (left to the browser). */
export type WebpRefusal = "too-many-pixels" | "animated";

const webp = new CodecInstance<WebpExports>(new URL("../wasm/webp.wasm", import.meta.url), "WebP decoder");

/** Throws CodecFailure when libwebp gives up or the data ends early. */
export function decodeWebp(bytes: Uint8Array, maxPixels: number): Promise<WebpPixels | WebpRefusal> {
  return webp.run((codec) =>
    withInput(codec, bytes, (input) => {
      const status = codec.decode(input, bytes.length, maxPixels);
      if (status === -1) return "too-many-pixels";
      if (status === -2) return "animated";
      const [width, height, channels, pixels] = new Uint32Array(codec.memory.buffer, codec.result(), 4);
      const data = new Uint8Array(codec.memory.buffer, pixels!, width! * height! * channels!).slice();
      codec.release(pixels!);
      return { data, width: width!, height: height!, channels: channels as 3 | 4 };
    }),
  );
}
