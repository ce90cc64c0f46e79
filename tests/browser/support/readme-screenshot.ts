/**
 * Keeps the README's pictures (docs/demo.png, docs/component-*.png) current without churning them: software
 * rendering shifts a few anti-aliased pixels from run to run, so a file is only replaced when the page visibly
 * changed. Only `npm run docs:screenshots` (which sets NCII_UPDATE_SCREENSHOTS=1) replaces them; a test run takes
 * the same screenshots into its scratch folder and leaves the working tree as it found it.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import sharp from "sharp";

/** Pixels that may differ (by more than a faint anti-aliasing step) before the page counts as changed. */
const TOLERATED_PIXELS = 64;
const FAINT = 24;

const UPDATING = process.env["NCII_UPDATE_SCREENSHOTS"] === "1";

export async function updateScreenshot(fresh: string, committed: string): Promise<void> {
  if (!UPDATING) return;
  if (existsSync(committed) && !(await visiblyDifferent(fresh, committed))) return;
  mkdirSync(dirname(committed), { recursive: true });
  copyFileSync(fresh, committed);
}

async function visiblyDifferent(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([a, b].map((path) => sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true })));
  if (left!.info.width !== right!.info.width || left!.info.height !== right!.info.height) return true;
  let changed = 0;
  for (let i = 0; i < left!.data.length; i += 4) {
    const delta = Math.max(
      Math.abs(left!.data[i]! - right!.data[i]!),
      Math.abs(left!.data[i + 1]! - right!.data[i + 1]!),
      Math.abs(left!.data[i + 2]! - right!.data[i + 2]!),
    );
    if (delta > FAINT && ++changed > TOLERATED_PIXELS) return true;
  }
  return false;
}
