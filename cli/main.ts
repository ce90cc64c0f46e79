/** `ncii-hash`: the command, independent of `process`, so it can be driven with any `CliIo`. */
import { parseArgs, USAGE, UsageError, type HashRequest } from "./args.js";
import { fileKind } from "./file-kind.js";
import type { DigestKind, DigestResult } from "../workers/types.js";
import { digestPaths } from "./hash-paths.js";
import type { CliCommand, CliIo } from "./io.js";
import { recordWriter, type FileResult } from "./output.js";
import { createProgressDisplay } from "./progress.js";
import { packageVersion } from "./version.js";
import { noSkips, skippedSummary, walkPaths, type WalkScope } from "./walk.js";

export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

const SUBCOMMANDS = new Set(["match", "dupes"]);

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first !== undefined && SUBCOMMANDS.has(first)) return await runSubcommand(first, rest, io);
    const request = parseArgs(argv);
    if (request.kind === "help") io.stdout.write(`${USAGE}\n`);
    if (request.kind === "version") io.stdout.write(`${packageVersion()}\n`);
    return request.kind === "hash" ? await hashAndPrint(request, io) : EXIT_OK;
  } catch (error) {
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
  const counts = { hashed: 0, failed: 0 };
  const skips = noSkips();
  const print = (result: FileResult) => {
    counts[result.ok ? "hashed" : "failed"] += 1;
    if (!result.ok && !writer.writesFailures) io.stderr.write(`ncii-hash: ${result.path}: ${result.error.message} (${result.error.code})\n`);
    io.stdout.write(writer.format(result));
  };
  io.stdout.write(writer.header);
  const paths = walkPaths(
    request.paths,
    {
      onSkipped: (_path, reason) => (skips[reason] += 1),
      onFolderError: (path, error) => print({ path, ok: false, error }),
    },
    scope,
    { followSymlinks: request.followSymlinks },
  );
  const progress = createProgressDisplay(io);
  try {
    const results = digestPaths(paths, { hashOptions, workers: request.workers, digestOf, onProgress: progress?.update });
    for await (const result of results) print(fileResult(result));
  } finally {
    progress?.stop();
  }
  const skipped = skippedSummary(skips);
  if (counts.failed > 0 || skipped !== "") io.stderr.write(`ncii-hash: ${counts.hashed} hashed, ${counts.failed} failed${skipped}\n`);
  return counts.failed > 0 ? EXIT_SOME_FAILED : EXIT_OK;
}

function fileResult(result: DigestResult): FileResult {
  if (!result.ok) return { path: result.name, ok: false, error: result.error };
  return "md5" in result ? { path: result.name, ok: true, md5: result.md5, size: result.size } : { path: result.name, ok: true, hash: result.hash };
}

/** `match` and `dupes` live in cli/commands/, added separately; until one exists its name is a usage error. */
async function runSubcommand(name: string, argv: string[], io: CliIo): Promise<number> {
  const specifier = `./commands/${name}.js`;
  let command: Partial<CliCommand>;
  try {
    command = (await import(specifier)) as Partial<CliCommand>;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" && String(error).includes(`commands/${name}.js`);
    if (missing) throw new UsageError(`"${name}" is not available in this version`);
    throw error;
  }
  if (typeof command.run !== "function") throw new UsageError(`"${name}" is not available in this version`);
  return command.run(argv, io);
}
