/**
 * A Vite plugin that fails the build when the browser bundle takes code from a package not on the allowlist.
 * Partners' security reviews read the list of third-party code that runs in their page; it must stay short and
 * stable, so adding a package to the bundle has to be a decision made here, not a side effect of an import.
 */
import type { Plugin } from "vite";

/** Lit (and the packages lit is made of) for the component; Comlink between page and workers. */
const ALLOWED = ["lit", "lit-html", "lit-element", "@lit/reactive-element", "comlink"];

/**
 * The workers also stream files through MD5 (hash-list signals for videos), which hash-wasm computes, and decode
 * HEIC with libheif-js's Emscripten glue (a chunk of its own, loaded only when a HEIC is picked).
 */
const ALLOWED_IN_WORKERS = [...ALLOWED, "hash-wasm", "libheif-js"];

function packageOf(moduleId: string): string | undefined {
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(moduleId);
  return match?.[1]?.replace("\\", "/");
}

export function allowedDependencies(where: "page" | "worker"): Plugin {
  const allowed = where === "page" ? ALLOWED : ALLOWED_IN_WORKERS;
  return {
    name: `ncii-allowed-dependencies-${where}`,
    apply: "build",
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;
        const packages = new Set(output.moduleIds.map(packageOf).filter((name) => name !== undefined));
        const refused = [...packages].filter((name) => !allowed.includes(name));
        if (refused.length > 0) {
          this.error(`${output.fileName} bundles ${refused.join(", ")}; the browser bundle may only contain ${allowed.join(", ")}`);
        }
        if (packages.size > 0) this.info(`${output.fileName}: third-party code from ${[...packages].sort().join(", ")}`);
      }
    },
  };
}
