/**
 * The Firefox implementation of BrowserUnderTest: Debian's firefox-esr, headless, driven by puppeteer-core over
 * WebDriver BiDi (playwright-core can only drive its own patched Firefox builds).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, type Dirent } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import puppeteer, { type Browser, type ElementHandle, type HTTPRequest, type KeyInput, type Page } from "puppeteer-core";
import type { BrowserUnderTest, PageOptions, RecordedRequest, TestPage } from "./browser-under-test.js";
import { ensureBrowser } from "./ensure-browser.js";

/**
 * Quiet and offline apart from what a test loads (puppeteer's own automation preferences already turn off
 * updates, telemetry and most background services; these close the rest).
 */
const FIREFOX_PREFS: Record<string, unknown> = {
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "browser.safebrowsing.update.enabled": false,
  "services.settings.server": "data:,",
};

/** `prefs` are set on top of the quiet defaults, e.g. the privacy settings of hardened Firefox builds. */
export async function launchFirefox(prefs: Record<string, unknown> = {}): Promise<BrowserUnderTest> {
  const executablePath = ensureBrowser({ executable: "/usr/bin/firefox-esr", aptPackage: "firefox-esr" });
  // A fresh profile per launch: nothing carried over between runs, nothing left behind.
  const profile = mkdtempSync(join(tmpdir(), "ncii-firefox-profile-"));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath,
      protocol: "webDriverBiDi",
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...prefs },
      defaultViewport: null,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const version = await browser.version();
  return {
    description: `Firefox ${version.replace(/^firefox\//i, "")}`,
    newPage: (options) => openPage(browser, options),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function openPage(browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  const context = await browser.createBrowserContext();
  const page: Page = await context.newPage();
  await page.setViewport(options.viewport ?? { width: 1024, height: 800 });
  const requests: RecordedRequest[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  // BiDi's network events for a browsing context include the requests its dedicated workers make.
  page.on("request", (request: HTTPRequest) => {
    requests.push({ method: request.method(), url: request.url(), bodyBytes: postDataBytes(request) });
  });
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => errors.push(error instanceof Error ? error.message : String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return {
    async goto(url) {
      await page.goto(url, { waitUntil: "load" });
    },
    evaluate: <Arg, Result>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) =>
      page.evaluate(fn as (arg: unknown) => Result | Promise<Result>, arg) as Promise<Result>,
    async runScript(source) {
      await page.evaluate(source);
    },
    press: (key) => page.keyboard.press(key as KeyInput),
    async setInputFiles(hostSelector, inputSelector, paths) {
      const folders = paths.filter((path) => statSync(path).isDirectory());
      if (folders.length === 0) {
        await uploadTo(page, hostSelector, inputSelector, paths);
        return;
      }
      // Firefox's input.setFiles refuses folders (NS_ERROR_FILE_IS_DIRECTORY), so a folder pick is done as Firefox
      // itself reports one: every file below the folder, each with its `webkitRelativePath` ("folder/sub/file").
      const files = paths.flatMap((path) => (statSync(path).isDirectory() ? filesBelow(path) : [{ path, relativePath: "" }]));
      await page.evaluate(() => {
        const staging = Object.assign(document.createElement("input"), { type: "file", multiple: true, hidden: true });
        staging.id = "firefox-folder-staging";
        document.body.append(staging);
      });
      await uploadTo(page, "body", "#firefox-folder-staging", files.map((file) => file.path));
      const handedOver = await page.evaluate(
        (host, selector, relativePaths) => {
          const staging = document.querySelector<HTMLInputElement>("#firefox-folder-staging")!;
          const element = document.querySelector(host);
          const target = (element?.shadowRoot ?? element)?.querySelector<HTMLInputElement>(selector);
          const picked = staging.files!;
          Array.from(picked).forEach((file, i) => Object.defineProperty(file, "webkitRelativePath", { value: relativePaths[i] }));
          if (!target) return -1;
          // Assigning a FileList copies its File objects (losing the paths above), so the input shows this very
          // list for the duration of the change event, which the component reads synchronously.
          Object.defineProperty(target, "files", { configurable: true, get: () => picked });
          try {
            target.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
            target.dispatchEvent(new Event("change", { bubbles: true }));
          } finally {
            delete (target as { files?: FileList }).files;
            staging.remove();
          }
          return Array.from(picked).filter((file, i) => file.webkitRelativePath === relativePaths[i]).length;
        },
        hostSelector,
        inputSelector,
        files.map((file) => file.relativePath),
      );
      if (handedOver !== files.length) {
        throw new Error(`folder pick on ${inputSelector}: ${handedOver} of ${files.length} files kept their folder paths`);
      }
    },
    requests,
    dialogs,
    errors,
    async screenshot(path) {
      await page.screenshot({ path: path as `${string}.png`, fullPage: true });
    },
    close: () => context.close(),
  };
}

async function uploadTo(page: Page, hostSelector: string, inputSelector: string, paths: string[]): Promise<void> {
  // The input sits in the host's open shadow root (the component's pickers) or in its light DOM.
  const handle = await page.evaluateHandle(
    (host, selector) => {
      const element = document.querySelector(host);
      return element?.shadowRoot?.querySelector(selector) ?? element?.querySelector(selector) ?? null;
    },
    hostSelector,
    inputSelector,
  );
  const input = handle.asElement() as ElementHandle<HTMLInputElement> | null;
  if (!input) {
    await handle.dispose();
    throw new Error(`no ${inputSelector} in ${hostSelector}`);
  }
  try {
    await input.uploadFile(...paths);
  } finally {
    await input.dispose();
  }
}

/** Every file below `folder`, with the path a folder pick gives it (starting with the folder's own name). */
function filesBelow(folder: string): { path: string; relativePath: string }[] {
  const name = basename(folder);
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, relativePath: [name, ...relative(folder, path).split(sep)].join("/") };
    });
}

function postDataBytes(request: HTTPRequest): number {
  if (!request.hasPostData()) return 0;
  const body = request.postData();
  // A body the protocol did not hand over still counts as one: such a request must never look empty.
  return body === undefined ? 1 : Buffer.byteLength(body);
}
