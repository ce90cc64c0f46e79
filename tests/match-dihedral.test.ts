/**
 * Matching pictures end to end (decoder, engine, index): the rotated and mirrored bridge photos from Meta's
 * regression set match the original only with dihedral matching, each through the variant that undoes its
 * transform; and the corpus's JPEG re-encodings fall into one group with their PNG originals.
 */
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { hashFile, type ImageHash } from "../entries/node.js";
import { findDuplicateGroups } from "../src/match/duplicate-groups.js";
import { HashIndex } from "../src/match/hash-index.js";
import type { ResizeMode } from "../src/options.js";
import { CORPUS, VECTORS } from "./support/fixtures.js";

const BRIDGE = `${VECTORS}reg-test-input/dih/`;
/** The variant of each transformed copy that lines up with the original (rotating by 90 is undone by 270). */
const UNDOING_VARIANT: Record<string, string> = {
  "bridge-1-original.jpg": "orig",
  "bridge-2-rotate-90.jpg": "rot270",
  "bridge-3-rotate-180.jpg": "rot180",
  "bridge-4-rotate-270.jpg": "rot90",
  "bridge-5-flipx.jpg": "flipx",
  "bridge-6-flipy.jpg": "flipy",
  "bridge-7-flip-plus-1.jpg": "flipplus1",
  "bridge-8-flip-minus-1.jpg": "flipminus1",
};

describe.each(["full", "512"] as ResizeMode[])("dihedral bridge images (resize %s)", (resize) => {
  const hashes = new Map<string, ImageHash>();
  let index: HashIndex;
  beforeAll(async () => {
    for (const file of Object.keys(UNDOING_VARIANT)) hashes.set(file, await hashFile(BRIDGE + file, { resize, dihedral: true }));
    index = await HashIndex.create([{ id: "original", hash: hashes.get("bridge-1-original.jpg")!.pdq }]);
  });

  it("every copy matches the original within 31 through the variant that undoes its transform", () => {
    for (const [file, variant] of Object.entries(UNDOING_VARIANT)) {
      const matches = index.query(hashes.get(file)!, { dihedral: true });
      expect(matches, file).toHaveLength(1);
      expect(matches[0]!.distance, file).toBeLessThanOrEqual(31);
      expect(matches[0]!.variant, file).toBe(variant);
    }
  });

  it("without dihedral matching, only the original itself matches", () => {
    const matched = Object.keys(UNDOING_VARIANT).filter((file) => index.query(hashes.get(file)!).length > 0);
    expect(matched).toEqual(["bridge-1-original.jpg"]);
  });
});

describe("near-duplicate groups in the corpus", () => {
  const files = readdirSync(CORPUS).filter((file) => /\.(png|jpg)$/.test(file)).sort();
  const hashes: ImageHash[] = [];
  beforeAll(async () => {
    for (const file of files) hashes.push(await hashFile(CORPUS + file));
  });

  it("puts each JPEG re-encoding in one group with its PNG original", async () => {
    const report = await findDuplicateGroups(hashes);
    const groups = report.groups.map((group) => group.members.map((position) => files[position]).sort());
    const reencoded = files.filter((file) => file.endsWith(".q90.jpg"));
    expect(reencoded.length).toBe(9);
    for (const jpeg of reencoded) {
      expect(groups).toContainEqual([jpeg.replace(".q90.jpg", ".png"), jpeg]);
    }
    // The only other group: the two synthetic strips squashed from the coffee photo (corpus README) with it.
    expect(groups.filter((group) => !group.some((file) => file.endsWith(".q90.jpg")))).toEqual([
      ["skimage-coffee.png", "synth-tall-20x3000.png", "synth-wide-4000x20.png"],
    ]);
    for (const group of report.groups) {
      expect(group.distances[0]).toBe(0);
      for (const link of group.links) expect(link.distance).toBeLessThanOrEqual(31);
      expect(group.links.length).toBe(group.members.length - 1);
    }
    const grouped = report.groups.reduce((sum, group) => sum + group.members.length, 0);
    expect(report.unique + report.lowQuality.length + grouped).toBe(files.length);
  });

  it("keeps hashes of quality below 50 out of groups and lists them apart", async () => {
    // A second copy of a flat picture: identical hashes, but of nothing in particular.
    const flat = hashes[files.indexOf("synth-flat-64x64.png")]!;
    const pictures = [...hashes, flat];
    const report = await findDuplicateGroups(pictures);
    const low = pictures.flatMap((hash, position) => (hash.quality < 50 ? [position] : []));
    expect(low.map((position) => files[position] ?? "copy")).toEqual([
      "synth-flat-320x240.png",
      "synth-flat-64x64.png",
      "synth-min-5x5.png",
      "synth-tiny-5x3.png",
      "copy",
    ]);
    expect(report.lowQuality).toEqual(low);
    for (const group of report.groups) for (const position of group.members) expect(low).not.toContain(position);
    const unfiltered = await findDuplicateGroups(pictures, { minQuality: 0 });
    expect(unfiltered.groups.map((group) => group.members)).toContainEqual([files.indexOf("synth-flat-64x64.png"), files.length]);
  });
});
