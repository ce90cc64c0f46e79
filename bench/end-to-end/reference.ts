/**
 * The answer key for the end-to-end runs, computed in this process on one thread with the library's own path
 * (read -> sharpDecoder -> engine), before any contender runs.
 */
import { readFile } from "node:fs/promises";
import { sharpDecoder } from "../../src/decode/node-sharp.js";
import type { PdqEngine } from "../../src/engine/index.js";
import { hashImageBytes } from "../../src/hash-image.js";
import { resolveHashOptions } from "../../src/options.js";
import type { ResizeMode } from "../../src/options.js";
import type { Reference } from "./checks.js";
import { digestValue, dimensionsValue } from "./specs.js";

export async function computeReference(
  files: readonly string[],
  resizeModes: ReadonlySet<ResizeMode>,
  engine: PdqEngine,
): Promise<Reference> {
  const digests = new Map<ResizeMode, Map<string, string>>([...resizeModes].map((mode) => [mode, new Map()]));
  const dimensions = new Map<string, string>();
  for (const file of files) {
    const bytes = await readFile(file);
    for (const resize of resizeModes) {
      const hash = await hashImageBytes(bytes, sharpDecoder, engine, resolveHashOptions({ resize, engine: engine.kind }));
      digests.get(resize)!.set(file, digestValue(hash));
      dimensions.set(file, dimensionsValue(hash));
    }
  }
  return { digests, dimensions };
}
