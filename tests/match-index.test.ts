/**
 * The hash index's three search paths (WASM SIMD scan, TypeScript scan, multi-index) against a brute-force
 * oracle built on src/hash/pdq-hash.ts's hammingDistance, which shares no code with any of them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DIHEDRAL_NAMES } from "../src/engine/types.js";
import { hammingDistance, pdqHexToBits, pdqBitsToHex } from "../src/hash/pdq-hash.js";
import { HashIndex, type HashMatch, type SearchStrategy } from "../src/match/hash-index.js";
import type { HashListEntry } from "../src/match/hash-list.js";
import { VECTORS } from "./support/fixtures.js";

/** Deterministic hex hashes (xorshift32), so failures reproduce. */
function randomHashes(count: number, seed: number): string[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 8 }, () => next().toString(16).padStart(8, "0")).join(""),
  );
}

/** `hex` with `count` bits flipped, spread over the hash by a stride coprime to 256. */
function flipBits(hex: string, count: number, offset = 0): string {
  const bits = pdqHexToBits(hex);
  for (let i = 0; i < count; i++) bits[(offset + i * 37) % 256]! ^= 1;
  return pdqBitsToHex(bits);
}

function oracle(list: string[], variants: string[], threshold: number): Omit<HashMatch, "id">[] {
  const matches: Omit<HashMatch, "id">[] = [];
  list.forEach((hash, index) => {
    const distances = variants.map((variant) => hammingDistance(variant, hash));
    const distance = Math.min(...distances);
    if (distance <= threshold) {
      matches.push({ index, hash, distance, variant: DIHEDRAL_NAMES[distances.indexOf(distance)]! });
    }
  });
  return matches.sort((a, b) => a.distance - b.distance || a.index - b.index);
}

const entriesOf = (list: string[]): HashListEntry[] => list.map((hash, i) => ({ id: `h${i}`, hash }));
const withoutIds = (matches: HashMatch[]) => matches.map(({ id: _id, ...rest }) => rest);

/** A list where the 8 query variants have listed neighbours at distances around every threshold tested. */
function plantedList(size: number, variants: string[]): string[] {
  const list = randomHashes(size, 7);
  const distances = [0, 1, 2, 15, 16, 17, 30, 31, 32, 33, 46, 47, 48, 63, 64, 65];
  distances.forEach((distance, i) => {
    const variant = variants[i % variants.length]!;
    // Near the start, in the middle and in the ragged last group of 8, where the kernel masks lanes.
    for (const at of [i * 3, (size >> 1) + i, size - 1 - i]) list[at] = flipBits(variant, distance, i);
  });
  return list;
}

describe("HashIndex search paths agree with brute force", async () => {
  const variants = randomHashes(8, 99);
  const list = plantedList(2_003, variants);
  const indexes = {
    wasm: await HashIndex.create(entriesOf(list), { scanner: "wasm", multiIndex: true }),
    js: await HashIndex.create(entriesOf(list), { scanner: "js", multiIndex: true }),
  };
  const cases = [0, 1, 16, 31, 32, 47, 64, 100].flatMap((threshold) =>
    [1, 8].map((variantCount) => ({ threshold, variantCount })),
  );

  it.each(cases)("threshold $threshold, $variantCount variant(s)", ({ threshold, variantCount }) => {
    const query = { pdq: variants[0]!, dihedral: variants };
    const dihedral = variantCount === 8;
    const expected = oracle(list, dihedral ? variants : variants.slice(0, 1), threshold);
    expect(expected.length).toBeGreaterThan(0);
    const strategies: SearchStrategy[] = threshold <= 47 ? ["scan", "multi-index", "auto"] : ["scan", "auto"];
    for (const index of Object.values(indexes)) {
      for (const strategy of strategies) {
        const found = index.query(query, { threshold, dihedral, strategy });
        expect(withoutIds(found), `${index.scannerKind} ${strategy}`).toEqual(expected);
      }
    }
  });

  it("multi-index stays exact on lists of near-identical hashes (crowded buckets)", async () => {
    const base = variants[3]!;
    const crowded = Array.from({ length: 600 }, (_, i) => flipBits(base, i % 40, i));
    const index = await HashIndex.create(entriesOf(crowded), { multiIndex: true });
    for (const threshold of [0, 31, 47]) {
      const expected = oracle(crowded, variants, threshold);
      for (const strategy of ["scan", "multi-index", "auto"] as const) {
        expect(withoutIds(index.query({ pdq: variants[0]!, dihedral: variants }, { threshold, dihedral: true, strategy })))
          .toEqual(expected);
      }
    }
  });

  it("finds the upstream MIH regression needles in their haystack", async () => {
    const read = (name: string) =>
      readFileSync(`${VECTORS}reg-test-input/${name}`, "utf8").split("\n").map((line) => line.trim()).filter(Boolean);
    const haystack = read("haystack.txt");
    const needles = read("needles.txt");
    const index = await HashIndex.create(entriesOf(haystack), { multiIndex: true });
    let total = 0;
    for (const needle of needles) {
      const expected = oracle(haystack, [needle], 31);
      total += expected.length;
      expect(withoutIds(index.query(needle))).toEqual(expected);
      expect(withoutIds(index.query(needle, { strategy: "multi-index" }))).toEqual(expected);
    }
    expect(total).toBeGreaterThanOrEqual(needles.length * 2);
  });
});

describe("HashIndex", () => {
  const list = randomHashes(20, 3);

  it("keeps ids and hashes, and reports them with each match", async () => {
    const index = await HashIndex.create(entriesOf(list), { scanner: "js" });
    expect(index.size).toBe(20);
    expect(index.entry(5)).toEqual({ id: "h5", hash: list[5] });
    const near = flipBits(list[5]!, 9);
    expect(index.query(near)).toEqual([{ index: 5, id: "h5", hash: list[5], distance: 9, variant: "orig" }]);
    expect(index.query(near, { threshold: 8 })).toEqual([]);
  });

  it("accepts upper-case hex and answers in lower case", async () => {
    const index = await HashIndex.create([{ id: "a", hash: list[0]!.toUpperCase() }]);
    expect(index.query(list[0]!.toUpperCase())).toMatchObject([{ hash: list[0], distance: 0 }]);
  });

  it("refuses queries it cannot answer correctly", async () => {
    const index = await HashIndex.create(entriesOf(list));
    expect(() => index.query(list[0]!, { dihedral: true })).toThrow(/8 variants/);
    expect(() => index.query({ pdq: list[0]!, dihedral: list.slice(0, 3) }, { dihedral: true })).toThrow(TypeError);
    expect(() => index.query("abc")).toThrow(/not a PDQ hash/);
    expect(() => index.query(list[0]!, { threshold: -1 })).toThrow(RangeError);
    expect(() => index.query(list[0]!, { threshold: 2.5 })).toThrow(RangeError);
    expect(() => index.query(list[0]!, { strategy: "multi-index" })).toThrow(/multi-index/);
    await expect(HashIndex.create([{ id: "x", hash: "zz" }])).rejects.toThrow(/not a PDQ hash/);
  });

  it("never reports the zero padding after a list whose length is not a multiple of 8", async () => {
    const zero = "0".repeat(64);
    const ragged = [...randomHashes(12, 5), flipBits(zero, 5)];
    for (const scanner of ["wasm", "js"] as const) {
      const index = await HashIndex.create(entriesOf(ragged), { scanner });
      expect(index.query(zero)).toMatchObject([{ index: 12, distance: 5 }]);
    }
  });

  it("an empty list matches nothing", async () => {
    for (const scanner of ["wasm", "js"] as const) {
      const index = await HashIndex.create([], { scanner, multiIndex: true });
      expect(index.query(list[0]!, { threshold: 256 })).toEqual([]);
    }
  });
});
