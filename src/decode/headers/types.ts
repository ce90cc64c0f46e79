export interface ImageDimensions {
  width: number;
  height: number;
}

/**
 * What this project reads from one format's own structure, without decoding. Every reader looks at a bounded
 * number of places: its work grows at most linearly with the bytes it is given, never with the counts and sizes
 * the file claims, and it allocates nothing in proportion to them.
 */
export interface HeaderReader {
  /** A file shorter than this stops inside the fixed part of its header. */
  minBytes: number;
  /** Width and height as the header states them (before EXIF orientation), or undefined when not found. */
  dimensions(bytes: Uint8Array): ImageDimensions | undefined;
  /**
   * Whether the file's structure says it stops early (a chunk, box or segment runs past the end, or the closing
   * marker is missing). False when the structure cannot say (damaged in another way).
   */
  endsEarly(bytes: Uint8Array): boolean;
}
