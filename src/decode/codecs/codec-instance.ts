/**
 * Instances of the C decoders compiled to WebAssembly (codecs/, built by scripts/build-codecs.sh into
 * src/decode/wasm/). Such a module reports a fatal error by calling its `host.fail` import, which throws here: the
 * call unwinds to JavaScript, and since the C heap may then hold half-built state, that instance is dropped and the
 * next call gets a fresh one from the same compiled module. wasi-libc's stdio and exit are linked in but never
 * reached (error output is replaced by `host.fail`); their imports refuse.
 */
import { compileModule } from "../../platform/compile-wasm.js";

/** How a decoder failed, as the C glue classifies its library's errors (enum failure in codecs/host.h). */
export type CodecFailureKind = "damaged" | "truncated" | "unsupported";
const FAILURE_KINDS: readonly CodecFailureKind[] = ["damaged", "truncated", "unsupported"];

/** Thrown through the module when libjpeg or libwebp gives up, with the library's own message. */
export class CodecFailure extends Error {
  constructor(
    readonly kind: CodecFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "CodecFailure";
  }
}

export interface CodecExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  release(pointer: number): void;
}

/** Enough for a 12 MP photo's file, pixels and decoder state, which a batch of phone photos needs again and again. */
const KEPT_MEMORY_BYTES = 128 * 1024 * 1024;
const WASI_ERRNO_NOSYS = 52;
const refuse = () => WASI_ERRNO_NOSYS;
const WASI_STUBS = {
  environ_get: refuse,
  environ_sizes_get: refuse,
  fd_close: refuse,
  fd_seek: refuse,
  fd_write: refuse,
  proc_exit: () => {
    throw new Error("decoder called exit()");
  },
};

/**
 * One live instance of a codec module at a time, replaced after any failure. Not re-entrant: a worker decodes one
 * picture at a time.
 */
export class CodecInstance<T extends CodecExports> {
  private live: T | undefined;

  constructor(
    private readonly url: URL,
    private readonly what: string,
  ) {}

  /**
   * Runs `use` on a healthy instance; if it throws, the instance is discarded before the error goes on. A WebAssembly
   * memory never shrinks, so an instance that grew past KEPT_MEMORY_BYTES for one huge picture is dropped after it
   * too, rather than holding that much for the rest of the batch.
   */
  async run<R>(use: (codec: T) => R): Promise<R> {
    const codec = (this.live ??= await this.instantiate());
    try {
      return use(codec);
    } catch (error) {
      this.live = undefined;
      throw error;
    } finally {
      if (codec.memory.buffer.byteLength > KEPT_MEMORY_BYTES) this.live = undefined;
    }
  }

  private async instantiate(): Promise<T> {
    let memory: WebAssembly.Memory | undefined;
    const fail = (kind: number, messagePointer: number) => {
      throw new CodecFailure(FAILURE_KINDS[kind] ?? "damaged", memory ? readCString(memory.buffer, messagePointer) : "decoder failed");
    };
    const module = await compileModule(this.url, this.what);
    const instance = await WebAssembly.instantiate(module, { host: { fail }, wasi_snapshot_preview1: WASI_STUBS });
    const exports = instance.exports as unknown as T;
    memory = exports.memory;
    return exports;
  }
}

/** The NUL-terminated string at `pointer` in a module's memory (at most 512 bytes of it). */
export function readCString(memory: ArrayBufferLike, pointer: number): string {
  const bytes = new Uint8Array(memory, pointer);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? 0 : Math.min(end, 512)));
}

/** Copies `bytes` into the module's heap for the duration of `use`. */
export function withInput<T extends CodecExports, R>(codec: T, bytes: Uint8Array, use: (pointer: number) => R): R {
  const pointer = codec.alloc(bytes.length);
  if (pointer === 0) throw new CodecFailure("damaged", "out of memory for the file's bytes");
  try {
    new Uint8Array(codec.memory.buffer, pointer, bytes.length).set(bytes);
    return use(pointer);
  } finally {
    codec.release(pointer);
  }
}
