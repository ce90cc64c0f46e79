/**
 * Seeded mutations of hash lists, for the parser fuzzer: lists in every format the reader takes (one hash per
 * line, CSV and TSV with and without a header, JSON Lines), then changed line by line and byte by byte. Lines
 * are duplicated many times over, stretched to tens of thousands of characters, split, cut, given stray quotes,
 * delimiters, control characters, nested JSON and bytes that are not UTF-8. Every choice comes from the seed.
 */
import { SeededRandom, type Mutant } from "./mutate.js";

const HEX = "0123456789abcdef";

function hash(random: SeededRandom): string {
  return Array.from({ length: 64 }, () => HEX[random.below(16)]).join("");
}

/** A well-formed list of a few hashes, in a format chosen by `random`. */
export function hashListSource(random: SeededRandom): { name: string; text: string } {
  const hashes = Array.from({ length: random.between(1, 12) }, () => hash(random));
  const forms: Array<[string, () => string[]]> = [
    ["lines", () => ["# a partner list", ...hashes.map((h, i) => (i % 3 === 0 ? h.toUpperCase() : h))]],
    ["csv with header", () => ["signal_id,signal_type,hash", ...hashes.map((h, i) => `"id ${i}, quoted",pdq,${h}`)]],
    ["csv without header", () => hashes.map((h, i) => `p-${i},${h}`)],
    ["tsv with header", () => ["pdq_hex\tfile", ...hashes.map((h, i) => `${h}\tphoto ${i}.jpg`)]],
    [
      "jsonl",
      () =>
        hashes.map((h, i) =>
          i % 4 === 3
            ? JSON.stringify({ signalType: "VideoMD5", hashValue: h.slice(0, 32) })
            : JSON.stringify({ signalType: "ImagePDQ", hashValue: h, quality: 90, id: `x${i}` }),
        ),
    ],
  ];
  const [name, make] = random.pick(forms);
  return { name, text: make().join(random.chance(0.3) ? "\r\n" : "\n") + (random.chance(0.5) ? "\n" : "") };
}

type ListMutator = (lines: string[], random: SeededRandom) => string;

const MAX_REPEATED_CHARS = 1 << 20;

const INSERTS = ['"', ",", "\t", "{", "}", "[", "\u001b[2J", "\u0000", "\u009b", "\\", "#", " ", "\r", "é", "🙂"];

const listMutators: ListMutator[] = [
  (lines, random) => {
    const at = random.below(lines.length);
    // Up to about a megabyte of repeats: enough to pass the entry limit the fuzzer sets.
    const copies = Math.min(random.pick([2, 10, 500, 3000]), Math.ceil(MAX_REPEATED_CHARS / (lines[at]!.length + 1)));
    lines.splice(at, 0, ...Array.from({ length: copies }, () => lines[at]!));
    return `repeat line ${at + 1} ${copies} times`;
  },
  (lines, random) => {
    const at = random.below(lines.length);
    const length = random.pick([100, 4096, 70_000, 200_000]);
    const fill = random.pick(["a", ",", '"', "0", "{", " ", '""']);
    lines[at] = `${lines[at]}${fill.repeat(Math.ceil(length / fill.length))}`;
    return `stretch line ${at + 1} by ${length} of ${JSON.stringify(fill)}`;
  },
  (lines, random) => {
    const at = random.below(lines.length);
    const line = lines[at]!;
    const where = random.below(line.length + 1);
    const insert = random.pick(INSERTS).repeat(random.between(1, 4));
    lines[at] = line.slice(0, where) + insert + line.slice(where);
    return `insert ${JSON.stringify(insert)} in line ${at + 1} at ${where}`;
  },
  (lines, random) => {
    const at = random.below(lines.length);
    lines[at] = lines[at]!.slice(0, random.below(lines[at]!.length + 1));
    return `cut line ${at + 1}`;
  },
  (lines, random) => {
    const at = random.below(lines.length);
    lines.splice(at, 1);
    return `drop line ${at + 1}`;
  },
  (lines, random) => {
    const depth = random.pick([10, 1000, 20_000]);
    const at = random.below(lines.length + 1);
    lines.splice(at, 0, `{"hash": ${"[".repeat(depth)}${"]".repeat(depth)}}`);
    return `insert JSON nested ${depth} deep at line ${at + 1}`;
  },
  (lines, random) => {
    const at = random.below(lines.length);
    const id = "i".repeat(random.pick([127, 128, 129, 5000]));
    lines[at] = random.chance(0.5) ? `${id},${lines[at]}` : JSON.stringify({ hash: lines[at], id });
    return `give line ${at + 1} an id of ${id.length} characters`;
  },
];

/** 1 to 3 line mutations, then possibly a few raw byte changes (which can make the bytes invalid UTF-8). */
export function mutateHashList(text: string, seed: number): Mutant {
  const random = new SeededRandom(seed);
  const lines = text.split("\n");
  const steps: string[] = [];
  for (let n = random.between(1, 3); n > 0; n--) {
    if (lines.length === 0) lines.push("");
    steps.push(random.pick(listMutators)(lines, random));
  }
  const bytes = new TextEncoder().encode(lines.join("\n"));
  if (random.chance(0.3) && bytes.length > 0) {
    for (let n = random.between(1, 4); n > 0; n--) {
      const at = random.below(bytes.length);
      bytes[at] = random.pick([0x0a, 0x0d, 0x22, 0x2c, 0x80, 0xc3, 0xff, random.below(256)]);
      steps.push(`set byte ${at} to 0x${bytes[at]!.toString(16)}`);
    }
  }
  return { bytes, steps };
}
