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
  const writer = (stream: NodeJS.WriteStream): CliWriter => ({
    write: (text) => void stream.write(text),
    isTTY: stream.isTTY === true,
  });
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    terminal: process.stderr.isTTY ? process.stderr : undefined,
  };
}
