// The parser fuzzer's worker (tests/fuzz-parsers.test.ts): runs every header reader and the hash-list reader on
// each case it is sent and replies with what was wrong. A worker so that a case can be held to a memory budget
// (the worker's heap limit) and stopped when it runs over its time. Plain JavaScript, on the built dist/, because
// worker threads run outside Vitest's TypeScript transform.
import { parentPort } from "node:worker_threads";
import { checkImageHeader } from "../../dist/src/decode/check-header.js";
import { HEADER_READERS } from "../../dist/src/decode/headers/index.js";
import { jpegHeaderSegments } from "../../dist/src/decode/headers/jpeg.js";
import { sniffFormat } from "../../dist/src/decode/sniff.js";
import { HashError } from "../../dist/src/errors.js";
import { textLines } from "../../dist/src/formats/streams.js";
import { HashListError, MAX_LIST_ID_LENGTH, MAX_LIST_LINE_LENGTH, parseHashList } from "../../dist/src/match/hash-list.js";

const LIMITS = { maxPixels: 100_000_000 };
const HEADER_CODES = new Set(["empty", "not-an-image", "truncated", "too-many-pixels", "decode-failed"]);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A head at least this long holds everything the sniffer reads (an ftyp box's brands included). */
const SNIFFABLE = 512;

function isSize(value) {
  return Number.isInteger(value) && value >= 0 && value <= 2 ** 32;
}

function headerCode(bytes) {
  try {
    checkImageHeader(bytes, LIMITS);
    return undefined;
  } catch (error) {
    return error instanceof HashError ? error.code : `a ${error?.name ?? typeof error}: ${String(error?.message ?? error)}`;
  }
}

function headerProblems(bytes) {
  const problems = [];
  sniffFormat(bytes);
  for (const [format, reader] of Object.entries(HEADER_READERS)) {
    const dimensions = reader.dimensions(bytes);
    if (dimensions !== undefined && !(isSize(dimensions.width) && isSize(dimensions.height))) {
      problems.push(`${format} reader gave ${JSON.stringify(dimensions)}`);
    }
    if (typeof reader.endsEarly(bytes) !== "boolean") problems.push(`${format} endsEarly is not a boolean`);
  }
  let segments = 0;
  let previous = -1;
  for (const { start } of jpegHeaderSegments(bytes)) {
    if (start <= previous || ++segments > bytes.length) return [...problems, "JPEG segments do not move forward"];
    previous = start;
  }
  const whole = headerCode(bytes);
  if (whole !== undefined && !HEADER_CODES.has(whole)) problems.push(`checkImageHeader threw ${whole}`);
  // A reader checks a file's head before reading the rest: the head must never be refused where the whole
  // file passes, nor with another code.
  for (const length of new Set([SNIFFABLE, bytes.length >> 1, bytes.length - 1])) {
    if (length < SNIFFABLE || length >= bytes.length) continue;
    const head = headerCode(bytes.subarray(0, length));
    if (head !== undefined && head !== whole) problems.push(`its first ${length} bytes give ${head}, the whole file ${whole ?? "no error"}`);
  }
  return problems;
}

async function* chunksOf(bytes, size) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function listProblems(bytes, chunkSize, maxEntries) {
  const problems = [];
  try {
    const lines = textLines(chunksOf(bytes, chunkSize), { maxLineLength: MAX_LIST_LINE_LENGTH });
    let entries = 0;
    for await (const { id, hash } of parseHashList(lines, { maxEntries })) {
      if (!/^[0-9a-f]{64}$/.test(hash)) problems.push(`entry ${JSON.stringify(hash)} is not a lower-case PDQ hash`);
      if (typeof id !== "string" || id === "" || id.length > MAX_LIST_ID_LENGTH) problems.push(`entry id ${JSON.stringify(id)}`);
      if (++entries > maxEntries) problems.push(`more than ${maxEntries} entries`);
    }
  } catch (error) {
    if (!(error instanceof HashListError)) return [`threw ${error?.name}: ${error?.message} instead of a HashListError`];
    if (!Number.isInteger(error.line) || error.line < 1) problems.push(`HashListError on line ${error.line}`);
    if (!error.message.startsWith(`hash list line ${error.line}: `)) problems.push(`message ${JSON.stringify(error.message)}`);
    if (CONTROL.test(error.message)) problems.push(`message holds control characters: ${JSON.stringify(error.message)}`);
  }
  return problems;
}

parentPort.on("message", async ({ seed, kind, bytes, chunkSize, maxEntries }) => {
  let problems;
  try {
    // "ping": answered once the modules are loaded, so that start-up is not counted against the first case.
    problems = kind === "ping" ? [] : kind === "list" ? await listProblems(bytes, chunkSize, maxEntries) : headerProblems(bytes);
  } catch (error) {
    problems = [`threw ${error?.name}: ${error?.message}`];
  }
  parentPort.postMessage({ seed, problems });
});
