/**
 * The WebKitGTK implementation of BrowserUnderTest: Debian's WebKitWebDriver starting MiniBrowser under a virtual
 * X server (xvfb-run), driven over W3C WebDriver with plain HTTP. WebDriver shows neither network traffic nor
 * console errors, so suites that read those run in Chromium and Firefox; this one serves the cross-engine
 * agreement tests. The driver takes one session at a time, so each page gets its own driver and browser (and with
 * it a fresh, ephemeral profile).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename } from "node:path";
import type { BrowserUnderTest, PageOptions, TestPage } from "./browser-under-test.js";
import { ensureBrowser } from "./ensure-browser.js";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/** Bytes of file content sent per WebDriver call when handing files to the page. */
const CHUNK_BYTES = 512 * 1024;
const SCRIPT_TIMEOUT_MS = 600_000;

export async function launchWebKit(): Promise<BrowserUnderTest> {
  ensureBrowser({ executable: "/usr/bin/xvfb-run", aptPackage: "xvfb xauth" });
  const driver = ensureBrowser({ executable: "/usr/bin/WebKitWebDriver", aptPackage: "webkit2gtk-driver" });
  const pages = new Set<TestPage>();
  let description = "WebKitGTK";
  return {
    get description() {
      return description;
    },
    async newPage(options?: PageOptions) {
      const page = await openPage(driver, options, (version) => (description = `WebKitGTK ${version}`));
      pages.add(page);
      return page;
    },
    async close() {
      await Promise.all([...pages].map((page) => page.close()));
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface WebDriverReply {
  value: unknown;
}

async function openPage(driver: string, options: PageOptions = {}, onVersion: (version: string) => void): Promise<TestPage> {
  const port = await freePort();
  // Its own process group, so closing the page ends Xvfb, the driver and MiniBrowser together.
  const child: ChildProcess = spawn("xvfb-run", ["-a", driver, `--port=${port}`], { detached: true, stdio: ["ignore", "ignore", process.env.NCII_WEBKIT_LOG ? "inherit" : "ignore"] });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(base + path, { method, body: body === undefined ? undefined : JSON.stringify(body) }).catch(
      (error: unknown) => {
        throw new Error(`WebDriver ${method} ${path}: no answer (driver or browser gone)`, { cause: error });
      },
    );
    const reply = (await response.json()) as WebDriverReply;
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(reply.value).slice(0, 500)}`);
    return reply.value;
  };
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  let session: string;
  try {
    await waitForDriver(base);
    const created = (await call("POST", "/session", {
      capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
    })) as { sessionId: string; capabilities: { browserVersion: string } };
    session = created.sessionId;
    onVersion(created.capabilities.browserVersion);
  } catch (error) {
    stop();
    throw error;
  }
  const at = `/session/${session}`;
  let closed = false;
  await call("POST", `${at}/timeouts`, { script: SCRIPT_TIMEOUT_MS });
  const { width, height } = options.viewport ?? { width: 1024, height: 800 };
  await call("POST", `${at}/window/rect`, { width, height });

  async function evaluate<Arg, Result>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg): Promise<Result> {
    const script =
      "const done = arguments[arguments.length - 1];" +
      `Promise.resolve().then(() => (${fn.toString()})(arguments[0]))` +
      ".then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error && error.stack || error) }));";
    const reply = (await call("POST", `${at}/execute/async`, { script, args: [arg] })) as { value?: Result; error?: string };
    if (reply.error !== undefined) throw new Error(`in WebKit: ${reply.error}`);
    return reply.value as Result;
  }

  return {
    async goto(url) {
      await call("POST", `${at}/url`, { url });
    },
    evaluate,
    async runScript(source) {
      await call("POST", `${at}/execute/sync`, { script: source, args: [] });
    },
    async press(key) {
      const value = { Tab: "\uE004", Enter: "\uE007", Escape: "\uE00C", " ": " " }[key] ?? key;
      await call("POST", `${at}/actions`, {
        actions: [{ type: "key", id: "keyboard", actions: [{ type: "keyDown", value }, { type: "keyUp", value }] }],
      });
    },
    async setInputFiles(hostSelector, inputSelector, paths) {
      // WebDriver can type a path into a file input only outside shadow roots, so the files travel as bytes and
      // reach the input as a picker would hand them over: one FileList, then input and change events.
      await evaluate(() => {
        Object.assign(window, { nciiStagedFiles: [] as File[] });
      }, null);
      for (const path of paths) {
        const bytes = readFileSync(path);
        const chunks: string[] = [];
        for (let offset = 0; offset < bytes.length || offset === 0; offset += CHUNK_BYTES) {
          chunks.push(bytes.subarray(offset, offset + CHUNK_BYTES).toString("base64"));
          if (bytes.length === 0) break;
        }
        await evaluate(({ name, chunks }) => {
          const parts = chunks.map((chunk) => Uint8Array.from(atob(chunk), (char) => char.charCodeAt(0)));
          (window as unknown as { nciiStagedFiles: File[] }).nciiStagedFiles.push(new File(parts, name));
        }, { name: basename(path), chunks });
      }
      await evaluate(({ hostSelector, inputSelector }) => {
        const host = document.querySelector(hostSelector);
        const input = (host?.shadowRoot ?? host)?.querySelector<HTMLInputElement>(inputSelector);
        if (!input) throw new Error(`no ${inputSelector} in ${hostSelector}`);
        const transfer = new DataTransfer();
        for (const file of (window as unknown as { nciiStagedFiles: File[] }).nciiStagedFiles) transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }, { hostSelector, inputSelector });
    },
    requests: [],
    dialogs: [],
    errors: [],
    async screenshot(path) {
      writeFileSync(path, Buffer.from((await call("GET", `${at}/screenshot`)) as string, "base64"));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await call("DELETE", at);
      } finally {
        stop();
      }
    },
  };
}

async function waitForDriver(base: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const status = (await (await fetch(`${base}/status`)).json()) as { value: { ready: boolean } };
      if (status.value.ready) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("WebKitWebDriver did not start within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
