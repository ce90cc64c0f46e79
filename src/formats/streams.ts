/** Byte and text streams that work the same in Node, browsers and workers, without holding a whole file. */

/** A Node stream (fs.ReadStream is async-iterable), a web ReadableStream (Blob.stream()), or any async chunks. */
export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export async function* byteChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  // Not every browser makes ReadableStream async-iterable yet; the reader works everywhere.
  const reader = source.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** A line that cannot be read: not UTF-8, or longer than the reader allows. `line` is 1-based. */
export class TextLineError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`line ${line}: ${reason}`, options);
    this.name = "TextLineError";
  }
}

export interface TextLinesOptions {
  /** Longest line accepted, in characters; a longer one stops reading with `TextLineError` as soon as it is seen. */
  maxLineLength?: number;
}

/**
 * UTF-8 lines without their terminators (LF or CRLF) and without a leading byte-order mark. Linear in the input
 * however long its lines: each chunk is searched once, and a line's pieces are joined once, when it ends.
 */
export async function* textLines(source: ByteSource, options: TextLinesOptions = {}): AsyncGenerator<string> {
  const maxLineLength = options.maxLineLength ?? Infinity;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let pieces: string[] = [];
  let pendingLength = 0;
  let lineNumber = 0;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (error) {
      throw new TextLineError(lineNumber + 1 + (chunk ? lineOfBadBytes(chunk) : 0), "this is not UTF-8 text", { cause: error });
    }
  };
  const add = (piece: string) => {
    pieces.push(piece);
    pendingLength += piece.length;
    if (pendingLength > maxLineLength) throw new TextLineError(lineNumber + 1, `the line is longer than ${maxLineLength} characters`);
  };
  const take = (): string => {
    const line = stripCarriageReturn(pieces.join(""));
    pieces = [];
    pendingLength = 0;
    lineNumber++;
    return line;
  };
  for await (const chunk of byteChunks(source)) {
    const text = decode(chunk);
    let start = 0;
    for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
      add(text.slice(start, end));
      yield take();
      start = end + 1;
    }
    if (start < text.length) add(text.slice(start));
  }
  const rest = decode();
  if (rest.length > 0) add(rest);
  if (pendingLength > 0) yield take();
}

/**
 * Which line of `chunk` holds bytes that are not UTF-8, counting the line the chunk continues as 0. Only asked
 * once decoding has failed. A line feed byte is never part of a multi-byte character, so lines decode apart.
 */
function lineOfBadBytes(chunk: Uint8Array): number {
  for (let line = 0, start = 0; ; line++) {
    const end = chunk.indexOf(0x0a, start);
    let segment = chunk.subarray(start, end < 0 ? chunk.length : end);
    // The continued line can begin with the rest of a character started in the previous chunk.
    if (line === 0) while (segment.length > 0 && (segment[0]! & 0xc0) === 0x80) segment = segment.subarray(1);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(segment, { stream: end < 0 });
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = end + 1;
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}
