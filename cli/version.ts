import { readFileSync } from "node:fs";

/** This package's version, from the package.json above this module (cli/ in the sources, dist/cli/ when built). */
export function packageVersion(): string {
  for (let url = new URL("./package.json", import.meta.url); ; url = new URL("../package.json", url)) {
    try {
      const manifest = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "ncii-hasher" && manifest.version) return manifest.version;
    } catch {
      // Not here; keep climbing.
    }
    if (new URL("../", url).pathname === new URL("./", url).pathname) return "unknown";
  }
}
