/** `ncii-hash` command line -> one typed request. Anything malformed is a `UsageError` (exit code 2). */
import { availableParallelism } from "node:os";
import {
  ENGINE_KINDS,
  ORIENTATION_POLICIES,
  RESIZE_MODES,
  resolveHashOptions,
  type EngineKind,
  type HashOptions,
  type OrientationPolicy,
  type ResizeMode,
} from "../src/options.js";
import { parseShard, ShardSpecError, type Shard } from "./shard.js";

/** `signals` and `signals-csv`: exchange records for hash-sharing services (src/formats), without file names. */
export type OutputFormat = "jsonl" | "csv" | "signals" | "signals-csv";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["jsonl", "csv", "signals", "signals-csv"];

export interface HashRequest {
  kind: "hash";
  paths: string[];
  hashOptions: HashOptions;
  format: OutputFormat;
  /** MD5 of every file's bytes instead of PDQ; folders then yield every file, not only pictures. */
  md5: boolean;
  /** Worker threads; 0 hashes in the main thread. */
  workers: number;
  /** `--output FILE`: result lines go to FILE (and its journal beside it) instead of stdout. */
  output?: string;
  /** `--resume`: carry on from what FILE already holds. */
  resume: boolean;
  /** `--shard INDEX/COUNT`: only the files assigned to this shard. */
  shard?: Shard;
  /** Follow symbolic links met inside folders (links named on the command line are always followed). */
  followSymlinks: boolean;
}

export type CliRequest = HashRequest | { kind: "help" } | { kind: "version" };

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `Usage: ncii-hash [options] <file|folder>...

Computes the PDQ fingerprint of each picture, and the MD5 of each video (what hash lists use for videos).
Pictures: JPEG, PNG, WebP, GIF, HEIC/HEIF (iPhone photos), AVIF and TIFF.
Folders are searched, sorted, including subfolders; files in them that are not pictures or videos are skipped.
Nothing is sent anywhere: the fingerprints are printed here.

Output (stdout), one line per file:
  {"path": "...", "pdq": "<64 hex>", "quality": 0-100, "width": N, "height": N}
  {"path": "...", "md5": "<32 hex>", "size": N}        (videos, and every file with --md5)
  {"path": "...", "error": {"code": "...", "message": "..."}}
With --resize fast, hash lines also say "resize": "fast" (CSV: a resize column).
CSV holds one kind of line: pictures' PDQ (videos are skipped), or with --md5 every file's MD5
(columns path,md5,size,error_code,error_message).

Options:
  --resize full|512|fast      full: hash at full resolution (default; what HMA and pdqhash compute)
                              512: shrink larger pictures to 512x512 first (Meta's reference command line)
                              fast: decode large JPEGs at reduced scale (shorter side >= 512) for bulk
                              triage; a few bits from full, so use full for hashes shared with platforms
  --dihedral                  also print the 8 rotated/flipped variants: orig, rot90, rot180, rot270,
                              flipx, flipy, flipplus1, flipminus1
  --orientation apply|ignore  apply the EXIF rotation as viewers do (default), or hash the stored pixels
  --format jsonl|csv|signals|signals-csv
                              output format (default jsonl; csv has a header row). signals: records for
                              hash-sharing services, {"signalType": "ImagePDQ"|"VideoMD5", "hashValue": ...},
                              as JSON Lines (signals) or CSV (signals-csv), without file names; failures go
                              to stderr
  --md5                       MD5 of every file's bytes instead of PDQ (folders: every file, not only pictures)
  --engine wasm|js            fingerprinting engine (default wasm); both give identical results
  --max-pixels N              refuse pictures larger than N pixels (default 100000000)
  --max-bytes N               refuse picture files larger than N bytes before reading them
                              (default 268435456, 256 MiB; MD5s stream any size)
  --follow-symlinks           follow symbolic links inside folders (default: skip them)
  --workers N                 worker threads (default: one per core); 0 hashes in the main thread
  --output FILE               append the result lines to FILE instead of stdout, each as it finishes, with
                              FILE.journal (which file each line is for) and, at the end, FILE.summary.json;
                              an existing FILE is refused unless --resume is given
  --resume                    with --output: carry on from FILE (or start it if it does not exist): files
                              already there with the same size and mtime are skipped, changed ones hashed
                              again; refused if FILE was made with other options or inputs
  --shard INDEX/COUNT         hash only this shard's share of the files (0-based INDEX of COUNT machines;
                              auto/COUNT reads INDEX from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed
                              Job). Files are assigned by their path below the folder named (a named file:
                              its path as written), so every machine agrees
  -h, --help                  show this help
  --version                   show the version

Exit status: 0 every file hashed, 1 some file failed (the others are still hashed; with --output: some
file in FILE), 2 usage error or an --output FILE that cannot be used, 130/143 stopped by Ctrl-C/SIGTERM
(with --output, run again with --resume to carry on).`;

type Values = {
  resize?: ResizeMode;
  engine?: EngineKind;
  orientation?: OrientationPolicy;
  format?: OutputFormat;
  maxPixels?: number;
  maxBytes?: number;
  workers?: number;
  dihedral?: boolean;
  md5?: boolean;
  resume?: boolean;
  output?: string;
  shard?: Shard;
  followSymlinks?: boolean;
};

/** Options that take no value, and what each sets. */
const FLAGS = new Map<string, "dihedral" | "md5" | "resume" | "followSymlinks">([
  ["--dihedral", "dihedral"],
  ["--md5", "md5"],
  ["--resume", "resume"],
  ["--follow-symlinks", "followSymlinks"],
]);

type Environment = Readonly<Record<string, string | undefined>>;

/** Options that take a value, and how each value is read. */
const VALUE_OPTIONS: Record<string, (value: string, into: Values, env: Environment) => void> = {
  "--resize": (value, into) => (into.resize = oneOf("--resize", value, RESIZE_MODES)),
  "--engine": (value, into) => (into.engine = oneOf("--engine", value, ENGINE_KINDS)),
  "--orientation": (value, into) => (into.orientation = oneOf("--orientation", value, ORIENTATION_POLICIES)),
  "--format": (value, into) => (into.format = oneOf("--format", value, OUTPUT_FORMATS)),
  "--max-pixels": (value, into) => (into.maxPixels = wholeNumber("--max-pixels", value, 1)),
  "--max-bytes": (value, into) => (into.maxBytes = wholeNumber("--max-bytes", value, 1)),
  "--workers": (value, into) => (into.workers = wholeNumber("--workers", value, 0)),
  "--output": (value, into) => (into.output = nonEmpty("--output", value)),
  "--shard": (value, into, env) => (into.shard = shardOption(value, env)),
};

/** `env`: where `--shard auto/COUNT` reads JOB_COMPLETION_INDEX. */
export function parseArgs(argv: readonly string[], env: Environment = process.env): CliRequest {
  const values: Values = {};
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") return { kind: "help" };
    if (arg === "--version") return { kind: "version" };
    const flag = FLAGS.get(arg);
    if (flag) {
      values[flag] = true;
      continue;
    }
    const equals = arg.indexOf("=");
    if (equals > 0 && FLAGS.has(arg.slice(0, equals))) throw new UsageError(`${arg.slice(0, equals)} takes no value`);
    if (!arg.startsWith("-") || arg === "-") {
      paths.push(arg);
      continue;
    }
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const read = VALUE_OPTIONS[name];
    if (!read) throw new UsageError(`unknown option ${name}`);
    let value: string | undefined;
    if (equals > 0) value = arg.slice(equals + 1);
    else value = argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    read(value, values, env);
  }
  if (paths.length === 0) throw new UsageError("no files or folders given");
  if (values.resume && values.output === undefined) throw new UsageError("--resume carries on an --output FILE: give --output FILE too");
  return {
    kind: "hash",
    paths,
    hashOptions: resolveHashOptions({
      resize: values.resize,
      engine: values.engine,
      orientation: values.orientation,
      maxPixels: values.maxPixels,
      maxBytes: values.maxBytes,
      dihedral: values.dihedral,
    }),
    format: values.format ?? "jsonl",
    md5: values.md5 ?? false,
    workers: values.workers ?? availableParallelism(),
    output: values.output,
    resume: values.resume ?? false,
    shard: values.shard,
    followSymlinks: values.followSymlinks ?? false,
  };
}

function shardOption(value: string, env: Environment): Shard {
  try {
    return parseShard(value, env);
  } catch (error) {
    throw error instanceof ShardSpecError ? new UsageError(error.message) : error;
  }
}

function nonEmpty(name: string, value: string): string {
  if (value === "") throw new UsageError(`${name} needs a file name`);
  return value;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} must be ${allowed.join(" or ")}, not "${value}"`);
}

export function wholeNumber(name: string, value: string, min: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not "${value}"`);
  return number;
}
