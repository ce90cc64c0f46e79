/**
 * What the component's other languages cost an English page: issue 19 asks for at most 1 kB (0.76 kB today, see
 * the README's "Languages"). Builds the component bundle three ways in a scratch folder
 * (scripts/localisation-cost.mjs), so it needs no dist/.
 *
 * @module-tag e2e
 */
import { describe, expect, it } from "vitest";
import { localisationCost } from "../scripts/localisation-cost.mjs";

describe("what localisation costs an English page", () => {
  it("the bundle as built is within 1 kB of the same component without the lookup, built as before issue 19", async () => {
    const { asBuilt, englishOnly, before } = await localisationCost();
    // The stand-in really takes something out, so the comparison measures the lookup.
    expect(asBuilt.raw - englishOnly.raw).toBeGreaterThan(2_000);
    expect(asBuilt.raw - before.raw).toBeLessThanOrEqual(1_000);
  }, 300_000);
});
