/**
 * Proof by use: the package is packed, installed from its tarball into a new project, and used the three ways
 * partners use it: the CLI through npx, the component imported into a Vite app, and the prebuilt bundle loaded
 * by a plain HTML page from another origin with its published integrity hash.
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { build, createServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashMismatches } from "../browser/suites/hashing.js";
import type { BrowserUnderTest, TestPage } from "../browser/support/browser-under-test.js";
import { launchChromium } from "../browser/support/chromium.js";
import { indexResults, pickFiles, readResults, recordEvents, waitForBatches } from "../browser/support/component-page.js";
import { STRICT_CSP, crossOriginCsp } from "../../scripts/csp.js";
import { CORPUS_DIR, corpusExpectations } from "../browser/support/fixtures.js";
import { startStaticServer, type StaticServer } from "../browser/support/static-server.js";
import { REPO_DIR, installPackedPackage, readJson, runIn, type ScratchProject } from "./scratch-project.js";

const SETUP_TIMEOUT_MS = 600_000;
const TEST_TIMEOUT_MS = 180_000;

// One lossless picture (compared bit for bit) and one JPEG (within the decoder tolerance of the browser suites).
const expected = corpusExpectations().filter((want) => /^mpl-grace_hopper\.png$|^opencv-board\.q90\.jpg$/.test(want.file));
const paths = expected.map((want) => join(CORPUS_DIR, want.file));

/** Every entry a partner may import, and a use of each that only type-checks if its declarations are complete. */
const TYPE_CHECK_SOURCE = `
import { hashFile, createNodePool, HashIndex, parseHashList, findDuplicateGroups, md5File, formatSignal, imagePdqSignal, type ImageHash } from "ncii-hasher";
import { loadEngine, md5Blob, type PdqEngine } from "ncii-hasher/browser";
import { createNodePool as createPool } from "ncii-hasher/pool/node";
import { createBrowserPool } from "ncii-hasher/pool/browser";
import { NciiHasher, type NciiResult } from "ncii-hasher/web";

export async function uses(element: NciiHasher): Promise<unknown[]> {
  const hash: ImageHash = await hashFile("photo.jpg", { resize: "full" });
  const engine: PdqEngine = await loadEngine("wasm");
  const results: NciiResult[] = element.results;
  const tag: NciiHasher = document.createElement("ncii-hasher");
  const index: HashIndex = await HashIndex.create([{ id: "a", hash: hash.pdq }], { scanner: "js" });
  return [hash.pdq, engine, results, tag.hashes(), element.dihedral, createNodePool, createPool, createBrowserPool,
    parseHashList, findDuplicateGroups, md5File, md5Blob, formatSignal(imagePdqSignal(hash), "jsonl"), index];
}
`;

function partnerPage(bundleOrigin: string, integrity: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Partner site</title>
    <script type="module" src="${bundleOrigin}/ncii-hasher.js" integrity="${integrity}" crossorigin="anonymous"></script>
  </head>
  <body><ncii-hasher></ncii-hasher></body>
</html>
`;
}

const VITE_APP_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Partner app</title><script type="module" src="./main.js"></script></head>
  <body><ncii-hasher></ncii-hasher></body>
</html>
`;

/** Static imports of Node built-ins in the module graph under `entries` (relative imports followed). */
async function nodeImportsReachableFrom(entries: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const found: string[] = [];
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, "utf8");
    for (const [, specifier] of source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']/g)) {
      if (specifier!.startsWith("node:")) found.push(`${file}: ${specifier}`);
      else if (specifier!.startsWith(".")) pending.push(join(dirname(file), specifier!));
    }
  }
  return found;
}

async function hashInPage(browser: BrowserUnderTest, url: string): Promise<{ problems: string[]; errors: readonly string[] }> {
  const page: TestPage = await browser.newPage();
  try {
    await page.goto(url);
    await recordEvents(page);
    await pickFiles(page, paths);
    await waitForBatches(page, 1);
    return { problems: hashMismatches(expected, indexResults(await readResults(page))), errors: [...page.errors] };
  } finally {
    await page.close();
  }
}

describe("the packed package, installed from its tarball into a new project", () => {
  let project: ScratchProject | undefined;
  let browser: BrowserUnderTest | undefined;
  const servers: StaticServer[] = [];

  beforeAll(async () => {
    project = await installPackedPackage();
    browser = await launchChromium();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await browser?.close();
    await project?.remove();
  });

  function installed(): ScratchProject {
    if (!project) throw new Error("the package was not installed (see the beforeAll error)");
    return project;
  }
  function chromium(): BrowserUnderTest {
    if (!browser) throw new Error("Chromium did not start (see the beforeAll error)");
    return browser;
  }

  it("runs `npx ncii-hash` and prints the reference fingerprint", async () => {
    const want = expected.find((entry) => !entry.lossy)!;
    const { stdout } = await runIn(installed().dir, "npx", ["--no-install", "ncii-hash", join(CORPUS_DIR, want.file)]);
    const line = JSON.parse(stdout.trim()) as { pdq: string; quality: number };
    expect({ pdq: line.pdq, quality: line.quality }).toEqual({ pdq: want.pdq, quality: want.quality });
  }, TEST_TIMEOUT_MS);

  it("runs the Node entry and the platform-neutral entry from the installed package", async () => {
    const want = expected.find((entry) => !entry.lossy)!;
    const script = `
      import { hashFile, HashIndex } from "ncii-hasher";
      import { loadEngine, PDQ_MATCH_THRESHOLD } from "ncii-hasher/browser";
      const { pdq } = await hashFile(${JSON.stringify(join(CORPUS_DIR, want.file))});
      const index = await HashIndex.create([{ id: "listed", hash: pdq }]);
      const engine = await loadEngine("wasm");
      console.log(JSON.stringify({ pdq, matches: index.query(pdq, { threshold: PDQ_MATCH_THRESHOLD }).length, engine: typeof engine.hash }));
    `;
    const { stdout } = await runIn(installed().dir, process.execPath, ["--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).toEqual({ pdq: want.pdq, matches: 1, engine: "function" });
  }, TEST_TIMEOUT_MS);

  it("keeps node:* out of every module a browser entry reaches", async () => {
    const { packageDir } = installed();
    const manifest = await readJson<{ exports: Record<string, { default?: string } | string> }>(join(packageDir, "package.json"));
    const browserEntries = ["./browser", "./web", "./pool/browser"].map((entry) => {
      const target = manifest.exports[entry];
      return join(packageDir, typeof target === "string" ? target : target!.default!);
    });
    // The prebuilt bundle, which pages load by URL rather than import.
    browserEntries.push(join(packageDir, "dist/ncii-hasher.js"));
    expect(await nodeImportsReachableFrom(browserEntries)).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("type-checks every entry point against the shipped declarations", async () => {
    const { dir } = installed();
    await writeFile(join(dir, "uses.ts"), TYPE_CHECK_SOURCE);
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          // The partner project brings its own @types/node; this one borrows ours.
          typeRoots: [join(REPO_DIR, "node_modules/@types")],
          types: ["node"],
        },
        files: ["uses.ts"],
      }),
    );
    const tsc = join(REPO_DIR, "node_modules/typescript/bin/tsc");
    await expect(runIn(dir, process.execPath, [tsc, "-p", "tsconfig.json"])).resolves.toBeDefined();
  }, TEST_TIMEOUT_MS);

  it("builds into a Vite app with no plugin or config, and hashes in Chromium under the strict CSP", async () => {
    const { dir } = installed();
    const app = join(dir, "vite-app");
    await mkdir(app);
    await writeFile(join(app, "index.html"), VITE_APP_HTML);
    await writeFile(join(app, "main.js"), 'import "ncii-hasher/web";\n');
    await build({ root: app, configFile: false, logLevel: "warn", build: { outDir: join(app, "dist") } });
    // The kernel and the decoders travelled through the worker's `new URL(..., import.meta.url)` into the app's own output.
    const wasm = (await readdir(join(app, "dist/assets"))).filter((name) => name.endsWith(".wasm"));
    expect(wasm.map((name) => name.split("-")[0]).sort()).toEqual(["heic", "jpeg", "pdq", "webp"]);

    const site = await startStaticServer({
      root: join(app, "dist"),
      pages: { "/favicon.ico": "" },
      headers: { "Content-Security-Policy": STRICT_CSP },
    });
    servers.push(site);
    const { problems, errors } = await hashInPage(chromium(), `${site.origin}/`);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("runs the same app on Vite's dev server, dependency pre-bundling and all", async () => {
    // Written by the build test above; the dev server serves the sources, not that build.
    const app = join(installed().dir, "vite-app");
    const server = await createServer({ root: app, configFile: false, logLevel: "warn", server: { port: 0, host: "127.0.0.1" } });
    try {
      await server.listen();
      const { problems, errors } = await hashInPage(chromium(), server.resolvedUrls!.local[0]!);
      expect(problems).toEqual([]);
      // The page's own favicon request is the only miss a bare app makes.
      expect(errors.filter((error) => !/404 \(Not Found\)/.test(error))).toEqual([]);
    } finally {
      await server.close();
    }
  }, TEST_TIMEOUT_MS);

  it("loads the prebuilt bundle from another origin, pinned by its published integrity hash", async () => {
    const shipped = join(installed().packageDir, "dist");
    const integrity = await readJson<Record<string, string>>(join(shipped, "ncii-hasher.sri.json"));
    expect(Object.keys(integrity).some((file) => file.endsWith(".wasm"))).toBe(true);

    const bundle = await startStaticServer({ root: shipped, headers: { "Access-Control-Allow-Origin": "*" } });
    servers.push(bundle);
    const partner = await startStaticServer({
      root: installed().dir,
      pages: { "/partner.html": partnerPage(bundle.origin, integrity["ncii-hasher.js"]!), "/favicon.ico": "" },
      headers: { "Content-Security-Policy": crossOriginCsp(bundle.origin) },
    });
    servers.push(partner);
    const { problems, errors } = await hashInPage(chromium(), `${partner.origin}/partner.html`);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    // Every file of the bundle the page fetched is one the SRI file vouches for.
    const fetched = bundle.requests.map((request) => request.path.slice(1));
    expect(fetched.filter((file) => !(file in integrity))).toEqual([]);
  }, TEST_TIMEOUT_MS);
});
