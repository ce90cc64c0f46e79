/** `ncii-hash`: the command, independent of `process`, so it can be driven with any `CliIo`. */
import { resolve } from "node:path";
import { parseArgs, USAGE, UsageError, type HashRequest } from "./args.js";
import { fileKind } from "./file-kind.js";
import type { DigestKind, DigestResult } from "../src/pool-contract.js";
import { digestPaths } from "./hash-paths.js";
import { selectInputs } from "./input-files.js";
import { signalExitCode, type CliIo } from "./io.js";
import { recordWriter, type FileResult } from "./output.js";
import { createProgressDisplay } from "./progress.js";
import { NO_STAMP, type FileStamp, type Outcome } from "./result-index.js";
import { describeWriteError, ResultsFile } from "./results-file.js";
import { ResultsFileError, type JournalHeader } from "./results-journal.js";
import { describeRepairs } from "./resume.js";
import { reportRun, RunTally } from "./run-summary.js";
import { formatShard } from "./shard.js";
import { isSubcommand, loadSubcommand } from "./subcommands.js";
import { packageVersion } from "./version.js";
import type { WalkScope } from "./walk.js";

export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (isSubcommand(first)) return await (await loadSubcommand(first)).run(rest, io);
    const request = parseArgs(argv);
    if (request.kind === "help") io.stdout.write(`${USAGE}\n`);
    if (request.kind === "version") io.stdout.write(`${packageVersion()}\n`);
    return request.kind === "hash" ? await hashAndPrint(request, io) : EXIT_OK;
  } catch (error) {
    if (error instanceof ResultsFileError) {
      io.stderr.write(`ncii-hash: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`ncii-hash: ${error.message} (see ncii-hash --help)\n`);
    return EXIT_USAGE;
  }
}

async function hashAndPrint(request: HashRequest, io: CliIo): Promise<number> {
  const { format, md5, hashOptions } = request;
  const writer = recordWriter(format, hashOptions.dihedral, hashOptions.resize, md5);
  // PDQ CSV has no MD5 columns, so there videos keep their old treatment: skipped in folders, tried as pictures.
  const videosGetMd5 = format !== "csv";
  const scope: WalkScope = md5 ? "all-files" : videosGetMd5 ? "pictures-and-videos" : "pictures";
  const digestOf = async (path: string): Promise<DigestKind> =>
    md5 || (videosGetMd5 && (await fileKind(path)) === "video") ? "md5" : "pdq";
  const tally = new RunTally();
  const interruption = io.interruptions?.();
  const shard = request.shard === undefined ? null : formatShard(request.shard);
  let results: ResultsFile | undefined;
  if (request.output !== undefined) {
    results = await ResultsFile.open({ file: request.output, fileHeader: writer.header, journal: journalHeader(request, shard), resume: request.resume });
    io.stderr.write(describeRepairs(results.paths.file, results.repairs));
  } else {
    io.stdout.write(writer.header);
  }
  const print = (result: FileResult, stamp?: FileStamp) => {
    tally.add(outcomeOf(result));
    if (!result.ok && !writer.writesFailures) io.stderr.write(`ncii-hash: ${result.path}: ${result.error.message} (${result.error.code})\n`);
    if (results) results.record(result.path, stamp ?? NO_STAMP, outcomeOf(result), writer.format(result));
    else io.stdout.write(writer.format(result));
  };
  const walked = selectInputs(
    request.paths,
    {
      onSkipped: (_path, reason) => (tally.skips[reason] += 1),
      onFolderError: (path, error) => print({ path, ok: false, error }),
    },
    scope,
    {
      shard: request.shard,
      exclude: results && new Set(Object.values(results.paths).map((path) => resolve(path))),
      followSymlinks: request.followSymlinks,
    },
  );
  const inputs = results?.toHash(walked, () => (tally.alreadyDone += 1)) ?? { paths: walked, stampOf: () => undefined };
  const progress = createProgressDisplay(io, !results);
  let metEveryInput = false;
  try {
    const options = { hashOptions, workers: request.workers, digestOf, signal: interruption, onProgress: progress?.update };
    for await (const result of digestPaths(inputs.paths, options)) {
      // Files in flight when the run was stopped were not hashed: they get no line, and --resume hashes them.
      if (interruption?.aborted && !result.ok && result.error.code === "cancelled") continue;
      print(fileResult(result), inputs.stampOf(result.name));
    }
    metEveryInput = !interruption?.aborted;
  } catch (error) {
    if (!results) throw error;
    try {
      results.close();
    } catch {
      // The first error says what went wrong.
    }
    throw describeWriteError(results.paths.file, error);
  } finally {
    progress?.stop();
  }
  const interruptedBy = interruption?.aborted ? (interruption.reason as NodeJS.Signals) : null;
  const rewritten = results ? (await results.finish(metEveryInput)).rewritten : false;
  const held = results?.index.counts(metEveryInput);
  const failed = held ? held.failed : tally.outcomes.failed;
  const exitCode = interruptedBy ? signalExitCode(interruptedBy) : failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
  await reportRun(io, { tally, shard, interruptedBy, exitCode, output: results && held && { results, held, rewritten } });
  return exitCode;
}

/** What the lines depend on: `--resume` refuses a FILE made with anything else. */
function journalHeader(request: HashRequest, shard: string | null): JournalHeader {
  const { format, md5, hashOptions, paths } = request;
  const { resize, orientation, dihedral, maxPixels } = hashOptions;
  return { tool: packageVersion(), settings: { format, md5, resize, orientation, dihedral, maxPixels, shard, inputs: [...paths] } };
}

function outcomeOf(result: FileResult): Outcome {
  if (!result.ok) return result.error.code;
  return "md5" in result ? "md5" : "pdq";
}

function fileResult(result: DigestResult): FileResult {
  if (!result.ok) return { path: result.name, ok: false, error: result.error };
  return "md5" in result ? { path: result.name, ok: true, md5: result.md5, size: result.size } : { path: result.name, ok: true, hash: result.hash };
}
