/** Small files built to cost a careless reader unbounded time or memory. Pure byte surgery, nothing stored. */

/**
 * A classic little-endian TIFF whose one directory fills the file: every entry a distinct tag of type SHORT
 * whose values (count = size / 2, from offset 0) span the whole file, so each entry's values "fit". A reader that
 * builds an array per entry builds entries x size / 2 numbers: at 256 KB, 21,844 x 131,072 (2.9 billion).
 */
export function hostileTiff(size = 256 * 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 0x2a, 0x00]);
  view.setUint32(4, 8, true);
  const entries = Math.min(0xffff, Math.floor((size - 8 - 2 - 4) / 12));
  view.setUint16(8, entries, true);
  for (let i = 0; i < entries; i++) {
    const at = 10 + i * 12;
    view.setUint16(at, 1000 + i, true);
    view.setUint16(at + 2, 3, true);
    view.setUint32(at + 4, size / 2, true);
    view.setUint32(at + 8, 0, true);
  }
  return bytes;
}
