/**
 * Multi-index hashing (Norouzi, Punjani and Fleet, "Fast search in Hamming space with multi-index hashing",
 * CVPR 2012) over the 16 PDQ words. Two hashes at most t bits apart differ by at most floor(t / 16) bits in at
 * least one of their 16 words, so probing each word's table with every value within that radius of the query's
 * word finds every match; only those candidates are compared in full.
 *
 * For uniformly spread hashes and t <= 31 (radius 1) that is 17 probes per word and about N / 240 candidates
 * per query variant instead of N comparisons. Real lists are not uniform (flat images share words), so the
 * caller asks `candidateCount` first and scans instead when the buckets hit are large.
 */
import { PACKED_WORDS } from "./packed-hashes.js";
import { boundedDistance, nearestVariant } from "./packed-distance.js";
import { queryVariantCount, type ScanHit } from "./scanner.js";

const WORDS = 16;
const WORD_VALUES = 1 << 16;

/** Word values within Hamming radius r of 0, by r; radius 2 already means 137 probes per word. */
const PROBES_BY_RADIUS: readonly Uint16Array[] = (() => {
  const single = Array.from({ length: 16 }, (_, i) => 1 << i);
  const double = single.flatMap((a, i) => single.slice(i + 1).map((b) => a | b));
  return [Uint16Array.of(0), Uint16Array.of(0, ...single), Uint16Array.of(0, ...single, ...double)];
})();

export const MULTI_INDEX_MAX_THRESHOLD = PROBES_BY_RADIUS.length * WORDS - 1;

export class MultiIndex {
  /**
   * Table w: the stored indices sorted by word w, in `entries` from w * count on; `starts[w * 65537 + value]` is
   * where the bucket of that word value begins in `entries`.
   */
  private readonly starts: Uint32Array;
  private readonly entries: Uint32Array;
  readonly count: number;

  constructor(private readonly hashes: Uint32Array) {
    this.count = hashes.length / PACKED_WORDS;
    this.starts = new Uint32Array(WORDS * (WORD_VALUES + 1));
    this.entries = new Uint32Array(WORDS * this.count);
    for (let w = 0; w < WORDS; w++) this.buildTable(w);
  }

  /** Stored hashes the probes for `threshold` would touch (with repeats): the cost of `search`. */
  candidateCount(queries: Uint32Array, threshold: number): number {
    const variants = queryVariantCount(queries, threshold);
    const probes = probesFor(threshold);
    let total = 0;
    for (let v = 0; v < variants; v++) {
      for (let w = 0; w < WORDS; w++) {
        const value = wordOf(queries, v * PACKED_WORDS, w);
        const table = w * (WORD_VALUES + 1);
        for (let p = 0; p < probes.length; p++) {
          const bucket = table + (value ^ probes[p]!);
          total += this.starts[bucket + 1]! - this.starts[bucket]!;
        }
      }
    }
    return total;
  }

  /** Same answers, in the same order, as `HashScanner.scan`. */
  search(queries: Uint32Array, threshold: number): ScanHit[] {
    const variants = queryVariantCount(queries, threshold);
    const probes = probesFor(threshold);
    const { hashes, starts, entries } = this;
    const found: number[] = [];
    for (let v = 0; v < variants; v++) {
      const at = v * PACKED_WORDS;
      for (let w = 0; w < WORDS; w++) {
        const value = wordOf(queries, at, w);
        const table = w * (WORD_VALUES + 1);
        for (let p = 0; p < probes.length; p++) {
          const bucket = table + (value ^ probes[p]!);
          const end = starts[bucket + 1]!;
          // A hash within the threshold of some variant is reached through that variant's probes, so testing the
          // variant that reached it decides membership; the best variant is chosen below. An unrelated hash is
          // rarely reached through two words, so repeats (mostly of matches) are cheaper to drop at the end than
          // a "seen" mark is to keep: that would cost a second random memory access per candidate.
          for (let e = starts[bucket]!; e < end; e++) {
            const index = entries[e]!;
            if (boundedDistance(hashes, index * PACKED_WORDS, queries, at, threshold) <= threshold) found.push(index);
          }
        }
      }
    }
    found.sort((a, b) => a - b);
    const hits: ScanHit[] = [];
    for (let i = 0; i < found.length; i++) {
      const index = found[i]!;
      if (i > 0 && found[i - 1] === index) continue;
      hits.push({ index, ...nearestVariant(hashes, index * PACKED_WORDS, queries, variants, threshold)! });
    }
    return hits;
  }

  /** Counting sort of the stored indices by word w. */
  private buildTable(w: number): void {
    const { hashes, starts, entries } = this;
    const table = w * (WORD_VALUES + 1);
    starts[table] = w * this.count;
    for (let i = 0; i < this.count; i++) starts[table + wordOf(hashes, i * PACKED_WORDS, w) + 1]!++;
    for (let value = 0; value < WORD_VALUES; value++) starts[table + value + 1]! += starts[table + value]!;
    const next = starts.slice(table, table + WORD_VALUES);
    for (let i = 0; i < this.count; i++) entries[next[wordOf(hashes, i * PACKED_WORDS, w)]!++] = i;
  }
}

function probesFor(threshold: number): Uint16Array {
  const probes = PROBES_BY_RADIUS[Math.floor(threshold / WORDS)];
  if (!probes) throw new RangeError(`the multi-index answers thresholds up to ${MULTI_INDEX_MAX_THRESHOLD}`);
  return probes;
}

function wordOf(packed: Uint32Array, at: number, w: number): number {
  return (packed[at + (w >> 1)]! >>> ((w & 1) * 16)) & 0xffff;
}
