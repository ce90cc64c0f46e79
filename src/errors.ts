/**
 * Per-file failure codes. They are part of the CLI's and the component's contract: stable, kebab-case, and the
 * same in Node and in the browser. Messages say what a person can do about it.
 */
export type HashErrorCode =
  | "empty"
  | "truncated"
  | "unsupported-format"
  | "not-an-image"
  | "too-many-pixels"
  | "file-too-large"
  | "decode-failed"
  | "pixels-altered"
  | "read-failed"
  | "worker-failed"
  | "timeout"
  | "cancelled"
  | "integrity-failed";

export interface HashErrorInfo {
  code: HashErrorCode;
  message: string;
}

export class HashError extends Error {
  readonly code: HashErrorCode;

  constructor(code: HashErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HashError";
    this.code = code;
  }

  toJSON(): HashErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into the stable shape; unknown failures become `decode-failed`, never a crash. */
export function toErrorInfo(error: unknown): HashErrorInfo {
  if (error instanceof HashError) return error.toJSON();
  if (isErrorInfo(error)) return { code: error.code, message: error.message };
  return { code: "decode-failed", message: `This file could not be read as a picture (${messageOf(error)}).` };
}

export function isErrorInfo(value: unknown): value is HashErrorInfo {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as HashErrorInfo).code === "string" &&
    typeof (value as HashErrorInfo).message === "string"
  );
}

/**
 * A file or folder that could not be opened or read. Node's error code (ENOENT, EACCES, EISDIR...) says what went
 * wrong without echoing the path back, which Node's own messages do.
 */
export function readFailed(error: unknown, subject: "file" | "folder" = "file"): HashError {
  const code = systemCode(error);
  const reason =
    code === "ENOENT"
      ? "it does not exist (it may have been moved or renamed)"
      : code === "EACCES" || code === "EPERM"
        ? "this account is not allowed to read it"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : `the system said ${errorDetail(error)}`;
  return new HashError("read-failed", `This ${subject} could not be read: ${reason}.`, { cause: error });
}

/** Something that is not a regular file (`kind`: "a folder", "a named pipe"...), refused without being read. */
export function notARegularFile(kind: string): HashError {
  return new HashError("read-failed", `This is ${kind}, not a regular file, so it was not read.`);
}

/** A file named by its path where files cannot be opened by path (a browser: files are chosen, not named). */
export function pathNotReadable(): HashError {
  return new HashError("read-failed", "In a browser a file must be chosen, not named by its path.");
}

/** A file stopped before it was fingerprinted (by the person, a signal or a closed pool's caller): on every path. */
export function cancelled(cause?: unknown): HashError {
  return new HashError("cancelled", "Cancelled before this file was fingerprinted.", { cause });
}

/** A fingerprinting engine that could not load; `worker-failed`, as a worker that could not start reports it. */
export function engineFailed(kind: string, error: unknown): HashError {
  return new HashError("worker-failed", `The ${kind} fingerprinting engine could not start (${errorDetail(error)}).`, { cause: error });
}

/** The words of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What went wrong, for a message: Node's error code when there is one (it never repeats the path), else the text. */
export function errorDetail(error: unknown): string {
  return systemCode(error) ?? messageOf(error);
}

function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
