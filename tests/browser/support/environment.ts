/**
 * One browser and one strict-CSP server of the built demo page, shared by every suite of a test file. Suites
 * receive the environment object and read `browser` and `site` inside their tests (they exist once beforeAll
 * has run).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { BrowserUnderTest } from "./browser-under-test.js";
import { STRICT_CSP } from "../../../scripts/csp.js";
import { DIST_DIR } from "./fixtures.js";
import { startStaticServer, type StaticServer } from "./static-server.js";

export interface BrowserEnvironment {
  readonly browser: BrowserUnderTest;
  /** dist/ served from 127.0.0.1 with the strict CSP on every response. */
  readonly site: StaticServer;
}

/** Installing the browser with apt-get, when it is missing, takes a few minutes. */
const LAUNCH_TIMEOUT_MS = 600_000;

export function useBrowserEnvironment(launch: () => Promise<BrowserUnderTest>): BrowserEnvironment {
  let browser: BrowserUnderTest | undefined;
  let site: StaticServer | undefined;
  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, "ncii-hasher.js"))) {
      throw new Error("dist/ncii-hasher.js is missing: run `npm run build` first (npm test does).");
    }
    site = await startStaticServer({ root: DIST_DIR, headers: { "Content-Security-Policy": STRICT_CSP } });
    browser = await launch();
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser did not start (see the beforeAll error)");
      return browser;
    },
    get site() {
      if (!site) throw new Error("the test server did not start (see the beforeAll error)");
      return site;
    },
  };
}
