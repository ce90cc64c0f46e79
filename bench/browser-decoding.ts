/**
 * The browser path as a person runs it: the built demo page's `<ncii-hasher>` in Debian's Chromium (2 workers,
 * WASM decoding: libjpeg-turbo in WebAssembly, then the PDQ kernel) against the fastest thing a browser can do
 * with the same files, 2 workers running createImageBitmap + getImageData (decode and read-back only, no hash), in
 * the same browser, interleaved. Also the cost of one 12 MP photo with one worker, and the peak resident memory of
 * the browser's processes during each run. Writes bench/results/browser-decoding.{json,md}.
 *
 *   npm run bench:browser            (after npm run build; needs the 200-photo set, see bench/photo-set.ts)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { extname, join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { PROJECT_ROOT } from "./paths.js";
import { loadBenchPhotos, type Photo } from "./photo-set.js";

const DIST = join(PROJECT_ROOT, "dist");
const ROUNDS = 2;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };

/** The floor: files in, decoded and read back in `workers` workers, out as a count. No hashing. */
const FLOOR_PAGE = `<!doctype html><meta charset="utf-8"><input id="files" type="file" multiple><script>
const source = \`onmessage = async ({ data: file }) => {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  postMessage(data.length);
};\`;
window.runFloor = (workers) => new Promise((resolve) => {
  const files = [...document.querySelector("#files").files];
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const pool = Array.from({ length: workers }, () => new Worker(url));
  let next = 0, done = 0;
  const started = performance.now();
  for (const worker of pool) {
    const feed = () => { if (next < files.length) worker.postMessage(files[next++]); };
    worker.onmessage = () => { done++; if (done === files.length) { pool.forEach((w) => w.terminate()); resolve(performance.now() - started); } else feed(); };
    feed();
  }
});
</script>`;

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (path === "/floor.html") return void response.writeHead(200, { "Content-Type": TYPES[".html"] }).end(FLOOR_PAGE);
    const file = join(DIST, path === "/" ? "index.html" : path);
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return void response.writeHead(404).end();
    }
    response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" }).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Peak resident memory (MB) of the processes below `root`, sampled every 50 ms while `work` runs. */
async function withPeakMemory<T>(root: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(root))), 50);
  try {
    const result = await work();
    return { result, peakMb: Math.round(peak / 1024) };
  } finally {
    clearInterval(timer);
  }
}

function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), entry]);
      rss.set(entry, Number(fields[21]) * 4);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

function readdirProc(): number[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
}

async function componentRun(browser: Browser, origin: string, photos: Photo[], workers: number): Promise<number> {
  const page: Page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    await page.evaluate((count) => {
      const hasher = document.querySelector("ncii-hasher") as HTMLElement & { workers: number };
      hasher.workers = count;
      Object.assign(window, { benchDone: 0 });
      hasher.addEventListener("ncii-done", () => Object.assign(window, { benchDone: performance.now() }));
    }, workers);
    const started = await page.evaluate(() => performance.now());
    await page.locator("ncii-hasher #pick-files").setInputFiles(photos.map((photo) => photo.path));
    await page.waitForFunction(() => (window as unknown as { benchDone: number }).benchDone > 0, null, { timeout: 0, polling: 100 });
    const results = await page.evaluate(() => (document.querySelector("ncii-hasher") as unknown as { results: { error?: unknown }[] }).results);
    if (results.length !== photos.length || results.some((result) => result.error)) throw new Error("the component did not hash every photo");
    return (await page.evaluate(() => (window as unknown as { benchDone: number }).benchDone)) - started;
  } finally {
    await page.close();
  }
}

async function floorRun(browser: Browser, origin: string, photos: Photo[], workers: number): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/floor.html`);
    await page.locator("#files").setInputFiles(photos.map((photo) => photo.path));
    return await page.evaluate((count) => (window as unknown as { runFloor(n: number): Promise<number> }).runFloor(count), workers);
  } finally {
    await page.close();
  }
}

interface Row {
  what: string;
  imagesPerSecond: number[];
  peakMb: number[];
}

async function main(): Promise<void> {
  const photos = loadBenchPhotos().photos;
  const twelve = photos.filter((photo) => photo.sizeClass === "12mp").slice(0, 5);
  const server = await serve();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const version = browser.version();
  const load = [loadavg()[0]!];
  const rows: Record<string, Row> = {
    component: { what: "<ncii-hasher>, WASM decoding + PDQ, 2 workers", imagesPerSecond: [], peakMb: [] },
    floor: { what: "createImageBitmap + getImageData only, 2 workers", imagesPerSecond: [], peakMb: [] },
  };
  const msPerPhoto: Record<string, number[]> = { component: [], floor: [] };
  try {
    // Warm-up (compiles, caches) on the 12 MP files, untimed beyond the per-photo cost rows.
    await componentRun(browser, origin, twelve.slice(0, 1), 1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [key, run] of [["component", componentRun], ["floor", floorRun]] as const) {
        const { result: ms, peakMb } = await withPeakMemory(process.pid, () => run(browser, origin, photos, 2));
        rows[key]!.imagesPerSecond.push(Math.round((photos.length / ms) * 10000) / 10);
        rows[key]!.peakMb.push(peakMb);
        msPerPhoto[key]!.push(Math.round((await run(browser, origin, twelve, 1)) / twelve.length));
        console.error(`round ${round + 1} ${key}: ${rows[key]!.imagesPerSecond.at(-1)} images/s, peak ${peakMb} MB, ${msPerPhoto[key]!.at(-1)} ms per 12 MP photo`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  load.push(loadavg()[0]!);
  const best = (values: number[]) => Math.max(...values);
  const ratio = Math.round((best(rows.component!.imagesPerSecond) / best(rows.floor!.imagesPerSecond)) * 100) / 100;
  const results = { date: new Date().toISOString(), chromium: version, loadAverage: load, photos: photos.length, rows, msPer12MpPhoto: msPerPhoto, ratio };
  writeFileSync(join(PROJECT_ROOT, "bench/results/browser-decoding.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `# Browser decoding (Chromium ${version}, ${photos.length} photos, load average ${load.map((v) => v.toFixed(1)).join(" -> ")})`,
    "",
    "| run | images/s (each round) | peak RSS of the browser, MB | one 12 MP photo, 1 worker, ms |",
    "|---|---|---|---|",
    ...(["component", "floor"] as const).map((key) => `| ${rows[key]!.what} | ${rows[key]!.imagesPerSecond.join(", ")} | ${rows[key]!.peakMb.join(", ")} | ${msPerPhoto[key]!.join(", ")} |`),
    "",
    `Best component / best floor: ${ratio}x. Rounds run interleaved in one browser.`,
    "",
  ].join("\n");
  writeFileSync(join(PROJECT_ROOT, "bench/results/browser-decoding.md"), md);
  console.log(md);
}

await main();
