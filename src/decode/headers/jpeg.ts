/**
 * JPEG: a chain of marker segments. Markers are found the way libjpeg finds them (jdmarker.c, next_marker): bytes
 * other than FF before a marker are skipped ("extraneous bytes before marker", a warning), FF fill bytes are
 * skipped, and FF 00 is not a marker. Entropy-coded scan data is crossed the same way, since inside it every FF
 * is stuffed (FF 00) or a restart marker. So a file with stray bytes between segments reads as libjpeg decodes
 * it, and one function decides "cut off" for every decoder (`jpegEndsEarly`).
 */
import { readU16BE } from "../bytes.js";
import type { HeaderReader, ImageDimensions } from "./types.js";

const SOS = 0xda;
const EOI = 0xd9;

export interface JpegSegment {
  marker: number;
  /** Payload bounds (after the 2-byte length), `end` possibly past the bytes we have when the file is cut. */
  start: number;
  end: number;
}

interface Marker {
  marker: number;
  /** The byte after the marker: its length field, when it has one. */
  after: number;
}

/** The next marker at or after `at`, or undefined when the bytes run out first. */
function nextMarker(bytes: Uint8Array, at: number): Marker | undefined {
  for (let ff = bytes.indexOf(0xff, at); ff >= 0; ff = bytes.indexOf(0xff, ff + 1)) {
    let code = ff + 1;
    while (bytes[code] === 0xff) code++;
    if (code >= bytes.length) return undefined;
    if (bytes[code] !== 0x00) return { marker: bytes[code]!, after: code + 1 };
    ff = code;
  }
  return undefined;
}

/** TEM and RST0..7 stand alone, without a length. */
function standsAlone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/** The segments before the image data, up to and including the first start-of-scan (SOS). */
export function* jpegHeaderSegments(bytes: Uint8Array): Generator<JpegSegment> {
  let at = 2;
  for (let found = nextMarker(bytes, at); found !== undefined; found = nextMarker(bytes, at)) {
    const { marker, after } = found;
    if (marker === EOI) return;
    if (standsAlone(marker)) {
      at = after;
      continue;
    }
    if (after + 2 > bytes.length) return;
    const end = after + readU16BE(bytes, after);
    yield { marker, start: after + 2, end };
    if (marker === SOS) return;
    // A length under 2 is corrupt; stepping past the length field still moves on.
    at = Math.max(end, after + 2);
  }
}

/**
 * Whether the JPEG stops before its end-of-image marker: a segment runs past the end, or the data does. Trailing
 * bytes after the end marker are not a cut; a thumbnail's end marker inside an EXIF segment is skipped with it.
 */
export function jpegEndsEarly(bytes: Uint8Array): boolean {
  let at = 2;
  for (let found = nextMarker(bytes, at); found !== undefined; found = nextMarker(bytes, at)) {
    const { marker, after } = found;
    if (marker === EOI) return false;
    if (standsAlone(marker)) {
      at = after;
      continue;
    }
    if (after + 2 > bytes.length) return true;
    const end = after + readU16BE(bytes, after);
    if (end > bytes.length) return true;
    at = Math.max(end, after + 2);
  }
  return true;
}

/** SOF0..SOF15, except DHT (c4), JPG (c8) and DAC (cc), which share the range. */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegDimensions(bytes: Uint8Array): ImageDimensions | undefined {
  for (const { marker, start, end } of jpegHeaderSegments(bytes)) {
    if (marker === SOS) return undefined;
    // A segment length under 2 is corrupt; a frame header holds precision, height, width (and more).
    if (end < start) return undefined;
    if (isStartOfFrame(marker)) {
      if (start + 5 > bytes.length || end - start < 5) return undefined;
      return { width: readU16BE(bytes, start + 3), height: readU16BE(bytes, start + 1) };
    }
  }
  return undefined;
}

export const jpegHeader: HeaderReader = {
  minBytes: 0,
  dimensions: jpegDimensions,
  endsEarly: jpegEndsEarly,
};
