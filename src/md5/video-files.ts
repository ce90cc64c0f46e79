/**
 * Which files are videos, by name. Hash lists fingerprint videos with an MD5 of the file (StopNCII, Take It
 * Down), so a video must never reach the picture decoder: it would fail, or worse, yield a PDQ of a poster frame
 * that no list holds. Kept apart from the byte sniffer (video-sniff.ts) so the component's page bundle, which
 * only has names to go on, stays small.
 */

/** Extensions (lower case, with the dot) of common video containers. */
export const VIDEO_FILE_EXTENSIONS: readonly string[] = [
  ".mp4", ".m4v", ".mov", ".qt", ".3gp", ".3g2", ".webm", ".mkv", ".avi", ".wmv", ".asf", ".flv", ".mpg",
  ".mpeg", ".m2ts", ".mts", ".ogv",
];

/** Whether a name ends in a video extension (`clip.MP4` included). */
export function hasVideoExtension(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot >= 0 && VIDEO_FILE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}
