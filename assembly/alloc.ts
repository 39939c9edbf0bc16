// Kernel memory. The modules are built on AssemblyScript's stub runtime: a bump
// heap with no collector and no general free (nothing managed outlives an abort
// message, so a collector and its TLSF allocator would be dead weight in every
// download). Every buffer the kernels own comes from here instead: requests are
// rounded up to size classes, four per power of two from 32 bytes, and a freed
// block goes onto its class's free list, where the next request of that class
// takes it. Blocks never split, coalesce or return to the bump heap, so the waste
// per block is under 25 % plus a 16-byte header, and a workload that frees and
// re-requests the same sizes (windows, sketches growing and being reset) runs in
// the memory of its peak.

/** Classes 0..103 cover requests up to 2^31 bytes; 128 heads leave room. */
const CLASSES: i32 = 128;
/** Free-list heads, one pointer per class (0: empty). */
const freeHeads: usize = memory.data(CLASSES * 4, 4);
/** Bytes in front of each block: its class, keeping the block 16-byte aligned. */
const HEADER: usize = 16;

/** The class of a request: 0 up to 32 bytes, then four classes per power of two. */
export function blockClass(bytes: usize): i32 {
  if (bytes <= 32) return 0;
  // 2^e < bytes <= 2^(e+1), e >= 5; the class's step is 2^(e-2).
  const e = 31 - <i32>clz<u32>(<u32>(bytes - 1));
  const steps = <i32>((<u32>(bytes - 1)) >> (e - 2)) + 1; // 5..8
  return (e - 5) * 4 + steps - 4;
}

/** The bytes a block of class `c` holds. */
export function blockClassBytes(c: i32): usize {
  if (c == 0) return 32;
  const e = (c - 1) / 4 + 5;
  const steps = (c - 1) % 4 + 5;
  return (<usize>steps) << (e - 2);
}

/** A block of at least `bytes` bytes, 16-byte aligned; its contents are not cleared. */
export function blockAlloc(bytes: usize): usize {
  const c = blockClass(bytes);
  const head = freeHeads + ((<usize>c) << 2);
  let p = load<usize>(head);
  if (p != 0) {
    store<usize>(head, load<usize>(p));
    return p;
  }
  p = heap.alloc(blockClassBytes(c) + HEADER) + HEADER;
  store<i32>(p - HEADER, c);
  return p;
}

/** Returns a block from {@link blockAlloc} to its class's free list (0 is ignored). */
export function blockFree(p: usize): void {
  if (p == 0) return;
  const head = freeHeads + ((<usize>load<i32>(p - HEADER)) << 2);
  store<usize>(p, load<usize>(head));
  store<usize>(head, p);
}
