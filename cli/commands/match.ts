/**
 * `ncii-hash match --list FILE [--threshold N] [--dihedral] <paths>`: checks pictures against a hash list on
 * this machine. One JSON line per picture, with the listed hashes it matches:
 *   {"path": "...", "pdq": "...", "quality": 94, "matches": [{"id": "...", "hash": "...", "distance": 8, "variant": "orig"}]}
 * A picture whose quality is below 50 is not matched ("matches": null): its hash is too unreliable.
 */
import { createReadStream } from "node:fs";
import { errorDetail } from "../../src/errors.js";
import { PDQ_MATCH_THRESHOLD, PDQ_QUALITY_THRESHOLD } from "../../src/hash/pdq-hash.js";
import { jsonLine } from "../../src/formats/control-characters.js";
import { HashIndex } from "../../src/match/hash-index.js";
import { DEFAULT_MAX_LIST_ENTRIES, HashListError, MAX_LIST_ID_LENGTH, MAX_LIST_LINE_LENGTH } from "../../src/match/hash-list.js";
import { UsageError, wholeNumber, type HashRequest } from "../args.js";
import type { CliIo } from "../io.js";
import { EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE } from "../main.js";
import { recordWriter } from "../output.js";
import { noSkips, skippedSummary } from "../walk.js";
import { hashInputs, type InputCounts } from "./hash-inputs.js";
import { parseSubcommandArgs, readThreshold, withUsageErrors } from "./subcommand-options.js";

export const MATCH_USAGE = `Usage: ncii-hash match --list FILE [--threshold N] [--dihedral] [options] <file|folder>...

Fingerprints each picture and looks it up in a hash list, here: neither the pictures nor their fingerprints
are sent anywhere.

  --list FILE        the hash list: one PDQ hash (64 hex) per line, CSV or TSV with a hash column (and an id
                     column), or JSON Lines (ncii-hash's exchange records, HMA-style objects)
  --threshold N      largest distance (differing bits of 256) that counts as a match (default ${PDQ_MATCH_THRESHOLD})
  --dihedral         also match rotated and mirrored copies of listed pictures
  --max-entries N    most hashes read from the list (default ${DEFAULT_MAX_LIST_ENTRIES}); lines may be up to
                     ${MAX_LIST_LINE_LENGTH} characters and ids up to ${MAX_LIST_ID_LENGTH}

Other options as for ncii-hash (--resize, --orientation, --engine, --max-pixels, --max-bytes,
--follow-symlinks, --workers).

Output (stdout), one line per picture, nearest matches first:
  {"path": "...", "pdq": "...", "quality": 0-100, "matches": [{"id": "...", "hash": "...", "distance": N, "variant": "orig"}]}
  "matches" is null when quality is below ${PDQ_QUALITY_THRESHOLD} (too unreliable to match on).
  {"path": "...", "error": {"code": "...", "message": "..."}}

Exit status: 0 every picture checked, 1 some picture failed, 2 usage error or unreadable list.`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  return withUsageErrors("match", io, async () => {
    const { own, request } = parseSubcommandArgs(argv, ["--list", "--threshold", "--max-entries"]);
    if (request.kind !== "hash") {
      io.stdout.write(`${MATCH_USAGE}\n`);
      return EXIT_OK;
    }
    const listPath = own.get("--list");
    if (listPath === undefined) throw new UsageError("--list FILE is required");
    if (request.format !== "jsonl") throw new UsageError("match prints JSON Lines only");
    const threshold = readThreshold(own.get("--threshold"), PDQ_MATCH_THRESHOLD);
    const maxEntries = own.has("--max-entries") ? wholeNumber("--max-entries", own.get("--max-entries")!, 1) : DEFAULT_MAX_LIST_ENTRIES;
    const index = await loadList(listPath, maxEntries, io);
    return index ? matchInputs(index, request, threshold, io) : EXIT_USAGE;
  });
}

async function loadList(path: string, maxEntries: number, io: CliIo): Promise<HashIndex | undefined> {
  let skipped = 0;
  try {
    const index = await HashIndex.fromBytes(createReadStream(path), { maxEntries, onSkip: () => skipped++ });
    if (skipped > 0) io.stderr.write(`ncii-hash match: ${skipped} list entries are not PDQ hashes (e.g. VideoMD5) and were left out\n`);
    return index;
  } catch (error) {
    const reason =
      error instanceof HashListError
        ? error.message
        : `could not read it (${errorDetail(error)})`;
    io.stderr.write(`ncii-hash match: the hash list ${JSON.stringify(path)} cannot be used: ${reason}\n`);
    return undefined;
  }
}

async function matchInputs(index: HashIndex, request: HashRequest, threshold: number, io: CliIo): Promise<number> {
  const errors = recordWriter("jsonl", false);
  const counts: InputCounts = { hashed: 0, failed: 0, skipped: noSkips() };
  let withMatches = 0;
  const inputs = hashInputs(request, io, counts, (path, error) => io.stdout.write(errors.format({ path, ok: false, error })));
  for await (const { path, hash } of inputs) {
    const matchable = hash.quality >= PDQ_QUALITY_THRESHOLD;
    const matches = matchable
      ? index
          .query(hash, { threshold, dihedral: request.hashOptions.dihedral })
          .map(({ id, hash: listed, distance, variant }) => ({ id, hash: listed, distance, variant }))
      : null;
    if (matches?.length) withMatches++;
    io.stdout.write(`${jsonLine({ path, pdq: hash.pdq, quality: hash.quality, matches })}\n`);
  }
  io.stderr.write(
    `ncii-hash match: ${counts.hashed} checked against ${index.size} listed hashes, ${withMatches} with matches, ` +
      `${counts.failed} failed${skippedSummary(counts.skipped)}\n`,
  );
  return counts.failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}
