/**
 * Entry point of the `ncii-hash` executable: bin/ncii-hash.cjs loads its bundled copy (scripts/bundle-node.mjs),
 * which is CommonJS, hence no top-level await here.
 */
// A reader that goes away early (`ncii-hash photos | head`) closes the pipe; stop quietly instead of crashing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(1);
});

void run(process.argv.slice(2));

async function run(argv: string[]): Promise<void> {
  const [{ main }, { processIo }] = await Promise.all([import("./main.js"), import("./io.js")]);
  process.exitCode = await main(argv, processIo());
}
