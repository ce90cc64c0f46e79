/**
 * Reading and driving `<ncii-hasher>` from the test side. Every function runs through `TestPage.evaluate`, so it
 * works in any engine; the functions passed to evaluate are self-contained (they are serialised into the page).
 */
import type { TestPage } from "./browser-under-test.js";

/** A result as the host page receives it (the `NciiResult` of web/results.ts, after JSON). */
export interface ResultRecord {
  name: string;
  size?: number;
  type?: string;
  pdq?: string;
  quality?: number;
  width?: number;
  height?: number;
  dihedral?: string[];
  error?: { code: string; message: string };
}

export type RecordedEvent =
  | { type: "ncii-hashed"; detail: ResultRecord }
  | { type: "ncii-done"; detail: { results: ResultRecord[]; cancelled: boolean } }
  | { type: "ncii-integrity-failed"; detail: { code: string; message: string } };

/** Results keyed by `key(name)` (the name itself unless told otherwise). */
export function indexResults(
  results: readonly ResultRecord[],
  key: (name: string) => string = (name) => name,
): Map<string, ResultRecord> {
  return new Map(results.map((result) => [key(result.name), result]));
}

/** One list row as a person sees it. */
export interface Row {
  name: string;
  /** The name's markup: equal to the escaped name, never an element. */
  nameHtml: string;
  status: string;
  pdq: string | null;
  errorCode: string | null;
  errorText: string | null;
  warning: string | null;
}

const SETTLE_TIMEOUT_MS = 90_000;

/** Starts recording the component's events on `window` (call before adding files). */
export async function recordEvents(page: TestPage): Promise<void> {
  await page.evaluate(() => {
    const events: { type: string; detail: unknown }[] = [];
    Object.assign(window, { nciiTestEvents: events });
    for (const type of ["ncii-hashed", "ncii-done", "ncii-integrity-failed"]) {
      // Listening on document proves the events bubble out of the shadow root (composed) and up the tree.
      document.addEventListener(type, (event) => {
        events.push({ type, detail: JSON.parse(JSON.stringify((event as CustomEvent).detail)) });
      });
    }
  }, null);
}

/** Sets `file-details`, so events carry each file's name and size (the tests that key results by name need it). */
export async function askForFileDetails(page: TestPage): Promise<void> {
  await page.evaluate(() => document.querySelector("ncii-hasher")!.setAttribute("file-details", ""), null);
}

export async function recordedEvents(page: TestPage): Promise<RecordedEvent[]> {
  return page.evaluate(() => (window as unknown as { nciiTestEvents: RecordedEvent[] }).nciiTestEvents, null);
}

export function hashedDetails(events: readonly RecordedEvent[]): ResultRecord[] {
  return events.flatMap((event) => (event.type === "ncii-hashed" ? [event.detail] : []));
}

export function doneDetails(events: readonly RecordedEvent[]): { results: ResultRecord[]; cancelled: boolean }[] {
  return events.flatMap((event) => (event.type === "ncii-done" ? [event.detail] : []));
}

/** Waits until `count` batches have ended (`ncii-done` fired `count` times). */
export async function waitForBatches(page: TestPage, count: number): Promise<RecordedEvent[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const events = await recordedEvents(page);
    if (doneDetails(events).length >= count) return events;
    if (Date.now() > deadline) throw new Error(`no ncii-done after ${SETTLE_TIMEOUT_MS} ms; events so far: ${events.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `predicate` (run in the page) returns true. */
export async function waitInPage(page: TestPage, predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!(await page.evaluate(predicate, null))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function readRows(page: TestPage): Promise<Row[]> {
  return page.evaluate(() => {
    const root = document.querySelector("ncii-hasher")!.shadowRoot!;
    return Array.from(root.querySelectorAll('[part~="item"]'), (item) => {
      const name = item.querySelector('[part~="name"]')!;
      const error = item.querySelector('[part~="error"]');
      return {
        name: name.textContent ?? "",
        nameHtml: name.innerHTML.replace(/<!--[^]*?-->/g, ""),
        status: item.getAttribute("data-status") ?? "",
        pdq: item.querySelector('[part~="hash"]')?.getAttribute("data-pdq") ?? null,
        errorCode: error?.getAttribute("data-code") ?? null,
        errorText: error?.textContent?.replace(/\s+/g, " ").trim() ?? null,
        warning: item.querySelector('[part~="warning"]')?.textContent ?? null,
      };
    });
  }, null);
}

/** The component's `results` property, as the host page sees it. */
export async function readResults(page: TestPage): Promise<ResultRecord[]> {
  return page.evaluate(() => JSON.parse(JSON.stringify(document.querySelector("ncii-hasher")!.results)), null);
}

export async function pickFiles(page: TestPage, paths: string[]): Promise<void> {
  await page.setInputFiles("ncii-hasher", "#pick-files", paths);
}

export async function pickFolder(page: TestPage, folder: string): Promise<void> {
  await page.setInputFiles("ncii-hasher", "#pick-folder", [folder]);
}

/**
 * Drops files on the component the way a drag from the desktop does, or pastes them as a clipboard paste does
 * (focus on the drop zone). The File objects come from a helper input outside the component, so no bytes travel
 * through the network or the test protocol.
 */
export async function handOverFiles(page: TestPage, how: "drop" | "paste", paths: string[]): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "test-staged-files";
    input.hidden = true;
    document.body.append(input);
  }, null);
  await page.setInputFiles("body", "#test-staged-files", paths);
  await page.evaluate((how) => {
    const input = document.querySelector<HTMLInputElement>("#test-staged-files")!;
    const transfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) transfer.items.add(file);
    input.remove();
    const zone = document.querySelector("ncii-hasher")!.shadowRoot!.querySelector<HTMLElement>('[part~="dropzone"]')!;
    const init = { bubbles: true, composed: true, cancelable: true };
    if (how === "paste") {
      zone.focus();
      const paste = new ClipboardEvent("paste", { ...init, clipboardData: transfer });
      // Firefox builds a fresh, empty DataTransfer for a constructed ClipboardEvent instead of taking the one given;
      // the component only reads `event.clipboardData`, so the files are handed over on the event itself there.
      if (paste.clipboardData?.files.length !== transfer.files.length) {
        Object.defineProperty(paste, "clipboardData", { value: transfer });
      }
      zone.dispatchEvent(paste);
    } else {
      zone.dispatchEvent(new DragEvent("dragover", { ...init, dataTransfer: transfer }));
      zone.dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: transfer }));
    }
  }, how);
}
