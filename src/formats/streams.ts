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

/** UTF-8 lines without their terminators (LF or CRLF) and without a leading byte-order mark. */
export async function* textLines(source: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let pending = "";
  for await (const chunk of byteChunks(source)) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
      yield stripCarriageReturn(pending.slice(start, end));
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending.length > 0) yield stripCarriageReturn(pending);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}
