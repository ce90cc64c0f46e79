/**
 * Which files are videos. Hash lists fingerprint videos with an MD5 of the file (StopNCII, Take It Down), so a
 * video must never reach the picture decoder: it would fail, or worse, yield a PDQ of a poster frame that no
 * list holds. Pure TypeScript, so the CLI and the component judge a file the same way.
 */
import { SNIFF_BYTES, sniffFormat } from "../decode/sniff.js";

/** Extensions (lower case, with the dot) of common video containers. */
export const VIDEO_FILE_EXTENSIONS: readonly string[] = [
  ".mp4", ".m4v", ".mov", ".qt", ".3gp", ".3g2", ".webm", ".mkv", ".avi", ".wmv", ".asf", ".flv", ".mpg",
  ".mpeg", ".m2ts", ".mts", ".ogv",
];

/** Enough leading bytes for `sniffVideo` (an MP4's brand list tells it from a HEIC's). */
export const VIDEO_SNIFF_BYTES = SNIFF_BYTES;

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const ASF_MAGIC = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11];
const MPEG_PS_MAGIC = [0x00, 0x00, 0x01, 0xba];

/** Whether a name ends in a video extension (`clip.MP4` included). */
export function hasVideoExtension(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot >= 0 && VIDEO_FILE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/**
 * Whether the leading bytes announce a video container. An ISO base media file (`ftyp`) counts unless its
 * brands make it a still image: HEIC and AVIF share the container with MP4 and MOV.
 */
export function sniffVideo(head: Uint8Array): boolean {
  if (ascii(head, 4, 4) === "ftyp") return sniffFormat(head) === undefined;
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "AVI ") return true;
  return startsWith(head, EBML_MAGIC) || startsWith(head, ASF_MAGIC) || startsWith(head, MPEG_PS_MAGIC) || ascii(head, 0, 3) === "FLV";
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((value, i) => bytes[i] === value);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return "";
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
