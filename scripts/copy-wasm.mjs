// tsc emits only JavaScript; the compiled kernels (src/**/wasm/*.wasm) must sit next to the modules that load
// them with `new URL("./wasm/...", import.meta.url)`, in dist/ exactly as in src/.
import { cpSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function copyWasm(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyWasm(path);
    else if (name.endsWith(".wasm")) cpSync(path, join("dist", relative(".", path)));
  }
}
copyWasm("src");
