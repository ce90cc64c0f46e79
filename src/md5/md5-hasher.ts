/**
 * hash-wasm's MD5 in a module of its own, which md5-stream.ts imports on first use: importing the package by name
 * there would bundle every one of its algorithms into the browser worker.
 */
export { createMD5 } from "hash-wasm";
