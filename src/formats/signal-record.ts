/**
 * Exchange records: one hash per record, in the shape hash-sharing services take (`signalType`, `hashValue`),
 * plus what a receiver needs to compare PDQ hashes fairly (quality, resize mode, dihedral variants) and an
 * optional caller-chosen `id`. No file names, paths, sizes or pixels: records are meant to leave the device.
 */
import { DIHEDRAL_NAMES } from "../engine/types.js";
import { isPdqHex, PDQ_HEX_LENGTH } from "../hash/pdq-hash.js";
import { RESIZE_MODES, type ResizeMode } from "../options.js";

export type SignalType = "ImagePDQ" | "VideoMD5";

export const SIGNAL_TYPES: readonly SignalType[] = ["ImagePDQ", "VideoMD5"];

export interface ImagePdqSignal {
  signalType: "ImagePDQ";
  /** 64 lowercase hex chars. */
  hashValue: string;
  /** 0..100; below 50 a receiver should not match on it. */
  quality: number;
  /** How the image was sized before hashing: `full` matches HMA and the pdqhash package; `512` the C++ CLI. */
  resize?: ResizeMode;
  /** The 8 dihedral variants, orig first, when they were computed. */
  dihedral?: string[];
  id?: string;
}

export interface VideoMd5Signal {
  signalType: "VideoMD5";
  /** 32 lowercase hex chars: MD5 of the file's bytes. */
  hashValue: string;
  id?: string;
}

export type SignalRecord = ImagePdqSignal | VideoMd5Signal;

/** The fields of an exchange record, in the order writers put them. */
export const SIGNAL_FIELDS = ["signalType", "hashValue", "quality", "resize", "dihedral", "id"] as const;

const MD5_PATTERN = /^[0-9a-f]{32}$/;

export function imagePdqSignal(
  digest: { pdq: string; quality: number; dihedral?: readonly string[] },
  extra: { resize?: ResizeMode; id?: string } = {},
): ImagePdqSignal {
  return checkSignal({
    signalType: "ImagePDQ",
    hashValue: digest.pdq.toLowerCase(),
    quality: digest.quality,
    ...(extra.resize !== undefined && { resize: extra.resize }),
    ...(digest.dihedral !== undefined && { dihedral: digest.dihedral.map((hex) => hex.toLowerCase()) }),
    ...(extra.id !== undefined && { id: extra.id }),
  });
}

export function videoMd5Signal(md5: string, extra: { id?: string } = {}): VideoMd5Signal {
  return checkSignal({
    signalType: "VideoMD5",
    hashValue: md5.toLowerCase(),
    ...(extra.id !== undefined && { id: extra.id }),
  });
}

/** Validates a record built or parsed elsewhere; throws a TypeError naming the first bad field. */
export function checkSignal<T extends SignalRecord>(record: T): T {
  if (record.id !== undefined && (typeof record.id !== "string" || /[\r\n]/.test(record.id))) {
    throw new TypeError("id must be a string without line breaks");
  }
  if (record.signalType === "VideoMD5") {
    if (typeof record.hashValue !== "string" || !MD5_PATTERN.test(record.hashValue)) {
      throw new TypeError("a VideoMD5 hashValue is 32 lowercase hex chars");
    }
    const imageOnly = ["quality", "resize", "dihedral"].filter((field) => field in record);
    if (imageOnly.length > 0) throw new TypeError(`${imageOnly.join(", ")}: ImagePDQ fields in a VideoMD5 record`);
    return record;
  }
  const signalType: unknown = record.signalType;
  if (signalType !== "ImagePDQ") {
    throw new TypeError(`signalType must be one of ${SIGNAL_TYPES.join(", ")}, got ${JSON.stringify(signalType)}`);
  }
  if (!isLowerPdqHex(record.hashValue)) throw new TypeError(`an ImagePDQ hashValue is ${PDQ_HEX_LENGTH} lowercase hex chars`);
  if (!Number.isInteger(record.quality) || record.quality < 0 || record.quality > 100) {
    throw new TypeError("quality must be an integer from 0 to 100");
  }
  if (record.resize !== undefined && !RESIZE_MODES.includes(record.resize)) {
    throw new TypeError(`resize must be one of ${RESIZE_MODES.join(", ")}`);
  }
  if (record.dihedral !== undefined) {
    const variants: unknown = record.dihedral;
    if (!Array.isArray(variants) || variants.length !== DIHEDRAL_NAMES.length || !variants.every(isLowerPdqHex)) {
      throw new TypeError(`dihedral must be ${DIHEDRAL_NAMES.length} ImagePDQ hash values (${DIHEDRAL_NAMES.join(", ")})`);
    }
    if (variants[0] !== record.hashValue) throw new TypeError("the first dihedral variant is the hash itself");
  }
  return record;
}

function isLowerPdqHex(value: unknown): value is string {
  return typeof value === "string" && isPdqHex(value) && value === value.toLowerCase();
}
