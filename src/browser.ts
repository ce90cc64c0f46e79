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
export { engineKinds, loadEngine } from "./engine/index.js";
export type { Channels, KernelOptions, PdqDigest, PdqEngine, PixelImage } from "./engine/types.js";
export { DIHEDRAL_NAMES } from "./engine/types.js";
export type { ImageHash } from "./hash-image.js";
export { HashError, toErrorInfo, type HashErrorCode, type HashErrorInfo } from "./errors.js";
export {
  DEFAULT_HASH_OPTIONS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  ENGINE_KINDS,
  FAST_MIN_SHORT_SIDE,
  ORIENTATION_POLICIES,
  RESIZE_MODES,
  resolveHashOptions,
  type EngineKind,
  type HashOptions,
  type KernelResizeMode,
  type OrientationPolicy,
  type ResizeMode,
} from "./options.js";
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
} from "./hash/pdq-hash.js";
export { sniffFormat, IMAGE_FILE_EXTENSIONS, type ImageFormat } from "./decode/sniff.js";
export {
  HashIndex,
  type DihedralName,
  type HashIndexOptions,
  type HashMatch,
  type PdqQuery,
  type QueryOptions,
  type SearchStrategy,
} from "./match/hash-index.js";
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
} from "./match/hash-list.js";
export { SCANNER_KINDS, type ScannerKind } from "./match/scanner.js";
export {
  findDuplicateGroups,
  type DuplicateGroup,
  type DuplicateLink,
  type DuplicateOptions,
  type DuplicateReport,
  type HashedPicture,
} from "./match/duplicate-groups.js";
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
} from "./formats/signal-record.js";
export {
  formatSignal,
  parseSignals,
  SIGNAL_FORMATS,
  SignalFormatError,
  signalHeaderLines,
  type SignalFormat,
} from "./formats/signals.js";
export { textLines, TextLineError, type ByteSource, type TextLinesOptions } from "./formats/streams.js";
export { md5Blob, md5Stream, type Md5Options } from "./md5/md5-stream.js";
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
} from "../workers/types.js";
