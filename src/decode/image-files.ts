/**
 * Which files are pictures, by name: the one list the CLI (picking pictures out of a folder) and the component
 * (out of a dropped or picked folder) both use. Kept apart from the byte sniffer (sniff.ts) so the component's page
 * bundle, which only has names to go on, stays small.
 */

/** Extensions (lower case, with the dot) of the formats `sniffFormat` recognises. */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = [
  ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".apng", ".gif", ".webp", ".avif", ".heic", ".heif", ".bmp", ".dib",
  ".tif", ".tiff",
];

/** Whether a name ends in a picture extension (`IMG_1.JPG` included). */
export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot >= 0 && IMAGE_FILE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}
