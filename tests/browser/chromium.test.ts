/** The component's browser suites in real headless Chromium (Debian's chromium under playwright-core). */
import { describe } from "vitest";
import { hashingSuite } from "./suites/hashing.js";
import { launchChromium } from "./support/chromium.js";
import { useBrowserEnvironment } from "./support/environment.js";

describe("<ncii-hasher> in Chromium", () => {
  const env = useBrowserEnvironment(launchChromium);
  hashingSuite(env);
});
