import { fileURLToPath } from "node:url";

/** The repository root. The benchmark runs compiled, from dist/bench/. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
