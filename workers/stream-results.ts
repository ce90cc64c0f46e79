/**
 * `hashAll`'s streaming loop, independent of how tasks are run. The input is read lazily and never more than
 * `maxInFlight` tasks ahead of the results the consumer has taken, so a 10,000-file batch holds at most
 * `maxInFlight` files at once; results come out in completion order.
 */
import type { HashOutcome, HashTask, PoolResult, RunOptions } from "./types.js";

/** Runs one task. Must never reject, and must settle promptly as `cancelled` once `signal` aborts. */
export type SubmitTask = (task: HashTask, signal: AbortSignal) => Promise<HashOutcome>;

const STOPPED = Symbol("stopped");

export async function* streamResults(
  tasks: Iterable<HashTask> | AsyncIterable<HashTask>,
  submit: SubmitTask,
  maxInFlight: number,
  { signal, onProgress }: RunOptions = {},
): AsyncGenerator<PoolResult, void, undefined> {
  // Fires on the caller's abort and also when the consumer stops iterating early: either way, work stops.
  const stop = new AbortController();
  const changes = createChangeSignal();
  const abort = () => stop.abort();
  stop.signal.addEventListener("abort", changes.notify, { once: true });
  if (signal?.aborted) abort();
  else signal?.addEventListener("abort", abort, { once: true });

  const ready: PoolResult[] = [];
  let submitted = 0;
  let delivered = 0;
  let failed = 0;
  let inputComplete = false;
  let reading = true;
  let inputError: { error: unknown } | undefined;
  const report = () => onProgress?.({ done: delivered, failed, submitted, inputComplete });

  async function read(): Promise<void> {
    const input = Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : fromSync(tasks);
    try {
      while (!stop.signal.aborted) {
        if (submitted - delivered >= maxInFlight) {
          await changes.next();
          continue;
        }
        // A pull still pending when work stops is abandoned: that task was never taken, so it owes no result.
        const next = await unlessStopped(input.next(), stop.signal);
        if (next === STOPPED) break;
        if (next.done) {
          inputComplete = true;
          report();
          return;
        }
        const task = next.value;
        const index = submitted++;
        void submit(task, stop.signal).then((outcome) => {
          ready.push({ ...outcome, index, name: task.name });
          changes.notify();
        });
        report();
      }
      // Lets a generator input release what it holds (directory handles, open streams).
      void Promise.resolve()
        .then(() => input.return?.())
        .catch(() => {});
    } catch (error) {
      inputError = { error };
    } finally {
      reading = false;
      changes.notify();
    }
  }

  void read();
  try {
    for (;;) {
      const result = ready.shift();
      if (result) {
        delivered += 1;
        if (!result.ok) failed += 1;
        changes.notify();
        report();
        yield result;
      } else if (!reading && delivered === submitted) {
        break;
      } else {
        await changes.next();
      }
    }
    // Every task taken before the input failed has had its result; now the caller learns why the batch ended.
    if (inputError) throw inputError.error;
  } finally {
    abort();
    signal?.removeEventListener("abort", abort);
  }
}

async function* fromSync(tasks: Iterable<HashTask>): AsyncGenerator<HashTask, void, undefined> {
  yield* tasks;
}

/** A promise that resolves at the next `notify()`; each waiter gets a fresh one. */
function createChangeSignal(): { next(): Promise<void>; notify(): void } {
  let release!: () => void;
  let pending = new Promise<void>((resolve) => (release = resolve));
  return {
    next: () => pending,
    notify() {
      release();
      pending = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

/** `promise`, or STOPPED as soon as `signal` aborts; unlike racing a long-lived promise, nothing piles up. */
function unlessStopped<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof STOPPED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(STOPPED);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
