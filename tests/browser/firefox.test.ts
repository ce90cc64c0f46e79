/** The same browser suites as in Chromium, in Firefox ESR (Debian's firefox-esr under puppeteer-core, WebDriver BiDi). */
import { describe } from "vitest";
import { accessibilitySuite } from "./suites/accessibility.js";
import { embeddingSuite } from "./suites/embedding.js";
import { hashingSuite } from "./suites/hashing.js";
import { integritySuite } from "./suites/integrity.js";
import { localisationSuite } from "./suites/localisation.js";
import { heicSuite } from "./suites/heic.js";
import { oddInputsSuite } from "./suites/odd-inputs.js";
import { privacySuite } from "./suites/privacy.js";
import { sessionReplaySuite } from "./suites/session-replay.js";
import { videoSuite } from "./suites/video.js";
import { useBrowserEnvironment } from "./support/environment.js";
import { launchFirefox } from "./support/firefox.js";

describe("<ncii-hasher> in Firefox ESR", () => {
  const env = useBrowserEnvironment(launchFirefox);
  hashingSuite(env);
  heicSuite(env);
  oddInputsSuite(env);
  privacySuite(env);
  sessionReplaySuite(env);
  videoSuite(env);
  embeddingSuite(env);
  integritySuite(env);
  localisationSuite(env);
  accessibilitySuite(env, { readmeScreenshot: false });
});
