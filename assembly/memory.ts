// Kernel-owned buffers: scratch slots the TypeScript side writes batches into, a
// small static result area, and the sketch handle table. Nothing managed crosses
// the boundary; TypeScript only sees pointers and lengths.

import { blockAlloc, blockFree } from './alloc';

const SLOTS: i32 = 4;
const slotPtr: usize = memory.data(SLOTS * 8);
const slotCap: usize = memory.data(SLOTS * 8);

/** Static result area: 16 f64 values. */
export const RESULT: usize = memory.data(16 * 8, 16);

/**
 * Keeps the numbers an abort message names, in RESULT's last two slots: the
 * host (src/kernel/wasm-sketch-kernel.ts) puts them in place of the message's
 * `{0}` and `{1}`, so the module carries no number formatting. Called right
 * before the `throw`, which keeps the abort's file and line.
 */
export function abortDetail(a: f64, b: f64 = 0): void {
  store<f64>(RESULT, a, 14 * 8);
  store<f64>(RESULT, b, 15 * 8);
}

/** Ensures scratch slot `slot` holds at least `bytes` bytes; returns its pointer (contents not kept). */
export function scratchEnsure(slot: i32, bytes: i32): usize {
  if (slot < 0 || slot >= SLOTS) {
    abortDetail(slot);
    throw new Error('scratch: invalid slot {0}');
  }
  if (bytes < 0) {
    abortDetail(bytes);
    throw new Error('scratch: negative size {0}');
  }
  const at = (<usize>slot) << 3;
  const cap = load<usize>(slotCap + at);
  let ptr = load<usize>(slotPtr + at);
  if (<usize>bytes > cap || ptr == 0) {
    if (ptr != 0) blockFree(ptr);
    let want = cap < 64 ? <usize>64 : cap;
    while (want < <usize>bytes) want <<= 1;
    ptr = blockAlloc(want);
    store<usize>(slotPtr + at, ptr);
    store<usize>(slotCap + at, want);
  }
  return ptr;
}

let handles: usize = 0;
let handleCap: i32 = 0;

/** Stores `ptr` in the lowest free handle slot (handles start at 1). */
export function handleAdd(ptr: usize): i32 {
  for (let h: i32 = 1; h < handleCap; h++) {
    if (load<usize>(handles + ((<usize>h) << 2)) == 0) {
      store<usize>(handles + ((<usize>h) << 2), ptr);
      return h;
    }
  }
  const h = handleCap < 1 ? 1 : handleCap;
  const newCap = h < 8 ? 16 : h * 2;
  const grown = blockAlloc((<usize>newCap) << 2);
  memory.fill(grown, 0, (<usize>newCap) << 2);
  if (handles != 0) {
    memory.copy(grown, handles, (<usize>handleCap) << 2);
    blockFree(handles);
  }
  handles = grown;
  handleCap = newCap;
  store<usize>(handles + ((<usize>h) << 2), ptr);
  return h;
}

/** The pointer stored at handle `h`, or 0 when `h` is not live. */
export function handleGet(h: i32): usize {
  if (h <= 0 || h >= handleCap) return 0;
  return load<usize>(handles + ((<usize>h) << 2));
}

/** Clears handle `h` (no-op when not live). */
export function handleClear(h: i32): void {
  if (h > 0 && h < handleCap) store<usize>(handles + ((<usize>h) << 2), 0);
}
