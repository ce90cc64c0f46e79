/** Small summaries of repeated measurements. Medians, because other processes share the 2 cores. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Rounded for people and for the JSON alike: 3 significant digits are all this machine's noise allows. */
export function round3(value: number): number {
  return Number(value.toPrecision(3));
}

/** Kept to 4 significant digits, so ratios computed from it are still good to 3. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("no measurements");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const round4 = (value: number) => Number(value.toPrecision(4));
  return { median: round4(median), min: round4(sorted[0]!), max: round4(sorted[sorted.length - 1]!), n: sorted.length };
}
