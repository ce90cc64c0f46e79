import { constants } from "node:os";
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
  /**
   * Aborted at the first Ctrl-C (SIGINT) or SIGTERM, with the signal's name as its reason, so the command can stop
   * cleanly; a second signal ends the process at once. The signals are taken over only once this is called:
   * commands that never call it keep the default, where the process ends. Absent: nothing interrupts.
   */
  interruptions?(): AbortSignal;
}

/** The exit status of a process stopped by a signal, as shells report it: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
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
    interruptions: once(() => {
      const controller = new AbortController();
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
          if (controller.signal.aborted) process.exit(signalExitCode(signal));
          controller.abort(signal);
        });
      }
      return controller.signal;
    }),
  };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
