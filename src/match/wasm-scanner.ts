import { PACKED_BYTES, PACKED_WORDS } from "./packed-hashes.js";
import { MAX_QUERY_VARIANTS, queryVariantCount, type HashScanner, type ScanHit } from "./scanner.js";
import { instantiateHashIndexKernel, type HashIndexExports } from "./wasm-module.js";

/** Stored hashes per kernel call; bounds the result area, since each stored hash gives at most one hit. */
const CHUNK = 1 << 16;
const KERNEL_GROUP = 8;
const HIT_BYTES = 8;
const PAGE_BYTES = 65536;

/**
 * The WASM SIMD scan. Its instance holds the only copy of the hashes (32 bytes each, padded to a multiple of 8);
 * memory is sized once, so the views below stay valid.
 */
export class WasmHashScanner implements HashScanner {
  readonly kind = "wasm" as const;
  readonly count: number;
  readonly hashes: Uint32Array;
  /** `count` rounded up to the kernel's group of 8. */
  private readonly padded: number;
  private readonly queries: Uint32Array;
  private readonly hits: Uint32Array;
  private readonly queriesAt: number;
  private readonly hitsAt: number;
  private readonly hashesAt: number;

  private constructor(
    private readonly kernel: HashIndexExports,
    packed: Uint32Array,
  ) {
    this.count = packed.length / PACKED_WORDS;
    this.padded = Math.ceil(this.count / KERNEL_GROUP) * KERNEL_GROUP;
    this.queriesAt = kernel.heapStart();
    this.hitsAt = this.queriesAt + MAX_QUERY_VARIANTS * PACKED_BYTES;
    this.hashesAt = this.hitsAt + CHUNK * HIT_BYTES;
    const needed = this.hashesAt + this.padded * PACKED_BYTES;
    const memory = kernel.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
    this.queries = new Uint32Array(memory.buffer, this.queriesAt, MAX_QUERY_VARIANTS * PACKED_WORDS);
    this.hits = new Uint32Array(memory.buffer, this.hitsAt, CHUNK * 2);
    this.hashes = new Uint32Array(memory.buffer, this.hashesAt, this.count * PACKED_WORDS);
    this.hashes.set(packed);
  }

  /** Copies `packed` (8 words per hash) into a new kernel instance. */
  static async create(packed: Uint32Array): Promise<WasmHashScanner> {
    if (packed.length % PACKED_WORDS !== 0) throw new RangeError("packed hashes are 8 words each");
    return new WasmHashScanner(await instantiateHashIndexKernel(), packed);
  }

  scan(queries: Uint32Array, threshold: number): ScanHit[] {
    const variants = queryVariantCount(queries, threshold);
    this.queries.set(queries);
    const hits: ScanHit[] = [];
    for (let start = 0; start < this.count; start += CHUNK) {
      const end = Math.min(start + CHUNK, this.padded);
      const found = this.kernel.scan(
        this.hashesAt,
        this.count,
        start,
        end,
        this.queriesAt,
        variants,
        threshold,
        this.hitsAt,
      );
      for (let i = 0; i < found; i++) {
        const packed = this.hits[2 * i + 1]!;
        hits.push({ index: this.hits[2 * i]!, distance: packed & 0xffff, variant: packed >>> 16 });
      }
    }
    return hits;
  }
}
