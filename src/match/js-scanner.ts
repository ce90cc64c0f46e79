import { PACKED_WORDS } from "./packed-hashes.js";
import { nearestVariant } from "./packed-distance.js";
import { queryVariantCount, type HashScanner, type ScanHit } from "./scanner.js";

/** The TypeScript twin of the WASM scan: same answers, same order, no SIMD. */
export class JsHashScanner implements HashScanner {
  readonly kind = "js" as const;
  readonly count: number;

  constructor(readonly hashes: Uint32Array) {
    if (hashes.length % PACKED_WORDS !== 0) throw new RangeError("packed hashes are 8 words each");
    this.count = hashes.length / PACKED_WORDS;
  }

  scan(queries: Uint32Array, threshold: number): ScanHit[] {
    const variants = queryVariantCount(queries, threshold);
    const hits: ScanHit[] = [];
    for (let index = 0; index < this.count; index++) {
      const nearest = nearestVariant(this.hashes, index * PACKED_WORDS, queries, variants, threshold);
      if (nearest) hits.push({ index, ...nearest });
    }
    return hits;
  }
}
