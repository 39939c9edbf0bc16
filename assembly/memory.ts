// Kernel-owned buffers: scratch slots the TypeScript side writes batches into, a
// small static result area, and the sketch handle table. Nothing managed crosses
// the boundary; TypeScript only sees pointers and lengths.

const SLOTS: i32 = 4;
const slotPtr: usize = memory.data(SLOTS * 8);
const slotCap: usize = memory.data(SLOTS * 8);

/** Static result area: 16 f64 values. */
export const RESULT: usize = memory.data(16 * 8, 16);

/** Ensures scratch slot `slot` holds at least `bytes` bytes; returns its pointer (contents not kept). */
export function scratchEnsure(slot: i32, bytes: i32): usize {
  if (slot < 0 || slot >= SLOTS) throw new Error('scratch: invalid slot ' + slot.toString());
  if (bytes < 0) throw new Error('scratch: negative size ' + bytes.toString());
  const at = (<usize>slot) << 3;
  const cap = load<usize>(slotCap + at);
  let ptr = load<usize>(slotPtr + at);
  if (<usize>bytes > cap || ptr == 0) {
    if (ptr != 0) heap.free(ptr);
    let want = cap < 64 ? <usize>64 : cap;
    while (want < <usize>bytes) want <<= 1;
    ptr = heap.alloc(want);
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
  const grown = heap.alloc((<usize>newCap) << 2);
  memory.fill(grown, 0, (<usize>newCap) << 2);
  if (handles != 0) {
    memory.copy(grown, handles, (<usize>handleCap) << 2);
    heap.free(handles);
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
