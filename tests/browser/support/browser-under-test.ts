/**
 * What the test bodies need from a browser, independent of the driver. Chromium runs under playwright-core;
 * a second engine (Firefox ESR over WebDriver BiDi with puppeteer-core) implements the same interface, so every
 * suite in tests/browser/suites/ runs unchanged against either.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  /** Bytes of request body, 0 when there is none. */
  bodyBytes: number;
}

export interface PageOptions {
  viewport?: { width: number; height: number };
}

export interface TestPage {
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page (never subject to the page's CSP) and returns its JSON-serialisable result. */
  evaluate<Arg, Result>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg): Promise<Result>;
  /** Runs a classic script's source in the page (for test tools such as axe-core; not subject to the CSP). */
  runScript(source: string): Promise<void>;
  /** Presses a key as a keyboard does, e.g. "Tab", "Enter". */
  press(key: string): Promise<void>;
  /** Sets files on an `<input type="file">` found by a CSS selector, descending into open shadow roots. */
  setInputFiles(hostSelector: string, inputSelector: string, paths: string[]): Promise<void>;
  /** Every request the page and its workers made, including ones that failed or were blocked. */
  readonly requests: readonly RecordedRequest[];
  /** Messages of alert/confirm/prompt dialogs that opened (each one is dismissed). */
  readonly dialogs: readonly string[];
  /** Uncaught errors and console errors, including CSP violations the browser reports. */
  readonly errors: readonly string[];
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserUnderTest {
  /** e.g. "Chromium 156.0.8078.108" */
  readonly description: string;
  newPage(options?: PageOptions): Promise<TestPage>;
  close(): Promise<void>;
}
