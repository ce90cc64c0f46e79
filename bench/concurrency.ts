/** Runs `task` over `items` with at most `parallelism` in flight, as a caller of a promise API would. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  parallelism: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, lane));
  return results;
}
