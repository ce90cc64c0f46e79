/** Which files are videos, by their first bytes (for files whose name does not say). Pure TypeScript. */
import { ascii, startsWith } from "../decode/bytes.js";
import { sniffFormat } from "../decode/sniff.js";

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3];
const ASF_MAGIC = [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11];
const MPEG_PS_MAGIC = [0x00, 0x00, 0x01, 0xba];

/**
 * Whether the leading bytes (`SNIFF_BYTES` of them, so an MP4's brand list can be told from a HEIC's) announce a
 * video container. An ISO base media file (`ftyp`) counts unless its brands make it a still image: HEIC and AVIF
 * share the container with MP4 and MOV.
 */
export function sniffVideo(head: Uint8Array): boolean {
  if (ascii(head, 4, 4) === "ftyp") return sniffFormat(head) === undefined;
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "AVI ") return true;
  return startsWith(head, EBML_MAGIC) || startsWith(head, ASF_MAGIC) || startsWith(head, MPEG_PS_MAGIC) || ascii(head, 0, 3) === "FLV";
}
