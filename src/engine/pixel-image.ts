import type { PixelImage } from "./types.js";

/** Rejects pixel buffers the kernels would misread; both engines call it, so they fail alike. */
export function assertPixelImage(image: PixelImage): void {
  const { data, width, height, channels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image size must be whole numbers, got ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new RangeError(`channels must be 1, 2, 3 or 4, got ${String(channels)}`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(`pixel buffer holds ${data.length} bytes; ${width}x${height}x${channels} needs ${width * height * channels}`);
  }
}
