import { describe, expect, it } from "vitest";
import { imagePdqSignal, videoMd5Signal, type SignalRecord } from "../src/formats/signal-record.js";
import { formatSignal, parseSignals, SIGNAL_FORMATS, SignalFormatError, signalHeaderLines, type SignalFormat } from "../src/formats/signals.js";
import { CORPUS, readExpected } from "./support/fixtures.js";

const dihedralRow = readExpected(`${CORPUS}expected-dihedral.tsv`)[0]!;
const records: SignalRecord[] = [
  ...readExpected(`${CORPUS}expected.tsv`).map((row, i) =>
    imagePdqSignal(row, { resize: "512", ...(i % 2 === 0 && { id: `photo ${i}, "q"` }) }),
  ),
  imagePdqSignal(dihedralRow, { resize: "512" }),
  imagePdqSignal({ pdq: dihedralRow.pdq.toUpperCase(), quality: 0 }),
  videoMd5Signal("D41D8CD98F00B204E9800998ECF8427E", { id: "clip-1" }),
  videoMd5Signal("900150983cd24fb0d6963f7d28e17f72"),
];

async function collect(lines: string[], format: SignalFormat): Promise<SignalRecord[]> {
  const parsed: SignalRecord[] = [];
  for await (const record of parseSignals(lines, format)) parsed.push(record);
  return parsed;
}

function exportLines(format: SignalFormat): string[] {
  return [...signalHeaderLines(format), ...records.map((record) => formatSignal(record, format))];
}

describe.each(SIGNAL_FORMATS)("%s exchange records", (format) => {
  it("parse back to the records that were written", async () => {
    expect(await collect(exportLines(format), format)).toEqual(records);
  });

  it("survive a round trip through one text file (CRLF endings, trailing blank line)", async () => {
    const file = `${exportLines(format).join("\r\n")}\r\n`;
    const lines = file.split("\n").map((line) => line.replace(/\r$/, ""));
    expect(await collect(lines, format)).toEqual(records);
  });
});

describe("exchange record shape", () => {
  it("uses the field names hash-sharing services take, and nothing about the file", () => {
    expect(JSON.parse(formatSignal(records[1]!, "jsonl"))).toEqual({
      signalType: "ImagePDQ",
      hashValue: readExpected(`${CORPUS}expected.tsv`)[1]!.pdq,
      quality: 100,
      resize: "512",
    });
    expect(signalHeaderLines("csv")).toEqual(["signalType,hashValue,quality,resize,dihedral,id"]);
    expect(formatSignal(records.at(-2)!, "csv")).toBe("VideoMD5,d41d8cd98f00b204e9800998ecf8427e,,,,clip-1");
  });

  it("lower-cases hashes and keeps the 8 dihedral variants in order", () => {
    expect(records.at(-3)).toEqual({ signalType: "ImagePDQ", hashValue: dihedralRow.pdq, quality: 0 });
    expect(records.at(-4)).toMatchObject({ dihedral: dihedralRow.dihedral });
  });

  it("refuses records a receiver could misread", () => {
    const good = { pdq: dihedralRow.pdq, quality: 90 };
    expect(() => imagePdqSignal({ ...good, quality: 101 })).toThrow(/quality/);
    expect(() => imagePdqSignal({ ...good, quality: 50.5 })).toThrow(/quality/);
    expect(() => imagePdqSignal({ ...good, pdq: "abc" })).toThrow(/hashValue/);
    expect(() => imagePdqSignal({ ...good, dihedral: dihedralRow.dihedral!.slice(1) })).toThrow(/dihedral/);
    expect(() => imagePdqSignal({ ...good, dihedral: [...dihedralRow.dihedral!].reverse() })).toThrow(/first dihedral/);
    expect(() => imagePdqSignal(good, { id: "two\nlines" })).toThrow(/line breaks/);
    expect(() => videoMd5Signal("abc")).toThrow(/32 lowercase hex/);
  });
});

describe("parseSignals errors name the line", () => {
  const pdq = dihedralRow.pdq;
  it.each([
    ["jsonl", ['{"signalType":"ImagePDQ","hashValue":"' + pdq + '","quality":100}', "{not json"], 2],
    ["jsonl", ['{"signalType":"ImagePHash","hashValue":"' + pdq + '","quality":100}'], 1],
    ["jsonl", ['{"signalType":"VideoMD5","hashValue":"d41d8cd98f00b204e9800998ecf8427e","quality":3}'], 1],
    ["jsonl", ['["ImagePDQ"]'], 1],
    ["csv", ["hashValue,quality", `${pdq},100`], 1],
    ["csv", ["signalType,hashValue,quality", `ImagePDQ,${pdq}`], 2],
    ["csv", ["signalType,hashValue,quality", "", `ImagePDQ,${pdq},x`], 3],
    ["csv", ["signalType,hashValue", `ImagePDQ,${pdq}`], 2],
  ] as const)("%s %j -> line %d", async (format, lines, line) => {
    const failure = await collect([...lines], format).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SignalFormatError);
    expect((failure as SignalFormatError).line).toBe(line);
  });
});
