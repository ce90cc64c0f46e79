/**
 * Linear memory for one image at a time. Every buffer the pipeline needs is sized from the image's width when
 * `begin` is called and carved from one arena that is reset per image: no allocator, no GC, no fragmentation.
 * Memory grows to the widest image seen and is reused after that (WebAssembly memory cannot shrink).
 */

let top: usize = 0;

/** Forgets every allocation of the previous image. */
export function resetArena(): void {
  top = (__heap_base + 15) & ~15;
}

/** 16-byte aligned block of `bytes`; grows memory when needed and aborts (a trap the host reports) when it can't. */
export function allocate(bytes: usize): usize {
  const start = (top + 15) & ~15;
  top = start + bytes;
  const available = (<usize>memory.size()) << 16;
  if (top > available) {
    const pages = <i32>((top - available + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
  return start;
}
