/**
 * `hashAll`'s streaming loop, independent of how tasks are run. The input is read lazily and never more than
 * `maxInFlight` tasks ahead of the results the consumer has taken, so a 10,000-file batch holds at most
 * `maxInFlight` files at once; results come out in completion order.
 */
import type { FailedOutcome, HashOutcome, HashTask, PoolProgress } from "../src/pool-contract.js";

/**
 * Runs one task. Should never reject, and must settle promptly as `cancelled` once `signal` aborts. A throw or a
 * rejection anyway (a malformed task, say) ends that task as `worker-failed`, so the batch still ends.
 */
export type SubmitTask<Task extends HashTask = HashTask, Outcome extends { ok: boolean } = HashOutcome> = (
  task: Task,
  signal: AbortSignal,
) => Promise<Outcome>;

export interface StreamOptions {
  /** Any of these aborting stops the batch (the caller's signal, the pool closing). */
  stopSignals: readonly AbortSignal[];
  onProgress?: (progress: PoolProgress) => void;
}

const STOPPED = Symbol("stopped");

export async function* streamResults<Task extends HashTask = HashTask, Outcome extends { ok: boolean } = HashOutcome>(
  tasks: Iterable<Task> | AsyncIterable<Task>,
  submit: SubmitTask<Task, Outcome>,
  maxInFlight: number,
  { stopSignals, onProgress }: StreamOptions,
): AsyncGenerator<(Outcome | FailedOutcome) & { index: number; name: string }, void, undefined> {
  // Fires on any of `stopSignals` and when the consumer stops iterating early: either way, work stops.
  const stop = new AbortController();
  const changes = createChangeSignal();
  // One signal per task rather than one shared by all: listeners on a single signal would grow with maxInFlight.
  const running = new Set<AbortController>();
  const abort = () => stop.abort();
  stop.signal.addEventListener(
    "abort",
    () => {
      for (const job of running) job.abort();
      changes.notify();
    },
    { once: true },
  );
  for (const signal of stopSignals) {
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  }

  const ready: ((Outcome | FailedOutcome) & { index: number; name: string })[] = [];
  let submitted = 0;
  let done = 0;
  let failed = 0;
  /** Results the consumer has come back from; only these make room for more tasks. */
  let consumed = 0;
  let inputComplete = false;
  let reading = true;
  let inputError: { error: unknown } | undefined;
  const report = () => onProgress?.({ done, failed, submitted, inputComplete });

  async function read(): Promise<void> {
    const input = openInput(tasks, stop.signal);
    try {
      while (!stop.signal.aborted) {
        if (submitted - consumed >= maxInFlight) {
          await changes.next();
          continue;
        }
        const next = await input.next();
        if (next === STOPPED) break;
        if (next.done) {
          inputComplete = true;
          report();
          return;
        }
        const task = next.value;
        const index = submitted++;
        const job = new AbortController();
        if (stop.signal.aborted) job.abort();
        else running.add(job);
        void settle(submit, task, job.signal).then((outcome) => {
          running.delete(job);
          ready.push({ ...outcome, index, name: nameOf(task) });
          changes.notify();
        });
        report();
      }
      input.close();
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
        done += 1;
        if (!result.ok) failed += 1;
        report();
        yield result;
        // Not before: the consumer may still be holding this result while it works on it.
        consumed += 1;
        changes.notify();
      } else if (!reading && done === submitted) {
        break;
      } else {
        await changes.next();
      }
    }
    // Every task taken before the input failed has had its result; now the caller learns why the batch ended.
    if (inputError) throw inputError.error;
  } finally {
    abort();
    for (const signal of stopSignals) signal.removeEventListener("abort", abort);
  }
}

/** `submit`'s outcome, or a failure when it throws or rejects instead. */
async function settle<Task, Outcome>(
  submit: (task: Task, signal: AbortSignal) => Promise<Outcome>,
  task: Task,
  signal: AbortSignal,
): Promise<Outcome | FailedOutcome> {
  try {
    return await submit(task, signal);
  } catch (error) {
    return { ok: false, error: { code: "worker-failed", message: `This task could not be run (${String(error)}).` } };
  }
}

/** A task's name; a malformed task (not an object with a name) still gets its result, under "". */
function nameOf(task: unknown): string {
  const name = (task as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" ? name : "";
}

interface TaskInput<Task> {
  /** The next task, or STOPPED when work stopped while waiting for it. */
  next(): Promise<IteratorResult<Task> | typeof STOPPED>;
  /** Lets the input release what it holds (directory handles, open streams) when reading stops early. */
  close(): void;
}

function openInput<Task>(tasks: Iterable<Task> | AsyncIterable<Task>, signal: AbortSignal): TaskInput<Task> {
  if (Symbol.asyncIterator in tasks) {
    const iterator = tasks[Symbol.asyncIterator]();
    return {
      // A pull still pending when work stops is abandoned: an input that waits for more files must not hold up
      // cancellation. Whatever it produces afterwards was never taken, so it owes no result.
      next: () => unlessStopped(iterator.next(), signal),
      close: () => void Promise.resolve().then(() => iterator.return?.()).catch(() => {}),
    };
  }
  // A synchronous input is never raced: once it has produced a task, that task is taken and gets its result.
  const iterator = tasks[Symbol.iterator]();
  return { next: async () => iterator.next(), close: () => void iterator.return?.() };
}

/** `next()` resolves at the following `notify()`; every wait after that waits for a later one. */
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
  if (signal.aborted) return Promise.resolve(STOPPED);
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
