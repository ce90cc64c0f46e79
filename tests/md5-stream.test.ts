import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { HashError } from "../src/errors.js";
import { md5File } from "../src/md5/md5-file.js";
import { md5Blob, md5Stream } from "../src/md5/md5-stream.js";
import { CORPUS, VECTORS } from "./support/fixtures.js";

/** RFC 1321, appendix A.5. */
const RFC_1321 = [
  ["", "d41d8cd98f00b204e9800998ecf8427e"],
  ["a", "0cc175b9c0f1b6a831c399e269772661"],
  ["abc", "900150983cd24fb0d6963f7d28e17f72"],
  ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
  ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
  ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
  ["1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"],
] as const;

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
}

describe("md5Stream", () => {
  it.each(RFC_1321)("RFC 1321 %j, whole and in 1- and 3-byte chunks", async (text, expected) => {
    const bytes = new TextEncoder().encode(text);
    for (const size of [Math.max(bytes.length, 1), 1, 3]) {
      expect(await md5Stream(Readable.from(chunked(bytes, size)))).toBe(expected);
    }
  });

  it("reads web streams and Blobs (browser Files) as well as Node streams", async () => {
    const bytes = readFileSync(`${CORPUS}skimage-astronaut.q90.jpg`);
    const expected = createHash("md5").update(bytes).digest("hex");
    expect(await md5Blob(new Blob([bytes]))).toBe(expected);
    expect(await md5Stream(new Blob([bytes]).stream())).toBe(expected);
  });

  it("reports progress and stops with `cancelled` when aborted", async () => {
    const seen: number[] = [];
    await md5Stream(Readable.from(chunked(new Uint8Array(10), 4)), { onProgress: (bytes) => seen.push(bytes) });
    expect(seen).toEqual([4, 8, 10]);

    const controller = new AbortController();
    const source = (async function* () {
      yield new Uint8Array(4);
      controller.abort();
      yield new Uint8Array(4);
    })();
    const failure = await md5Stream(source, { signal: controller.signal }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HashError);
    expect((failure as HashError).code).toBe("cancelled");
  });

  it("hashes a 2 GiB stream with flat memory, equal to Node's crypto MD5", { tags: ["slow"], timeout: 120_000 }, async () => {
    const chunkBytes = 1 << 20;
    const chunks = 2048;
    // Deterministic pseudo-random bytes; every chunk is a fresh allocation (so keeping any of them would show in
    // RSS) and carries its index (so reordering or dropping one would change the digest).
    const pattern = new Uint8Array(chunkBytes);
    let state = 0x9e3779b9;
    for (let i = 0; i < chunkBytes; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      pattern[i] = state >>> 24;
    }
    const reference = createHash("md5");
    const rss: number[] = [];
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < chunks; i++) {
        const chunk = Buffer.allocUnsafe(chunkBytes);
        chunk.set(pattern);
        chunk.writeUInt32BE(i, i % (chunkBytes - 4));
        reference.update(chunk);
        if (i % 64 === 0) rss.push(process.memoryUsage().rss);
        yield chunk;
      }
    }
    const digest = await md5Stream(generate());
    expect(digest).toBe(reference.digest("hex"));
    const baseline = rss[1]!;
    const growthMiB = (Math.max(...rss.slice(1)) - baseline) / 2 ** 20;
    expect(growthMiB).toBeLessThan(128);
  });
});

describe("md5File", () => {
  it("equals the MD5 of the whole file read at once", async () => {
    for (const path of [`${CORPUS}opencv-graf1.png`, `${VECTORS}reg-test-input/pen-and-coaster.png`]) {
      expect(await md5File(path)).toBe(createHash("md5").update(readFileSync(path)).digest("hex"));
    }
  });

  it("fails with read-failed for a file that cannot be read", async () => {
    await expect(md5File(`${CORPUS}no-such-file.mp4`)).rejects.toMatchObject({ code: "read-failed" });
    await expect(md5File(CORPUS)).rejects.toMatchObject({ code: "read-failed" });
  });
});
