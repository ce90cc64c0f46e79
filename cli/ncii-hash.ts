/** Entry point of the `ncii-hash` executable (bin/ncii-hash.js loads the compiled copy). */
import { hashWorkerCount } from "./args.js";
import { processIo } from "./io.js";

// A reader that goes away early (`ncii-hash photos | head`) closes the pipe; stop quietly instead of crashing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(1);
});

const argv = process.argv.slice(2);
// The first worker thread starts before the rest of the command is loaded, so that its start-up, the longest step
// before the first file, runs beside this thread's. The others start as the pool needs them.
if (hashWorkerCount(argv) > 0) (await import("../workers/node-pool.js")).startNodeWorkerEarly();
const { main } = await import("./main.js");
process.exitCode = await main(argv, processIo());
