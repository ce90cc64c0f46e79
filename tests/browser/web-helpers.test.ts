/** The component's pure helpers, in Node: exports hold fingerprints only; folder walking skips non-pictures. */
import { describe, expect, it } from "vitest";
import { fromFileList, looksLikePicture } from "../../web/file-intake.js";
import { hashesToCsv, hashesToJson } from "../../web/hash-export.js";
import { shortHash, summarySentence } from "../../web/human-words.js";
import type { NciiHashRecord } from "../../web/results.js";

const A = "cc6c7cb9fbf7c44f31837672900233f3ffd9d012223ccdf561606309dd97c020";
const B = "8f3c64f76fa5e4d225c716c7e74097801f0d5278260dbb82f87c03dfc583f502";

describe("exports", () => {
  const records: NciiHashRecord[] = [
    { pdq: A, quality: 100 },
    { pdq: B, quality: 42 },
  ];

  it("JSON lists the fingerprints and nothing about the files", () => {
    expect(JSON.parse(hashesToJson(records))).toEqual({ algorithm: "pdq", hashes: records });
  });

  it("CSV has a header row and CRLF line ends (RFC 4180)", () => {
    expect(hashesToCsv(records)).toBe(`pdq,quality\r\n${A},100\r\n${B},42\r\n`);
    expect(hashesToCsv([])).toBe("pdq,quality\r\n");
  });

  it("CSV adds the eight dihedral columns when the hashes have them", () => {
    const variants = [A, B, A, B, A, B, A, B];
    const csv = hashesToCsv([{ pdq: A, quality: 100, dihedral: variants }]);
    expect(csv.split("\r\n")).toEqual([
      "pdq,quality,orig,rot90,rot180,rot270,flipx,flipy,flipplus1,flipminus1",
      [A, "100", ...variants].join(","),
      "",
    ]);
  });
});

function fileIn(name: string, relativePath: string, type = ""): File {
  const file = new File([new Uint8Array(1)], name, { type });
  Object.defineProperty(file, "webkitRelativePath", { value: relativePath });
  return file;
}

describe("file intake", () => {
  it("recognises pictures by type or extension, and skips hidden and shadow files", () => {
    expect(looksLikePicture(new File([], "IMG_0001.JPG"))).toBe(true);
    expect(looksLikePicture(new File([], "scan", { type: "image/png" }))).toBe(true);
    expect(looksLikePicture(new File([], "photo.heic"))).toBe(true);
    expect(looksLikePicture(new File([], "notes.txt", { type: "text/plain" }))).toBe(false);
    expect(looksLikePicture(new File([], ".DS_Store"))).toBe(false);
    expect(looksLikePicture(new File([], "._IMG_0001.jpg", { type: "image/jpeg" }))).toBe(false);
  });

  it("keeps every file picked one by one, and only the pictures of a picked folder", () => {
    const picked = fromFileList([fileIn("notes.txt", ""), fileIn("a.png", "")] as unknown as FileList);
    expect(picked.files.map((entry) => entry.name)).toEqual(["notes.txt", "a.png"]);
    expect(picked.skipped).toBe(0);
    const folder = fromFileList([fileIn("a.png", "trip/a.png"), fileIn("notes.txt", "trip/notes.txt")] as unknown as FileList);
    expect(folder.files.map((entry) => entry.name)).toEqual(["trip/a.png"]);
    expect(folder.skipped).toBe(1);
  });
});

describe("words", () => {
  it("shortens a hash to its two ends", () => {
    expect(shortHash(A)).toBe("cc6c7cb9…dd97c020");
  });

  it("sums up a batch in a sentence", () => {
    expect(summarySentence(1, 0, false)).toBe("Finished. 1 fingerprint ready.");
    expect(summarySentence(3, 2, true)).toBe("Stopped. 3 fingerprints ready, 2 files could not be fingerprinted.");
  });
});
