/**
 * Which pictures the Node decoder (node-sharp.ts) decodes off the calling thread, answered without loading sharp, so
 * a pool's own thread can turn a file down before it pays for sharp (workers/node-this-thread.ts): sharp decodes
 * on libuv's threads, but HEIC goes to libheif in WASM (heic-pixels.ts), which runs on the calling thread to the end.
 */
import { sniffFormat } from "./sniff.js";

export function decodesOffThisThread(bytes: Uint8Array): boolean {
  return sniffFormat(bytes) !== "heic";
}
