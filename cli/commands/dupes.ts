/**
 * `ncii-hash dupes [--threshold N] [--dihedral] <folder|file>...`: finds the copies of the same picture in a
 * photo set (re-encoded, resized, with --dihedral also rotated or mirrored). After hashing, one JSON line per
 * group, then the pictures of too low quality to group, each on its own line:
 *   {"group": 1, "files": [{"path": "...", "pdq": "...", "quality": 100, "distance": 0}, ...],
 *    "links": [{"from": "...", "to": "...", "distance": 6, "variant": "orig"}]}
 *   {"lowQuality": true, "path": "...", "pdq": "...", "quality": 0}
 */
import { PDQ_MATCH_THRESHOLD, PDQ_QUALITY_THRESHOLD } from "../../src/hash/pdq-hash.js";
import { jsonLine } from "../../src/formats/control-characters.js";
import { findDuplicateGroups } from "../../src/match/duplicate-groups.js";
import type { HashRequest } from "../args.js";
import type { CliIo } from "../io.js";
import { EXIT_OK, EXIT_SOME_FAILED } from "../main.js";
import { recordWriter } from "../output.js";
import { noSkips, skippedSummary } from "../walk.js";
import { hashInputs, type HashedInput, type InputCounts } from "./hash-inputs.js";
import { parseSubcommandArgs, readThreshold, withUsageErrors } from "./subcommand-options.js";

export const DUPES_USAGE = `Usage: ncii-hash dupes [--threshold N] [--dihedral] [options] <folder|file>...

Finds near-duplicate pictures in a photo set: copies of one picture (re-encoded, resized, recompressed) are
grouped. Two pictures are linked when their fingerprints differ by at most N bits; a group is everything
linked together. Nothing is sent anywhere.

  --threshold N   largest distance (differing bits of 256) that links two pictures (default ${PDQ_MATCH_THRESHOLD})
  --dihedral      also group rotated and mirrored copies

Other options as for ncii-hash (--resize, --orientation, --engine, --max-pixels, --max-bytes,
--follow-symlinks, --workers).

Output (stdout), after all pictures are fingerprinted:
  {"group": N, "files": [{"path", "pdq", "quality", "distance"}], "links": [{"from", "to", "distance", "variant"}]}
    the first file is the group's best-quality picture; "distance" is each file's distance from it
  {"lowQuality": true, "path": "...", "pdq": "...", "quality": N}
    quality below ${PDQ_QUALITY_THRESHOLD}: featureless pictures whose fingerprints cannot be grouped reliably
  {"path": "...", "error": {"code": "...", "message": "..."}}   (printed as soon as a file fails)

Exit status: 0 every picture fingerprinted, 1 some picture failed, 2 usage error.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  return withUsageErrors("dupes", io, async () => {
    const { own, request } = parseSubcommandArgs(argv, ["--threshold"]);
    if (request.kind !== "hash") {
      io.stdout.write(`${DUPES_USAGE}\n`);
      return EXIT_OK;
    }
    return findDupes(request, readThreshold(own.get("--threshold"), PDQ_MATCH_THRESHOLD), io);
  });
}

async function findDupes(request: HashRequest, threshold: number, io: CliIo): Promise<number> {
  const errors = recordWriter("jsonl", false);
  const counts: InputCounts = { hashed: 0, failed: 0, skipped: noSkips() };
  const pictures: HashedInput[] = [];
  for await (const picture of hashInputs(request, io, counts, (path, error) => io.stdout.write(errors.format({ path, ok: false, error })))) {
    pictures.push(picture);
  }
  // Workers finish in any order; sorted paths make the report the same on every run.
  pictures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const dihedral = request.hashOptions.dihedral;
  const report = await findDuplicateGroups(
    pictures.map((picture) => picture.hash),
    { threshold, dihedral },
  );
  const describe = (position: number) => {
    const { path, hash } = pictures[position]!;
    return { path, pdq: hash.pdq, quality: hash.quality };
  };
  report.groups.forEach((group, i) => {
    const files = group.members.map((position, k) => ({ ...describe(position), distance: group.distances[k] }));
    const links = group.links.map((link) => ({
      from: pictures[link.from]!.path,
      to: pictures[link.to]!.path,
      distance: link.distance,
      variant: link.variant,
    }));
    io.stdout.write(`${jsonLine({ group: i + 1, files, links })}\n`);
  });
  for (const position of report.lowQuality) io.stdout.write(`${jsonLine({ lowQuality: true, ...describe(position) })}\n`);

  const grouped = report.groups.reduce((sum, group) => sum + group.members.length, 0);
  io.stderr.write(
    `ncii-hash dupes: ${counts.hashed} pictures, ${report.groups.length} group${report.groups.length === 1 ? "" : "s"} (${grouped} pictures), ` +
      `${report.unique} unique, ${report.lowQuality.length} of low quality, ${counts.failed} failed${skippedSummary(counts.skipped)}\n`,
  );
  return counts.failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}
