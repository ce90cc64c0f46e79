/**
 * `node dist/bench/decode-only.js PARALLELISM FILE...`: the decode-only floor as a process of its own, started
 * cold like the CLI it is compared with (cli-bench.ts): sharp's full decode of every file, PARALLELISM at a time,
 * then one line per file with the decoded size, in the order given.
 */
import { createRunner } from "./end-to-end/runners.js";

const [parallelism, ...files] = process.argv.slice(2);
const runner = await createRunner({ kind: "sharp-decode", parallelism: Number(parallelism), scale: "full" });
try {
  const values = await runner.run(files);
  process.stdout.write(values.map((value) => (value.ok ? value.value : `error: ${value.error}`)).join("\n") + "\n");
} finally {
  await runner.close();
}
