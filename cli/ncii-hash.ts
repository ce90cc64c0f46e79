/** Entry point of the `ncii-hash` executable (bin/ncii-hash.js loads the compiled copy). */
import { processIo } from "./io.js";
import { main } from "./main.js";

// A reader that goes away early (`ncii-hash photos | head`) closes the pipe; stop quietly instead of crashing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(1);
});

process.exitCode = await main(process.argv.slice(2), processIo());
