import { escapeControlCharacters } from "../src/formats/control-characters.js";

/** Where a command writes. Commands take this instead of touching `process`, so they can run inside tests. */
export interface CliWriter {
  write(text: string): void;
  readonly isTTY: boolean;
}

export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  /** The terminal behind stderr, for live progress; absent when stderr is not a terminal. */
  terminal?: NodeJS.WriteStream;
}

/** A subcommand module (cli/commands/<name>.ts): returns the exit code. */
export interface CliCommand {
  run(argv: string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  const writer = (stream: NodeJS.WriteStream, write: (text: string) => string = (text) => text): CliWriter => ({
    write: (text) => void stream.write(write(text)),
    isTTY: stream.isTTY === true,
  });
  return {
    // stdout's formats escape what they print themselves (JSON, CSV). Messages on stderr quote file names, hash
    // list lines and parser errors, so every control character in them is escaped here, at the one way out.
    stdout: writer(process.stdout),
    stderr: writer(process.stderr, (text) => escapeControlCharacters(text, true)),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
  };
}
