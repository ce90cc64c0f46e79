/**
 * Reading a results file and its journal front to back in large chunks, knowing the byte offset of everything
 * read: a damaged or cut-off line is cut at its exact first byte, and a 500,000-line file is one sequential pass.
 */
import type { FileHandle } from "node:fs/promises";

const CHUNK_BYTES = 1 << 20;

/** Byte ranges taken in order from a file. */
export class SequentialReader {
  private chunk = Buffer.alloc(0);
  /** Where `chunk` starts in the file. */
  private chunkStart: number;
  /** Next unread byte, in the file. */
  private position: number;

  constructor(
    private readonly handle: FileHandle,
    start: number,
  ) {
    this.chunkStart = start;
    this.position = start;
  }

  /** Where the next `take` starts. */
  get offset(): number {
    return this.position;
  }

  /** The next `length` bytes, or undefined when the file ends before them (the position is then unchanged). */
  async take(length: number): Promise<Buffer | undefined> {
    while (this.position + length > this.chunkStart + this.chunk.length) {
      if (!(await this.readMore())) return undefined;
    }
    const from = this.position - this.chunkStart;
    this.position += length;
    return this.chunk.subarray(from, from + length);
  }

  /** The bytes up to and including the next `\n`, or to the end of the file; undefined at the end. */
  async takeLine(): Promise<{ bytes: Buffer; terminated: boolean } | undefined> {
    let searchFrom = this.position - this.chunkStart;
    for (;;) {
      const newline = this.chunk.indexOf(0x0a, searchFrom);
      if (newline >= 0) return { bytes: (await this.take(newline + 1 - (this.position - this.chunkStart)))!, terminated: true };
      const unread = this.chunkStart + this.chunk.length - this.position;
      if (!(await this.readMore())) return unread > 0 ? { bytes: (await this.take(unread))!, terminated: false } : undefined;
      searchFrom = unread;
    }
  }

  /** Drops what was taken and appends the next chunk; false at the end of the file. */
  private async readMore(): Promise<boolean> {
    const keep = this.chunk.subarray(this.position - this.chunkStart);
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, keep.length * 2));
    keep.copy(next);
    const { bytesRead } = await this.handle.read(next, keep.length, next.length - keep.length, this.position + keep.length);
    this.chunkStart = this.position;
    this.chunk = next.subarray(0, keep.length + bytesRead);
    return bytesRead > 0;
  }
}

export interface FileLine {
  /** The line without its `\n`, decoded as UTF-8. */
  text: string;
  /** Offset of its first byte. */
  start: number;
  /** Offset just past its `\n` (or past its last byte when the file ends without one). */
  end: number;
  /** False for a last line the file ends in the middle of. */
  terminated: boolean;
}

/** The lines of a file from `start`, split at `\n`. */
export async function* readLines(handle: FileHandle, start = 0): AsyncGenerator<FileLine> {
  const reader = new SequentialReader(handle, start);
  for (;;) {
    const lineStart = reader.offset;
    const line = await reader.takeLine();
    if (!line) return;
    const text = line.bytes.toString("utf8", 0, line.bytes.length - (line.terminated ? 1 : 0));
    yield { text, start: lineStart, end: reader.offset, terminated: line.terminated };
  }
}
