/** The Chromium implementation of BrowserUnderTest: Debian's chromium, headless, driven by playwright-core. */
import { chromium, type Browser, type Page, type Request } from "playwright-core";
import type { BrowserUnderTest, PageOptions, RecordedRequest, TestPage } from "./browser-under-test.js";
import { ensureBrowser } from "./ensure-browser.js";

/** Quiet and offline apart from what a test loads: no sync, update or telemetry traffic in the network log. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `initScript` runs in every page before the page's own scripts (as a privacy extension or Brave's shields do). */
export async function launchChromium(initScript?: string): Promise<BrowserUnderTest> {
  const executablePath = ensureBrowser({ executable: "/usr/bin/chromium", aptPackage: "chromium" });
  // playwright-core starts every launch with a fresh, temporary --user-data-dir of its own and removes it on close.
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return {
    description: `Chromium ${browser.version()}`,
    newPage: (options) => openPage(browser, options, initScript),
    close: () => browser.close(),
  };
}

async function openPage(browser: Browser, options: PageOptions = {}, initScript?: string): Promise<TestPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1024, height: 800 } });
  if (initScript !== undefined) await context.addInitScript({ content: initScript });
  const page: Page = await context.newPage();
  const requests: RecordedRequest[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  const record = (request: Request) =>
    requests.push({ method: request.method(), url: request.url(), bodyBytes: request.postDataBuffer()?.length ?? 0 });
  // Context-level events also see requests made by the page's dedicated workers.
  context.on("request", record);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("worker", (worker) => worker.on("console", (message) => {
    if (message.type() === "error") errors.push(`worker: ${message.text()}`);
  }));
  return {
    async goto(url) {
      await page.goto(url, { waitUntil: "load" });
    },
    // Our args are plain JSON, for which Playwright's Unboxed<Arg> is Arg itself.
    evaluate: <Arg, Result>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) =>
      page.evaluate(fn as (arg: unknown) => Result | Promise<Result>, arg),
    async runScript(source) {
      await page.evaluate(source);
    },
    press: (key) => page.keyboard.press(key),
    async setInputFiles(hostSelector, inputSelector, paths) {
      // Playwright's CSS engine pierces open shadow roots.
      await page.locator(`${hostSelector} ${inputSelector}`).setInputFiles(paths);
    },
    requests,
    dialogs,
    errors,
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    close: () => context.close(),
  };
}
