/**
 * Work done once per key and shared by every caller that asks while it runs or after it succeeded: a module
 * compiled, an engine loaded, an asset fetched. A failure is forgotten, so the next caller tries again instead of
 * inheriting a passing fault (a network blip, a worker short of memory) for good.
 */
export function sharedPromises<V>(): (key: string, make: () => Promise<V>) => Promise<V> {
  const started = new Map<string, Promise<V>>();
  return (key, make) => {
    let pending = started.get(key);
    if (!pending) {
      const made = make();
      made.catch(() => {
        if (started.get(key) === made) started.delete(key);
      });
      started.set(key, made);
      pending = made;
    }
    return pending;
  };
}
