import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { textLines } from "../src/formats/streams.js";
import { HashIndex } from "../src/match/hash-index.js";
import {
  DEFAULT_MAX_LIST_ENTRIES,
  HashListError,
  MAX_LIST_ID_LENGTH,
  MAX_LIST_LINE_LENGTH,
  parseHashList,
  type HashListEntry,
  type HashListOptions,
} from "../src/match/hash-list.js";
import { CORPUS, readExpected } from "./support/fixtures.js";

const A = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
const B = "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af";

async function parse(text: string, options?: HashListOptions): Promise<HashListEntry[]> {
  const entries: HashListEntry[] = [];
  for await (const entry of parseHashList(text.split("\n"), options)) entries.push(entry);
  return entries;
}

describe("parseHashList", () => {
  it("reads one hash per line; ids are line numbers; blanks and # comments are skipped", async () => {
    expect(await parse(`# partner list\n${A}\n\n  ${B.toUpperCase()}  \r`)).toEqual([
      { id: "2", hash: A },
      { id: "4", hash: B },
    ]);
  });

  it("reads CSV and TSV with a header, whatever the column order", async () => {
    const csv = `signal_id,Hash,extra\n"one, quoted",${A},x\ntwo,${B},y`;
    expect(await parse(csv)).toEqual([
      { id: "one, quoted", hash: A },
      { id: "two", hash: B },
    ]);
    expect(await parse(`pdq_hex\tfile\n${A}\ta.png`)).toEqual([{ id: "a.png", hash: A }]);
    // Empty cells: no id means the line number, no type means PDQ.
    expect(await parse(`id,signal_type,hash\n,,${A}\nz,pdq,${B}`)).toEqual([
      { id: "2", hash: A },
      { id: "z", hash: B },
    ]);
  });

  it("reads CSV without a header: the hex column is the hash, the other the id", async () => {
    expect(await parse(`p-1,${A}\np-2,${B}`)).toEqual([
      { id: "p-1", hash: A },
      { id: "p-2", hash: B },
    ]);
    expect(await parse(`${A},p-1`)).toEqual([{ id: "p-1", hash: A }]);
  });

  it("reads JSON Lines, including exchange records, and skips non-PDQ signals", async () => {
    const skipped: number[] = [];
    const jsonl = [
      JSON.stringify({ signalType: "ImagePDQ", hashValue: A, quality: 100, id: "x" }),
      JSON.stringify({ signalType: "VideoMD5", hashValue: "d41d8cd98f00b204e9800998ecf8427e" }),
      JSON.stringify({ signal_type: "pdq", signal_value: B, id: 7 }),
      JSON.stringify({ hash: A }),
    ].join("\n");
    expect(await parse(jsonl, { onSkip: (line) => skipped.push(line) })).toEqual([
      { id: "x", hash: A },
      { id: "7", hash: B },
      { id: "4", hash: A },
    ]);
    expect(skipped).toEqual([2]);
  });

  it("reads the corpus's expected-hash table as a list", async () => {
    const { readFile } = await import("node:fs/promises");
    const entries = await parse(await readFile(`${CORPUS}expected.tsv`, "utf8"));
    expect(entries).toEqual(readExpected(`${CORPUS}expected.tsv`).map((row) => ({ id: row.file, hash: row.pdq })));
  });

  it("stops at the first bad line and names it, rather than dropping a hash", async () => {
    await expect(parse(`${A}\n${A.slice(1)}\n${B}`)).rejects.toThrow(/line 2: not a PDQ hash/);
    await expect(parse(`id,hash\nx,${A}\ny,nothex`)).rejects.toThrow(HashListError);
    await expect(parse(`id,name\nx,y`)).rejects.toThrow(/line 1: no hash column/);
    await expect(parse(`{"hash": "${A}"}\n{oops`)).rejects.toThrow(/line 2/);
    await expect(parse(`${A}`, { format: "jsonl" })).rejects.toThrow(/line 1/);
  });
});

describe("HashIndex.fromBytes", () => {
  it("streams a list in arbitrary chunks (split lines, CRLF, BOM, multi-byte ids)", async () => {
    const text = `\uFEFFid,hash\r\nété,${A}\r\n🙂,${B}\r\n`;
    const bytes = new TextEncoder().encode(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const index = await HashIndex.fromBytes(Readable.from(chunks));
    expect([index.entry(0), index.entry(1)]).toEqual([
      { id: "été", hash: A },
      { id: "🙂", hash: B },
    ]);
    const viaWebStream = await HashIndex.fromBytes(new Blob([bytes]).stream());
    expect(viaWebStream.entry(1)).toEqual({ id: "🙂", hash: B });
  });

  it("textLines refuses bytes that are not UTF-8, naming the line", async () => {
    const lines = textLines(Readable.from([new TextEncoder().encode("fine\n"), Uint8Array.of(0x41, 0xff, 0x0a)]));
    expect(await lines.next()).toEqual({ done: false, value: "fine" });
    await expect(lines.next()).rejects.toMatchObject({ name: "TextLineError", line: 2, reason: "this is not UTF-8 text" });
    await expect(HashIndex.fromBytes(Readable.from([Uint8Array.of(0x0a, 0xc3, 0x28)]))).rejects.toThrow(
      new HashListError(2, "this is not UTF-8 text"),
    );
  });
});

describe("hostile lists: bounded time and memory, errors that name the line", () => {
  /** `count` chunks of `size` bytes of hex and no line break, counting the chunks read. */
  function endlessLine(count: number, size: number): { chunks: AsyncGenerator<Uint8Array>; readonly pulled: number } {
    let pulled = 0;
    const chunk = new TextEncoder().encode("a".repeat(size));
    return {
      chunks: (async function* () {
        for (; pulled < count; ) {
          pulled += 1;
          yield chunk;
        }
      })(),
      get pulled() {
        return pulled;
      },
    };
  }

  it("a line with no end stops being read once it is longer than the limit", async () => {
    const input = endlessLine(16 * 1024, 16 * 1024); // 256 MiB if it were all read
    await expect(HashIndex.fromBytes(input.chunks)).rejects.toThrow(
      new HashListError(1, `the line is longer than ${MAX_LIST_LINE_LENGTH} characters`),
    );
    expect(input.pulled).toBe(MAX_LIST_LINE_LENGTH / (16 * 1024) + 1);
  });

  it("lines given as strings are held to the same limit, and ids to theirs", async () => {
    const long = `${A},${"x".repeat(MAX_LIST_LINE_LENGTH)}`;
    await expect(parse(`${B}\n${long}`)).rejects.toThrow(new HashListError(2, `the line is longer than ${MAX_LIST_LINE_LENGTH} characters`));
    await expect(parse(`id,hash\nfine,${A}\n${"i".repeat(MAX_LIST_ID_LENGTH + 1)},${B}`)).rejects.toThrow(
      new HashListError(3, `the id is longer than ${MAX_LIST_ID_LENGTH} characters`),
    );
    expect(await parse(`${"i".repeat(MAX_LIST_ID_LENGTH)},${B}`)).toEqual([{ id: "i".repeat(MAX_LIST_ID_LENGTH), hash: B }]);
  });

  it("more hashes than maxEntries is an error on the first line too many; the default is DEFAULT_MAX_LIST_ENTRIES", async () => {
    expect(await parse(`# three\n${A}\n${B}\n${A}`, { maxEntries: 3 })).toHaveLength(3);
    await expect(parse(`# three\n${A}\n${B}\n${A}\n\n${B}`, { maxEntries: 3 })).rejects.toThrow(
      new HashListError(6, "the list holds more than 3 hashes, the most this reads (maxEntries)"),
    );
    function* many(): Generator<string> {
      for (let i = 0; i <= DEFAULT_MAX_LIST_ENTRIES; i++) yield A;
    }
    const entries = parseHashList(many());
    let read = 0;
    await expect(
      (async () => {
        for await (const _entry of entries) read++;
      })(),
    ).rejects.toThrow(new HashListError(DEFAULT_MAX_LIST_ENTRIES + 1, `the list holds more than ${DEFAULT_MAX_LIST_ENTRIES} hashes, the most this reads (maxEntries)`));
    expect(read).toBe(DEFAULT_MAX_LIST_ENTRIES);
  });

  it("error messages escape the control characters a list quotes (JSON.parse's own message included)", async () => {
    const escape = "\u001b]0;owned\u0007\u001b[2J";
    // V8 quotes the line in "Unexpected token 'o', "oops..." is not valid JSON".
    for (const list of [`{"hash": "${A}"}\noops${escape}`, `${A}\n${escape}${A}`]) {
      const error = await parse(list).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HashListError);
      const { message } = error as HashListError;
      expect(message).toMatch(/^hash list line 2: /);
      expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(message).toContain("\\u001b");
    }
  });
});
