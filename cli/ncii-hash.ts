/**
 * Entry point of the `ncii-hash` executable: bin/ncii-hash.cjs loads its bundled copy (scripts/bundle-node.mjs),
 * which is CommonJS, hence no top-level await here.
 */
import { startNodeWorkerEarly, stopEarlyWorkers } from "../workers/early-worker.js";

// A worker thread's start-up is the longest step before the first file, so the first one starts before anything
// else loads, even the argument parser; a command that hashes in this thread, or not at all, stops it again.
startNodeWorkerEarly();

// A reader that goes away early (`ncii-hash photos | head`) closes the pipe; stop quietly instead of crashing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(1);
});

void run(process.argv.slice(2));

async function run(argv: string[]): Promise<void> {
  const { hashWorkerCount } = await import("./args.js");
  if (hashWorkerCount(argv) === 0) void stopEarlyWorkers();
  const [{ main }, { processIo }] = await Promise.all([import("./main.js"), import("./io.js")]);
  process.exitCode = await main(argv, processIo());
}
