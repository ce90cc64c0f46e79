import { defineConfig } from "vitest/config";

/** Suites that drive real browsers or load the built bundle (or the packed package, which holds it). */
const BROWSER_SUITES = ["tests/browser/**/*.test.ts", "tests/package/**/*.test.ts"];
/** The component's pure helpers run in Node, although they live with the browser suites. */
const NODE_SUITES_IN_BROWSER = ["tests/browser/web-helpers.test.ts"];

// Two projects, `node` and `browser`, each first bringing the build outputs it loads up to date with the sources
// (tests/support/current-build.ts). `npm run test:unit` is `node` without the tests tagged `slow` or `e2e`, which
// only `npm test` (everything) runs.
// Generous limits: tests hash real photos and drive real browsers on a shared 2-core machine. Speed is measured by
// `npm run bench`, never by a test's clock.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
    tags: [
      {
        name: "slow",
        description: "Generated loads, processes killed and resumed, fuzzing, sweeps of every fixture: npm test only.",
      },
      {
        name: "e2e",
        description: "Runs ncii-hash or a build tool as a child process, end to end: npm test only.",
      },
    ],
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["tests/*.test.ts", ...NODE_SUITES_IN_BROWSER],
          globalSetup: ["tests/support/current-build.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: BROWSER_SUITES,
          exclude: NODE_SUITES_IN_BROWSER,
          globalSetup: ["tests/support/current-build.ts", "tests/support/current-bundle.ts"],
        },
      },
    ],
  },
});
