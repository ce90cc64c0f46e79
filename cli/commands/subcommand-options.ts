/**
 * `match` and `dupes` take the main command's options (--resize, --dihedral, --engine, --workers...) plus a few
 * of their own. Their own are taken out here; the rest goes through the main parser (cli/args.ts), so every
 * shared option is read and checked in one place.
 */
import { parseArgs, UsageError, type CliRequest } from "../args.js";
import type { CliIo } from "../io.js";
import { EXIT_USAGE } from "../main.js";

export interface SubcommandArgs {
  /** The subcommand's own options that were given, by name. */
  own: Map<string, string>;
  /** What the main parser made of the rest. */
  request: CliRequest;
}

export function parseSubcommandArgs(argv: readonly string[], ownOptions: readonly string[]): SubcommandArgs {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const equals = arg.indexOf("=");
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!ownOptions.includes(name)) {
      rest.push(arg);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    own.set(name, value);
  }
  const request = parseArgs(rest);
  // Matching and grouping compare PDQ hashes; an MD5 only ever equals a byte-identical copy.
  if (request.kind === "hash" && request.md5) throw new UsageError("--md5 is for plain hashing; match and dupes compare PDQ hashes");
  if (request.kind === "hash" && (request.output !== undefined || request.shard !== undefined)) {
    throw new UsageError("--output, --resume and --shard are for plain hashing; match and dupes print to stdout");
  }
  return { own, request };
}

/** `--threshold`: a whole number of bits from 0 to 256. */
export function readThreshold(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const threshold = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(threshold >= 0 && threshold <= 256)) throw new UsageError(`--threshold must be a whole number from 0 to 256, not "${value}"`);
  return threshold;
}

/** Runs a subcommand body, turning usage mistakes into exit code 2 with a pointer to its help. */
export async function withUsageErrors(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`ncii-hash ${name}: ${error.message} (see ncii-hash ${name} --help)\n`);
    return EXIT_USAGE;
  }
}
