/**
 * The environment-agnostic worker pool. Node and browsers differ only in the `WorkerFactory` they pass in; this
 * module owns concurrency, lazy start-up, transfers, timeouts, crash recovery, cancellation and shutdown, and, where
 * the environment offers it, hashing in its own thread while the first worker starts.
 */
import * as Comlink from "comlink";
import { cancelled, messageOf, type HashErrorInfo } from "../src/errors.js";
import { resolveHashOptions, type HashOptions } from "../src/options.js";
import type { AssetSource } from "../src/platform/integrity.js";
import { streamResults } from "./stream-results.js";
import type { DigestKind, DigestTask, HashOutcome, HashPool, HashSource, HashTask, Md5Outcome, PoolOptions, WorkerApi } from "../src/pool-contract.js";

/** A started worker as the pool sees it: where to send messages, and how to stop it. */
export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  terminate(): Promise<void> | void;
}

/**
 * Starts one worker. The factory calls `onFailure` when the worker dies or breaks (exit, uncaught error, out of
 * memory) with a short phrase for messages, e.g. "ran out of memory", or with the code `integrity-failed` and the
 * whole message when its script failed its integrity check. Calls after `terminate()` are ignored.
 */
export type WorkerFactory = (onFailure: (reason: string, code?: "integrity-failed") => void) => WorkerHandle;

/** The pool's own thread standing in for a worker while the workers start (`PoolEnvironment.thisThread`). */
export interface ThisThreadHasher {
  /**
   * Reads and hashes one file as a worker would, or resolves undefined, having read it, for a picture whose
   * decoding would run on this thread (a worker then takes it). Never rejects.
   */
  hash(source: HashSource, options: HashOptions): Promise<HashOutcome | undefined>;
}

export interface PoolEnvironment {
  createWorker: WorkerFactory;
  /**
   * Hashes files in the pool's own thread until the first worker has started, so a short run does not wait for a
   * worker's start-up. It takes one PDQ file at a time, under the same time limit; a file that runs out of time
   * here goes to a worker, and this thread takes no more, since what runs here cannot be stopped.
   */
  thisThread?: ThisThreadHasher;
  /** Workers when `PoolOptions.size` is not given: the cores this environment reports. */
  defaultSize: number;
  /**
   * Browsers: every worker starts when the first is needed, and all take their assets from this one source, so
   * the requests an asset host sees are the same for one picked file as for a thousand.
   */
  sharedAssets?: AssetSource;
}

export const DEFAULT_TASK_TIMEOUT_MS = 60_000;
/** Loading a worker's modules and WASM engine takes well under a second on a laptop, seconds on a slow phone. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;
/** An MD5 read that delivers no chunk (1 MiB) for this long is stuck: a hung network share, a dead disk. */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
/** A file whose worker crashes or hangs gets one more worker; a second failure is the file's, not bad luck. */
const MAX_ATTEMPTS = 2;

/** A failure has the same shape for either digest, so one job type carries both. */
type JobOutcome = HashOutcome | Md5Outcome;

interface Job {
  source: HashSource;
  digest: DigestKind;
  attempts: number;
  /** False once the file's only copy of its bytes went to a worker that then died. */
  retryable: boolean;
  worker?: PoolWorker;
  /** Running in the pool's own thread, whose result is still wanted. */
  here: boolean;
  /** The pool's own thread turned the file down, or ran out of time on it: only a worker takes it now. */
  workersOnly: boolean;
  settled: boolean;
  settle(outcome: JobOutcome): void;
}

interface PoolWorker {
  handle: WorkerHandle;
  api: Comlink.Remote<WorkerApi>;
  /** Set once the worker has loaded its modules and engine. */
  started: boolean;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
  /** Where an MD5 job's worker reports the bytes read so far; closed when the job ends. */
  progress?: MessagePort;
  retired: boolean;
}

/**
 * The pool's own thread as a worker: open until a worker has started, the pool closes or a file here runs out of
 * time.
 */
interface ThisThreadLane {
  hasher: ThisThreadHasher;
  open: boolean;
  /** What runs here, until its work ends (a cancelled or timed-out file's too). */
  job?: Job;
  /** The time limit of the file running here, cleared when the file ends or is cancelled. */
  timer?: ReturnType<typeof setTimeout>;
}

/** `startUp`: the worker never got to the file, so the file is not to blame. */
type Failure = { code: "worker-failed" | "integrity-failed"; reason: string; startUp?: boolean } | { code: "timeout"; stalled?: boolean };

export function createPool(environment: PoolEnvironment, options: PoolOptions = {}): HashPool {
  const size = positiveInteger("size", options.size ?? Math.max(1, environment.defaultSize));
  const maxInFlight = positiveInteger("maxInFlight", options.maxInFlight ?? 2 * size);
  const limits = {
    taskTimeoutMs: positiveNumber("taskTimeoutMs", options.taskTimeoutMs ?? DEFAULT_TASK_TIMEOUT_MS),
    startTimeoutMs: positiveNumber("startTimeoutMs", options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS),
    stallTimeoutMs: positiveNumber("stallTimeoutMs", options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS),
  };
  const hashOptions = resolveHashOptions(options.hashOptions);
  const sharedAssets = environment.sharedAssets && Comlink.proxy(environment.sharedAssets);

  const workers = new Set<PoolWorker>();
  const queue: Job[] = [];
  const thisThread: ThisThreadLane | undefined = environment.thisThread && {
    hasher: environment.thisThread,
    open: true,
  };
  let closed = false;
  /** Ends every running `hashAll` on close, so none goes on reading its input only to cancel each task. */
  const closing = new AbortController();
  let dispatchPending = false;

  function submit(source: HashSource, digest: "pdq", signal?: AbortSignal): Promise<HashOutcome>;
  function submit(source: HashSource, digest: "md5", signal?: AbortSignal): Promise<Md5Outcome>;
  function submit(source: HashSource, digest: DigestKind, signal?: AbortSignal): Promise<JobOutcome>;
  function submit(source: HashSource, digest: DigestKind, signal?: AbortSignal): Promise<JobOutcome> {
    return new Promise((resolve) => {
      if (closed) return resolve(cancelledOutcome(POOL_CLOSED));
      if (signal?.aborted) return resolve(cancelledOutcome());
      if (!isHashSource(source)) return resolve(failed("read-failed", "A task needs a path, a Blob or bytes to read."));
      const onAbort = () => cancel(job);
      const job: Job = {
        source,
        digest,
        attempts: 0,
        retryable: true,
        here: false,
        workersOnly: false,
        settled: false,
        settle(outcome) {
          if (job.settled) return;
          job.settled = true;
          signal?.removeEventListener("abort", onAbort);
          resolve(outcome);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(job);
      dispatchSoon();
    });
  }

  // Deferred to a microtask so that a burst of changes (one abort cancelling a whole batch) is handled before any
  // freed worker is handed a task that is about to be cancelled too.
  function dispatchSoon(): void {
    if (dispatchPending) return;
    dispatchPending = true;
    queueMicrotask(() => {
      dispatchPending = false;
      dispatch();
    });
  }

  function dispatch(): void {
    while (queue.length > 0) {
      let worker = idleWorker();
      const forHere = worker ? -1 : queue.findIndex(mayRunHere);
      if (forHere >= 0) {
        runHere(queue.splice(forHere, 1)[0]!);
        continue;
      }
      if (!worker && workers.size < size) {
        try {
          worker = startWorker();
        } catch (error) {
          queue.shift()!.settle(failed("worker-failed", `A worker could not be started (${String(error)}).`));
          continue;
        }
        if (environment.sharedAssets) startTheRest();
      }
      if (!worker) return;
      run(worker, queue.shift()!);
    }
  }

  function mayRunHere(job: Job): boolean {
    return thisThread !== undefined && thisThread.open && !thisThread.job && job.digest === "pdq" && !job.workersOnly;
  }

  function runHere(job: Job): void {
    const lane = thisThread!;
    lane.job = job;
    job.here = true;
    job.attempts += 1;
    lane.timer = setTimeout(() => {
      lane.open = false;
      job.here = false;
      job.workersOnly = true;
      if (job.attempts < MAX_ATTEMPTS) queue.unshift(job);
      else job.settle({ ok: false, error: describeFailure({ code: "timeout" }, job, limits) });
      dispatchSoon();
    }, limits.taskTimeoutMs);
    const turnedDown = (): void => {
      job.attempts -= 1;
      job.workersOnly = true;
      queue.unshift(job);
    };
    lane.hasher
      .hash(job.source, hashOptions)
      .catch(() => {
        // The hasher itself could not load here (its modules, say): the workers load their own.
        lane.open = false;
        return undefined;
      })
      .then((outcome) => {
        clearTimeout(lane.timer);
        lane.job = undefined;
        if (job.here) {
          job.here = false;
          if (outcome) job.settle(outcome);
          else turnedDown();
        }
        dispatchSoon();
      });
  }

  function idleWorker(): PoolWorker | undefined {
    for (const worker of workers) if (!worker.job) return worker;
    return undefined;
  }

  function startWorker(): PoolWorker {
    // Factories report failures from worker events, which never fire before `createWorker` returns.
    let worker: PoolWorker;
    const handle = environment.createWorker((reason, code) => void retire(worker, { code: code ?? "worker-failed", reason }));
    worker = { handle, api: Comlink.wrap<WorkerApi>(handle.endpoint), started: false, retired: false };
    workers.add(worker);
    return worker;
  }

  /** One that cannot start now is tried again when a file needs it, and that file reports the failure. */
  function startTheRest(): void {
    try {
      while (workers.size < size) startWorker();
    } catch {}
  }

  function run(worker: PoolWorker, job: Job): void {
    worker.job = job;
    job.worker = worker;
    job.attempts += 1;
    if (worker.started) return send(worker, job);
    // A cold worker loads its modules and engine first, which on a slow device can take seconds. That gets a budget
    // of its own, so the file's timeout only counts time spent on the file.
    arm(worker, { code: "worker-failed", reason: "did not start in time", startUp: true }, limits.startTimeoutMs);
    worker.api.ready(hashOptions.engine, sharedAssets).then(
      () => {
        if (thisThread) thisThread.open = false;
        if (worker.job !== job) return;
        worker.started = true;
        send(worker, job);
      },
      (error: unknown) => {
        if (worker.job !== job) return;
        void retire(worker, { code: "worker-failed", reason: `could not start (${messageOf(error)})`, startUp: true });
      },
    );
  }

  function send(worker: PoolWorker, job: Job): void {
    const message = messageFor(job.source);
    let reply: Promise<JobOutcome>;
    if (job.digest === "md5") {
      // MD5 reads the file once, front to back, with no input-dependent work: a 4 GB video on a slow disk is long,
      // not hung, so there is no limit on the whole. A read that stops making progress is what hangs.
      const stalled: Failure = { code: "timeout", stalled: true };
      const channel = new MessageChannel();
      worker.progress = channel.port1;
      channel.port1.onmessage = () => arm(worker, stalled, limits.stallTimeoutMs);
      arm(worker, stalled, limits.stallTimeoutMs);
      reply = worker.api.md5(message, Comlink.transfer(channel.port2, [channel.port2]));
    } else {
      arm(worker, { code: "timeout" }, limits.taskTimeoutMs);
      reply = worker.api.hash(message, hashOptions);
    }
    // Transferred bytes are gone from this thread (some buffers, like Node's pooled or external ones, are copied
    // instead and stay): a task whose only copy went to a worker that then died cannot be retried.
    if (job.source.kind === "bytes" && job.source.bytes.byteLength === 0) job.retryable = false;
    reply.then(
      (outcome) => {
        if (worker.job !== job) return;
        endJob(worker, job, outcome);
      },
      // Our worker API never rejects, so a rejection means the channel itself broke: treat it as a crash.
      (error: unknown) => {
        if (worker.job === job) void retire(worker, { code: "worker-failed", reason: `failed (${String(error)})` });
      },
    );
  }

  /** The job is over and its worker free for the next one. */
  function endJob(worker: PoolWorker, job: Job, outcome: JobOutcome): void {
    disarm(worker);
    worker.job = undefined;
    job.worker = undefined;
    job.settle(outcome);
    dispatchSoon();
  }

  function arm(worker: PoolWorker, failure: Failure, ms: number): void {
    clearTimeout(worker.timer);
    worker.timer = setTimeout(() => void retire(worker, failure), ms);
  }

  function disarm(worker: PoolWorker): void {
    clearTimeout(worker.timer);
    // An open port would keep Node's event loop alive (and the CLI from exiting).
    worker.progress?.close();
    worker.progress = undefined;
  }

  /** Stops a worker for good. Its job, if any, is retried on another worker or settled with the failure. */
  function retire(worker: PoolWorker, failure?: Failure): Promise<void> {
    if (worker.retired) return Promise.resolve();
    worker.retired = true;
    workers.delete(worker);
    disarm(worker);
    const stopped = Promise.resolve()
      .then(() => worker.handle.terminate())
      .catch(() => {});
    const job = worker.job;
    worker.job = undefined;
    if (job && failure) {
      job.worker = undefined;
      // Code that failed its integrity check fails the same way on every worker: it is never tried again.
      if (job.attempts < MAX_ATTEMPTS && job.retryable && failure.code !== "integrity-failed") queue.unshift(job);
      else job.settle({ ok: false, error: describeFailure(failure, job, limits) });
    }
    dispatchSoon();
    return stopped;
  }

  function cancel(job: Job, message?: string): void {
    if (job.settled) return;
    // A running task cannot be interrupted inside its worker; stopping the worker is what frees the core. One
    // running in this thread goes on to its end, and its result is dropped.
    if (job.worker) void retire(job.worker);
    else if (job.here) {
      job.here = false;
      clearTimeout(thisThread!.timer);
    }
    else queue.splice(queue.indexOf(job), 1); // not running and not settled means queued
    job.settle(cancelledOutcome(message));
  }

  return {
    async hash(task, { signal } = {}) {
      const outcome = await submit(task.source, "pdq", signal);
      return { ...outcome, index: 0, name: task.name };
    },
    async md5(task, { signal } = {}) {
      const outcome = await submit(task.source, "md5", signal);
      return { ...outcome, index: 0, name: task.name };
    },
    hashAll(tasks, { signal, onProgress } = {}) {
      const stopSignals = signal ? [signal, closing.signal] : [closing.signal];
      const submitTask = (task: HashTask, taskSignal: AbortSignal) => submit(task.source, "pdq", taskSignal);
      return streamResults(tasks, submitTask, maxInFlight, { stopSignals, onProgress });
    },
    digestAll(tasks, { signal, onProgress } = {}) {
      const stopSignals = signal ? [signal, closing.signal] : [closing.signal];
      const submitTask = (task: DigestTask, taskSignal: AbortSignal) => submit(task.source, task.digest, taskSignal);
      return streamResults(tasks, submitTask, maxInFlight, { stopSignals, onProgress });
    },
    async close() {
      closed = true;
      if (thisThread) {
        thisThread.open = false;
        if (thisThread.job) cancel(thisThread.job, POOL_CLOSED);
      }
      for (const job of [...queue]) cancel(job, POOL_CLOSED);
      const stopped = [...workers].map((worker) => {
        const job = worker.job;
        const terminated = retire(worker);
        job?.settle(cancelledOutcome(POOL_CLOSED));
        return terminated;
      });
      closing.abort();
      await Promise.all(stopped);
    },
  };
}

const POOL_CLOSED = "The hashing pool was closed before this file was fingerprinted.";

function cancelledOutcome(message = cancelled().message): HashOutcome {
  return failed("cancelled", message);
}

function failed(code: HashErrorInfo["code"], message: string): HashOutcome {
  return { ok: false, error: { code, message } };
}

function describeFailure(failure: Failure, job: Job, limits: { taskTimeoutMs: number; stallTimeoutMs: number }): HashErrorInfo {
  if (failure.code === "integrity-failed") return { code: failure.code, message: failure.reason };
  const tries = job.attempts > 1 ? `, on ${job.attempts} tries` : "";
  if (failure.code === "timeout") {
    const message = failure.stalled
      ? `Reading this file made no progress for ${limits.stallTimeoutMs / 1000} s${tries}, so it was stopped.`
      : `Fingerprinting this file took longer than ${limits.taskTimeoutMs / 1000} s${tries}, so it was stopped.`;
    return { code: "timeout", message };
  }
  if (failure.startUp) return { code: "worker-failed", message: `The worker for this file ${failure.reason}${tries}, so it was not fingerprinted.` };
  const lost = job.retryable ? "" : " Its bytes went with that worker, so it could not be tried again.";
  const what = `The worker fingerprinting this file ${failure.reason}${tries}`;
  return { code: "worker-failed", message: `${what}; the file may be damaged or too large.${lost}` };
}

/**
 * The message a worker receives. Bytes are transferred, not copied: the caller gives them up. A view into a
 * larger or shared buffer is copied first, since transferring its buffer would take memory that is not the file.
 */
function messageFor(source: HashSource): HashSource {
  if (source.kind !== "bytes") return source;
  const { bytes } = source;
  const ownsBuffer =
    bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const owned = ownsBuffer ? bytes : bytes.slice();
  return Comlink.transfer({ kind: "bytes", bytes: owned }, [owned.buffer]);
}

function isHashSource(source: unknown): source is HashSource {
  if (typeof source !== "object" || source === null) return false;
  const { kind, path, blob, bytes } = source as Record<string, unknown>;
  return (
    (kind === "path" && typeof path === "string") ||
    (kind === "blob" && typeof Blob !== "undefined" && blob instanceof Blob) ||
    (kind === "bytes" && bytes instanceof Uint8Array)
  );
}

function positiveNumber(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
