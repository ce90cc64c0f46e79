/** Tiny generated "videos": the container headers sniffers and browsers go by, and seeded bytes after them. */
import { box, latin1, u32 } from "./iso-boxes.js";

/** The smallest thing players and sniffers call an MP4: an `ftyp` box (brand isom) and a media data box. */
export function tinyMp4(payloadBytes: number, seed = 7): Uint8Array {
  const ftyp = box("ftyp", latin1("isom"), u32(0x200), latin1("isomiso2mp41"));
  const mdat = box("mdat", seededBytes(payloadBytes, seed));
  return Uint8Array.from([...ftyp, ...mdat]);
}

/** A WebM/Matroska start: the EBML magic, then seeded bytes. */
export function tinyWebm(payloadBytes: number, seed = 5): Uint8Array {
  return Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, ...seededBytes(payloadBytes, seed)]);
}

/** Deterministic bytes (an LCG's high byte): the same file on every run, without fixtures. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
