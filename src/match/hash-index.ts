/**
 * A searchable PDQ hash list. Hashes are stored packed (32 bytes each: 1M hashes = 32 MB) inside the scanner;
 * a query is a hash, or with `dihedral` the 8 variants the engine computes for a picture (so a rotated or
 * mirrored copy of a listed picture still matches), answered by a linear scan (WASM SIMD or its TypeScript
 * twin) or, for large lists, by multi-index hashing when that touches far fewer hashes. Every path gives the
 * same matches.
 */
import { DIHEDRAL_NAMES } from "../engine/types.js";
import { textLines, type ByteSource } from "../formats/streams.js";
import { PDQ_MATCH_THRESHOLD } from "../hash/pdq-hash.js";
import { MAX_LIST_LINE_LENGTH, parseHashList, type HashListEntry, type HashListOptions } from "./hash-list.js";
import { JsHashScanner } from "./js-scanner.js";
import { MULTI_INDEX_MAX_THRESHOLD, MultiIndex } from "./multi-index.js";
import { PACKED_WORDS, PackedHashBuilder, packHexList, unpackHex } from "./packed-hashes.js";
import { type HashScanner, type ScanHit, type ScannerKind } from "./scanner.js";
import { WasmHashScanner } from "./wasm-scanner.js";

export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

/** A hash, or a digest from the engine (with its `dihedral` variants when it was computed with `dihedral: true`). */
export type PdqQuery = string | { pdq: string; dihedral?: readonly string[] };

/** `auto` picks, per query, whichever of the scan and the multi-index touches less. */
export type SearchStrategy = "auto" | "scan" | "multi-index";

export interface HashIndexOptions {
  /** The scan kernel; default `wasm`. */
  scanner?: ScannerKind;
  /**
   * Build the multi-index tables (64 bytes per hash on top of the 32 stored). Default: for lists of at least
   * 50,000 hashes, where it starts to pay off.
   */
  multiIndex?: boolean;
}

export interface QueryOptions {
  /** Largest distance reported; default 31 (PDQ_MATCH_THRESHOLD). */
  threshold?: number;
  /** Match any of the query's 8 dihedral variants, not only the hash itself. */
  dihedral?: boolean;
  strategy?: SearchStrategy;
}

export interface HashMatch {
  /** Position in the list (0-based). */
  index: number;
  id: string;
  /** The listed hash. */
  hash: string;
  /** Smallest distance from a query variant to the listed hash. */
  distance: number;
  /** The variant of the query at that distance (`orig` without dihedral matching). */
  variant: DihedralName;
}

const MULTI_INDEX_MIN_SIZE = 50_000;
/**
 * A multi-index candidate costs a random memory access, a scanned hash a few SIMD lanes: the multi-index is
 * used when it reaches at most this fraction of the comparisons a scan would make.
 */
const MULTI_INDEX_MAX_CANDIDATE_SHARE = 1 / 32;

export class HashIndex {
  private constructor(
    private readonly scanner: HashScanner,
    private readonly ids: string[],
    private readonly multiIndex: MultiIndex | undefined,
  ) {}

  /** Builds an index from list entries (from `parseHashList`, or made by hand). */
  static async create(
    entries: Iterable<HashListEntry> | AsyncIterable<HashListEntry>,
    options: HashIndexOptions = {},
  ): Promise<HashIndex> {
    const builder = new PackedHashBuilder();
    const ids: string[] = [];
    for await (const entry of entries) {
      builder.add(entry.hash);
      ids.push(entry.id);
    }
    const packed = builder.finish();
    const scanner = (options.scanner ?? "wasm") === "wasm" ? await WasmHashScanner.create(packed) : new JsHashScanner(packed);
    const useMultiIndex = options.multiIndex ?? ids.length >= MULTI_INDEX_MIN_SIZE;
    return new HashIndex(scanner, ids, useMultiIndex ? new MultiIndex(scanner.hashes) : undefined);
  }

  /** Reads a hash list (lines, CSV, TSV or JSONL; see hash-list.ts) from a file stream, Blob stream or chunks. */
  static async fromBytes(source: ByteSource, options: HashIndexOptions & HashListOptions = {}): Promise<HashIndex> {
    return HashIndex.create(parseHashList(textLines(source, { maxLineLength: MAX_LIST_LINE_LENGTH }), options), options);
  }

  get size(): number {
    return this.ids.length;
  }

  get scannerKind(): ScannerKind {
    return this.scanner.kind;
  }

  entry(index: number): HashListEntry {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`no entry ${index}`);
    return { id: this.ids[index]!, hash: unpackHex(this.scanner.hashes, index) };
  }

  /** Listed hashes within the threshold, nearest first (ties in list order). */
  query(query: PdqQuery, options: QueryOptions = {}): HashMatch[] {
    return this.positions(query, options).map(({ index, distance, variant }) => ({
      index,
      id: this.ids[index]!,
      hash: unpackHex(this.scanner.hashes, index),
      distance,
      variant,
    }));
  }

  /** `query` without the ids and hashes: for callers that need only positions (grouping a set with itself). */
  positions(query: PdqQuery, options: QueryOptions = {}): Pick<HashMatch, "index" | "distance" | "variant">[] {
    const threshold = options.threshold ?? PDQ_MATCH_THRESHOLD;
    const dihedral = options.dihedral ?? false;
    const queries = packHexList(queryVariants(query, dihedral));
    const hits = this.search(queries, threshold, options.strategy ?? "auto");
    hits.sort((a, b) => a.distance - b.distance || a.index - b.index);
    return hits.map(({ index, distance, variant }) => ({ index, distance, variant: DIHEDRAL_NAMES[variant]! }));
  }

  private search(queries: Uint32Array, threshold: number, strategy: SearchStrategy): ScanHit[] {
    if (strategy === "scan") return this.scanner.scan(queries, threshold);
    const multiIndex = this.multiIndex;
    if (strategy === "multi-index") {
      if (!multiIndex) throw new Error("this index was built without multi-index tables (options.multiIndex)");
      return multiIndex.search(queries, threshold);
    }
    const comparisons = this.size * (queries.length / PACKED_WORDS);
    const worthIt =
      multiIndex !== undefined &&
      threshold <= MULTI_INDEX_MAX_THRESHOLD &&
      multiIndex.candidateCount(queries, threshold) <= comparisons * MULTI_INDEX_MAX_CANDIDATE_SHARE;
    return worthIt ? multiIndex.search(queries, threshold) : this.scanner.scan(queries, threshold);
  }
}

function queryVariants(query: PdqQuery, dihedral: boolean): readonly string[] {
  if (typeof query === "string") {
    if (dihedral) {
      throw new TypeError(
        "dihedral matching needs the query's 8 variants, which only the picture gives: hash it with dihedral: true",
      );
    }
    return [query];
  }
  if (!dihedral) return [query.pdq];
  if (query.dihedral?.length !== DIHEDRAL_NAMES.length) {
    throw new TypeError(`dihedral matching needs the query's ${DIHEDRAL_NAMES.length} variants (hash with dihedral: true)`);
  }
  return query.dihedral;
}
