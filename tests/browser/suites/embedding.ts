/**
 * Embedding as partners do: under the strict CSP of the issue, and from another origin (partner page on one
 * port, our bundle on another) with the documented CSP additions.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestPage } from "../support/browser-under-test.js";
import {
  indexResults,
  pickFiles,
  readResults,
  readRows,
  recordEvents,
  waitForBatches,
} from "../support/component-page.js";
import { STRICT_CSP, crossOriginCsp } from "../../../scripts/csp.js";
import type { BrowserEnvironment } from "../support/environment.js";
import { CORPUS_DIR, DIST_DIR, corpusExpectations } from "../support/fixtures.js";
import { startStaticServer, type StaticServer } from "../support/static-server.js";
import { hashMismatches } from "./hashing.js";

const TEST_TIMEOUT_MS = 180_000;

/** A partner's page loading our bundle from `bundleOrigin`, pinned with `integrity` when given (README, "Security"). */
export function partnerPage(bundleOrigin: string, integrity?: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Partner site</title>
    <script type="module" src="${bundleOrigin}/ncii-hasher.js"${integrity ? ` integrity="${integrity}" crossorigin="anonymous"` : ""}></script>
  </head>
  <body>
    <main>
      <h1>Partner site</h1>
      <ncii-hasher></ncii-hasher>
    </main>
  </body>
</html>
`;
}

/** Records CSP violations the page reports from now on. */
async function watchViolations(page: TestPage): Promise<void> {
  await page.evaluate(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener("securitypolicyviolation", (event) => {
      violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
    });
  }, null);
}

async function violations(page: TestPage): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations, null);
}

export function embeddingSuite(env: BrowserEnvironment): void {
  describe("embedding", () => {
    const expected = corpusExpectations().filter((want) => /grace_hopper\.png|board\.q90|chicky_512\.png/.test(want.file));
    const paths = expected.map((want) => join(CORPUS_DIR, want.file));
    let bundle: StaticServer;
    let partner: StaticServer;
    let partnerWithoutBlob: StaticServer;
    let pages: Record<string, string>;

    beforeAll(async () => {
      // Our host: the built bundle, readable from any origin (module scripts and the WASM fetch are CORS).
      bundle = await startStaticServer({ root: DIST_DIR, headers: { "Access-Control-Allow-Origin": "*" } });
      // The browser asks every origin for a favicon; an empty one keeps the console free of 404s.
      pages = { "/partner.html": partnerPage(bundle.origin), "/favicon.ico": "" };
      partner = await startStaticServer({
        root: DIST_DIR,
        pages,
        headers: { "Content-Security-Policy": crossOriginCsp(bundle.origin) },
      });
      partnerWithoutBlob = await startStaticServer({
        root: DIST_DIR,
        pages,
        headers: { "Content-Security-Policy": crossOriginCsp(bundle.origin).replace(" blob:", "") },
      });
    });
    afterAll(async () => {
      await Promise.all([bundle?.close(), partner?.close(), partnerWithoutBlob?.close()]);
    });

    it("works under the strict CSP, which really is in force", async () => {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${env.site.origin}/`);
        expect(env.site.requests.length).toBeGreaterThan(0);
        await watchViolations(page);
        // An inline script is refused: proof the policy applies to this page.
        const inlineRan = await page.evaluate(async () => {
          const script = document.createElement("script");
          script.textContent = "window.inlineScriptRan = true;";
          document.body.append(script);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return "inlineScriptRan" in window;
        }, null);
        expect(inlineRan).toBe(false);
        expect(await violations(page)).toEqual(["script-src-elem blocked inline"]);

        await recordEvents(page);
        await pickFiles(page, paths);
        await waitForBatches(page, 1);
        const results = await readResults(page);
        expect(hashMismatches(expected, indexResults(results))).toEqual([]);
        expect(await violations(page)).toEqual(["script-src-elem blocked inline"]);
        expect(STRICT_CSP).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("works from another origin under the strict CSP plus the documented additions", async () => {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${partner.origin}/partner.html`);
        await watchViolations(page);
        await recordEvents(page);
        await pickFiles(page, paths);
        await waitForBatches(page, 1);
        const results = await readResults(page);
        expect(hashMismatches(expected, indexResults(results))).toEqual([]);
        expect(await violations(page)).toEqual([]);
        expect(page.errors).toEqual([]);
        // The worker script and the kernel came from our origin, not the partner's.
        const fromBundle = page.requests.filter((request) => request.url.startsWith(bundle.origin)).map((r) => r.url);
        expect(fromBundle.some((url) => /\/assets\/browser-worker[^/]*\.js$/.test(url))).toBe(true);
        expect(fromBundle.some((url) => url.endsWith(".wasm"))).toBe(true);
        expect(partner.requests.filter((request) => !(request.path in pages))).toEqual([]);
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);

    it("without worker-src blob: each file fails with a clear error instead of hanging", async () => {
      const page = await env.browser.newPage();
      try {
        await page.goto(`${partnerWithoutBlob.origin}/partner.html`);
        await recordEvents(page);
        await pickFiles(page, paths);
        await waitForBatches(page, 1);
        const rows = await readRows(page);
        expect(rows.map((row) => [row.status, row.errorCode])).toEqual(paths.map(() => ["failed", "worker-failed"]));
      } finally {
        await page.close();
      }
    }, TEST_TIMEOUT_MS);
  });
}
