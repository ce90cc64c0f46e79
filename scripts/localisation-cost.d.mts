/** Types of scripts/localisation-cost.mjs, for its test. */
export interface BundleSize {
  raw: number;
  gzip: number;
}
export function localisationCost(): Promise<{ asBuilt: BundleSize; englishOnly: BundleSize; before: BundleSize }>;
