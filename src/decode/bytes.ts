/**
 * Reading numbers and tags out of file bytes, the one set of readers every header parser and sniffer uses. Reads
 * past the end give 0 bytes (undefined coerced by the bit operators), so callers bound-check what they trust.
 */

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return startsWithAt(bytes, 0, prefix);
}

export function startsWithAt(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((byte, i) => bytes[at + i] === byte);
}

/** `length` bytes as Latin-1 text, or "" when they are not all there. Meant for short tags (4-byte types). */
export function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (at < 0 || bytes.length < at + length) return "";
  let text = "";
  for (let i = at; i < at + length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

export function readU16LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

export function readU16BE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

export function readU24LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
}

export function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

export function readI32LE(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

export function readU32BE(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}
