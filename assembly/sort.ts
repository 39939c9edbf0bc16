// Sorting f64 by their IEEE bits (the reference kernel sorts by another method: both
// return the same values, bit for bit, as Float64Array.prototype.sort does for NaN-free
// input). Keys use the sign-flip trick (negative: flip all bits; positive: flip the sign
// bit), which orders every non-NaN double numerically with -0 before +0.
//
// Most significant digit first, so that few passes touch the whole array in memory:
// the keys, their range, one scatter into up to 65536 buckets by the top varying bits,
// a final insertion pass and the write-back. Each large bucket is sorted while it is in
// cache the same way (its own range, a split into about one key per bucket, sorted
// sub-buckets for the few large ones, one insertion pass in which each key moves only
// within its small bucket).

import { blockAlloc } from './alloc';

/** Buckets this small are insertion-sorted. */
const INSERTION_MAX: i32 = 32;
const WINDOW: i32 = 16;
const BUCKETS: i32 = 1 << WINDOW;
/**
 * Split levels: a bucket of more than INSERTION_MAX keys splits on at least 5 of its
 * varying bits (or on all of them), so splits happen at depths 0..12 only (the 64 key
 * bits); a level's 2^WINDOW histogram is allocated when a split first reaches it.
 */
const MAX_DEPTH: i32 = 14;
const windowHist: usize = memory.data(MAX_DEPTH * 8, 8);

/** The sort key of an f64's bits: unsigned order of keys = numeric order of the values. */
// @ts-ignore: decorator
@inline
export function keyOf(bits: u64): u64 {
  return (bits >> 63) != 0 ? ~bits : bits | 0x8000_0000_0000_0000;
}

// @ts-ignore: decorator
@inline
function bitsOf(key: u64): u64 {
  return (key >> 63) != 0 ? key & 0x7fff_ffff_ffff_ffff : ~key;
}

// @ts-ignore: decorator
@inline
function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

function insertionSort(p: usize, n: i32): void {
  for (let i: i32 = 1; i < n; i++) {
    const key = load<u64>(at(p, i));
    let j = i - 1;
    while (j >= 0) {
      const prev = load<u64>(at(p, j));
      if (prev <= key) break;
      store<u64>(at(p, j + 1), prev);
      j--;
    }
    store<u64>(at(p, j + 1), key);
  }
}

/** The histogram of a split at `depth` (2^WINDOW counters, allocated on first use). */
function splitHist(depth: i32): usize {
  const slot = windowHist + ((<usize>depth) << 3);
  let hist = load<usize>(slot);
  if (hist == 0) {
    hist = blockAlloc((<usize>BUCKETS) << 2);
    store<usize>(slot, hist);
  }
  return hist;
}

/**
 * Scatters n keys from p to tmp by the `width` bits at `shift` (stable counting pass).
 * Afterwards hist[d] is the end of bucket d in tmp.
 */
function split(p: usize, tmp: usize, n: i32, shift: i32, width: i32, hist: usize): void {
  const buckets = 1 << width;
  const mask = <u64>(buckets - 1);
  const s = <u64>shift;
  memory.fill(hist, 0, (<usize>buckets) << 2);
  for (let i: i32 = 0; i < n; i++) {
    const h = hist + (<usize>((load<u64>(at(p, i)) >> s) & mask) << 2);
    store<u32>(h, load<u32>(h) + 1);
  }
  let sum: u32 = 0;
  for (let d: i32 = 0; d < buckets; d++) {
    const h = hist + ((<usize>d) << 2);
    const c = load<u32>(h);
    store<u32>(h, sum);
    sum += c;
  }
  for (let i: i32 = 0; i < n; i++) {
    const key = load<u64>(at(p, i));
    const h = hist + (<usize>((key >> s) & mask) << 2);
    const to = load<u32>(h);
    store<u32>(h, to + 1);
    store<u64>(at(tmp, <i32>to), key);
  }
}

/** Width of a split of n keys on `bits` varying bits: one or two keys per bucket, at most WINDOW bits. */
// @ts-ignore: decorator
@inline
function splitWidth(n: i32, bits: i32): i32 {
  let w = 31 - <i32>clz<u32>(<u32>n);
  if (w > WINDOW) w = WINDOW;
  if (w < 1) w = 1;
  return w < bits ? w : bits;
}

/** Number of low bits in which keys mn..mx can differ. */
// @ts-ignore: decorator
@inline
function varyingBits(mn: u64, mx: u64): i32 {
  const diff = mn ^ mx;
  return diff == 0 ? 0 : 64 - <i32>clz<u64>(diff);
}

/** Sorts n keys at p using n slots at tmp; returns p or tmp, whichever holds the result. */
function sortKeys(p: usize, tmp: usize, n: i32, depth: i32): usize {
  if (n <= INSERTION_MAX) {
    insertionSort(p, n);
    return p;
  }
  let mn: u64 = 0xffff_ffff_ffff_ffff;
  let mx: u64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const key = load<u64>(at(p, i));
    if (key < mn) mn = key;
    if (key > mx) mx = key;
  }
  const bits = varyingBits(mn, mx);
  if (bits == 0) return p;
  const width = splitWidth(n, bits);
  const hist = splitHist(depth);
  split(p, tmp, n, bits - width, width, hist);
  // buckets of a few keys are left for one insertion pass over the whole range, where
  // each key moves only within its bucket; larger ones are sorted first
  const buckets = 1 << width;
  let start: i32 = 0;
  for (let d: i32 = 0; d < buckets; d++) {
    const end = <i32>load<u32>(hist + ((<usize>d) << 2));
    const c = end - start;
    if (c > INSERTION_MAX) {
      const q = at(tmp, start);
      const r = sortKeys(q, at(p, start), c, depth + 1);
      if (r != q) memory.copy(q, r, (<usize>c) << 3);
    }
    start = end;
  }
  insertionSort(tmp, n);
  return tmp;
}

/**
 * Sorts n f64 at `input` using buffers a and b (n slots each); returns the pointer
 * (a or b) holding the sorted values. `input` is left unchanged.
 */
export function sortF64Impl(input: usize, n: i32, a: usize, b: usize): usize {
  for (let i: i32 = 0; i < n; i++) store<u64>(at(a, i), keyOf(load<u64>(at(input, i))));
  const r = sortKeys(a, b, n, 0);
  for (let i: i32 = 0; i < n; i++) store<u64>(at(r, i), bitsOf(load<u64>(at(r, i))));
  return r;
}
