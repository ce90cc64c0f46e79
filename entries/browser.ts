/**
 * ncii-hasher without Node: the part of the library that runs the same in browsers, Web Workers, Deno and Node.
 * Nothing reachable from here imports `node:*`, so bundlers can take it as is. Kernels (WASM) are found next to
 * their modules through `new URL("./wasm/...", import.meta.url)`, which Vite, webpack and Rollup-based tools
 * follow without a plugin.
 *
 * ```ts
 * import { loadEngine, HashIndex } from "ncii-hasher/browser";
 * const engine = await loadEngine("wasm");
 * const { pdq, quality } = engine.hash(pixels, { resize: "full", dihedral: false });
 * ```
 * Fingerprinting whole files off the main thread: `ncii-hasher/pool/browser`, or the `<ncii-hasher>` component
 * from `ncii-hasher/web`.
 */
export { loadEngine } from "../src/engine/index.js";
export type { Channels, KernelOptions, PdqDigest, PdqEngine, PixelImage } from "../src/engine/types.js";
export { DIHEDRAL_NAMES } from "../src/engine/types.js";
export type { ImageHash } from "../src/hash-image.js";
export { HashError, toErrorInfo, type HashErrorCode, type HashErrorInfo } from "../src/errors.js";
export {
  DEFAULT_HASH_OPTIONS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  ENGINE_KINDS,
  /** @deprecated The same list as `ENGINE_KINDS`; use that. */
  ENGINE_KINDS as engineKinds,
  FAST_MIN_SHORT_SIDE,
  ORIENTATION_POLICIES,
  RESIZE_MODES,
  resolveHashOptions,
  type EngineKind,
  type HashOptions,
  type KernelResizeMode,
  type OrientationPolicy,
  type ResizeMode,
} from "../src/options.js";
export {
  hammingDistance,
  isPdqHex,
  pdqBitsToHex,
  pdqHexToBits,
  pdqHexToWords,
  pdqWordsToHex,
  PDQ_HEX_LENGTH,
  PDQ_MATCH_THRESHOLD,
  PDQ_QUALITY_THRESHOLD,
} from "../src/hash/pdq-hash.js";
export { sniffFormat, type ImageFormat } from "../src/decode/sniff.js";
export { IMAGE_FILE_EXTENSIONS } from "../src/decode/image-files.js";
export {
  HashIndex,
  type DihedralName,
  type HashIndexOptions,
  type HashMatch,
  type PdqQuery,
  type QueryOptions,
  type SearchStrategy,
} from "../src/match/hash-index.js";
export {
  DEFAULT_MAX_LIST_ENTRIES,
  HASH_LIST_FORMATS,
  HashListError,
  MAX_LIST_ID_LENGTH,
  MAX_LIST_LINE_LENGTH,
  parseHashList,
  type HashListEntry,
  type HashListFormat,
  type HashListOptions,
} from "../src/match/hash-list.js";
export { SCANNER_KINDS, type ScannerKind } from "../src/match/scanner.js";
export {
  findDuplicateGroups,
  type DuplicateGroup,
  type DuplicateLink,
  type DuplicateOptions,
  type DuplicateReport,
  type HashedPicture,
} from "../src/match/duplicate-groups.js";
export {
  checkSignal,
  imagePdqSignal,
  SIGNAL_FIELDS,
  SIGNAL_TYPES,
  videoMd5Signal,
  type ImagePdqSignal,
  type SignalRecord,
  type SignalType,
  type VideoMd5Signal,
} from "../src/formats/signal-record.js";
export {
  formatSignal,
  parseSignals,
  SIGNAL_FORMATS,
  SignalFormatError,
  signalHeaderLines,
  type SignalFormat,
} from "../src/formats/signals.js";
export { textLines, TextLineError, type ByteSource, type TextLinesOptions } from "../src/formats/streams.js";
export { md5Blob, md5Stream, type Md5Options } from "../src/md5/md5-stream.js";
export type {
  DigestKind,
  DigestResult,
  DigestTask,
  FailedOutcome,
  HashOutcome,
  HashPool,
  HashSource,
  HashTask,
  Md5Outcome,
  Md5Result,
  PoolOptions,
  PoolProgress,
  PoolResult,
  RunOptions,
} from "../src/pool-contract.js";
