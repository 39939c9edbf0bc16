// edgewatch kernels: the flat WASM ABI (i32/f64 and pointers into memory this module
// owns). Values cross in batches: TypeScript asks for a scratch slot with `scratch`,
// writes the batch there and calls one export. Results come back as scalars or in
// kernel memory (scratch slots, the RESULT area). Invalid handles abort with a message
// that src/kernel/wasm-kernel.ts turns into a KernelError('KERNEL_ABORT').
import { RESULT, abortDetail, handleAdd, handleClear, handleGet, scratchEnsure } from './memory';
import { blockAlloc, blockFree } from './alloc';
import {
  Sketch, copySide, firstUsed, getSketch, lastUsedSlot, loadSide, mergeSketch, newSide, quantile,
  recordBatch, resetSketch, sketchBytes,
} from './sketch';
import { binCountsImpl, ksImpl, momentsImpl, w1Impl } from './batch';
import { sortF64Impl } from './sort';
import { bucketIndexBits, bucketRepresentative } from './bucket-index';
import { selectImpl } from './select';

/** Ensures scratch slot `slot` (0..3) holds `bytes` bytes; returns its pointer. */
export function scratch(slot: i32, bytes: i32): usize {
  return scratchEnsure(slot, bytes);
}

/** Pointer to the static result area (16 f64). */
export function resultPtr(): usize {
  return RESULT;
}

export function sketchCreate(scale: i32): i32 {
  if (scale < -4 || scale > 10) {
    abortDetail(scale);
    throw new Error('sketchCreate: invalid scale {0}');
  }
  const sk = changetype<Sketch>(blockAlloc(offsetof<Sketch>()));
  sk.scale = scale;
  sk.pos = newSide();
  sk.neg = newSide();
  resetSketch(sk);
  return handleAdd(changetype<usize>(sk));
}

export function sketchFree(h: i32): void {
  const p = handleGet(h);
  if (p == 0) return;
  const sk = changetype<Sketch>(p);
  resetSketch(sk);
  blockFree(changetype<usize>(sk.pos));
  blockFree(changetype<usize>(sk.neg));
  blockFree(p);
  handleClear(h);
}

export function sketchReset(h: i32): void {
  resetSketch(getSketch(h, 'sketchReset: invalid sketch handle {0}'));
}

/** Scale of sketch h, or 127 when h is not a live handle (lets TypeScript check merges without aborting). */
export function sketchScale(h: i32): i32 {
  const p = handleGet(h);
  return p == 0 ? 127 : changetype<Sketch>(p).scale;
}

/** Records n values from `ptr`; returns the number skipped as non-finite. */
export function sketchRecord(h: i32, ptr: usize, n: i32, nonNegative: i32): i32 {
  return recordBatch(getSketch(h, 'sketchRecord: invalid sketch handle {0}'), ptr, n, nonNegative != 0);
}

export function sketchMerge(dst: i32, src: i32): void {
  mergeSketch(getSketch(dst, 'sketchMerge: invalid sketch handle {0}'), getSketch(src, 'sketchMerge: invalid sketch handle {0}'));
}

export function sketchQuantiles(h: i32, qs: usize, n: i32, out: usize): void {
  const sk = getSketch(h, 'sketchQuantiles: invalid sketch handle {0}');
  for (let i: i32 = 0; i < n; i++) store<f64>(out + ((<usize>i) << 3), quantile(sk, load<f64>(qs + ((<usize>i) << 3))));
}

/** Writes count, sum, min, max, zeroCount, scale to RESULT. */
export function sketchStats(h: i32): void {
  const sk = getSketch(h, 'sketchStats: invalid sketch handle {0}');
  store<f64>(RESULT, sk.count);
  store<f64>(RESULT + 8, sk.sum);
  store<f64>(RESULT + 16, sk.min);
  store<f64>(RESULT + 24, sk.max);
  store<f64>(RESULT + 32, sk.zeroCount);
  store<f64>(RESULT + 40, <f64>sk.scale);
}

/**
 * Trimmed counts of one side (0 positive, 1 negative) as f64 in scratch slot 3.
 * Returns the number of buckets; RESULT[0] holds the offset (0 when empty).
 */
export function sketchSide(h: i32, side: i32): i32 {
  const sk = getSketch(h, 'sketchSide: invalid sketch handle {0}');
  const s = side == 0 ? sk.pos : sk.neg;
  const first = firstUsed(s);
  if (first < 0) {
    store<f64>(RESULT, 0);
    return 0;
  }
  const last = lastUsedSlot();
  const n = last - first + 1;
  const out = scratchEnsure(3, n << 3);
  copySide(s, first, last, out);
  store<f64>(RESULT, <f64>(s.off + first));
  return n;
}

/** Replaces side (0/1) of sketch h with n f64 counts at ptr starting at index off. */
export function sketchLoadSide(h: i32, side: i32, off: i32, ptr: usize, n: i32): void {
  const sk = getSketch(h, 'sketchLoadSide: invalid sketch handle {0}');
  loadSide(side == 0 ? sk.pos : sk.neg, off, ptr, n);
}

export function sketchLoadStats(h: i32, count: f64, sum: f64, mn: f64, mx: f64, zeroCount: f64): void {
  const sk = getSketch(h, 'sketchLoadStats: invalid sketch handle {0}');
  sk.count = count;
  sk.sum = sum;
  sk.min = mn;
  sk.max = mx;
  sk.zeroCount = zeroCount;
}

export function sketchByteSize(h: i32): i32 {
  return sketchBytes(getSketch(h, 'sketchByteSize: invalid sketch handle {0}'));
}

export function binCounts(values: usize, n: i32, edges: usize, k: i32, out: usize): void {
  binCountsImpl(values, n, edges, k, out);
}

/** Sorts n f64 at `input` using buffers a, b (n u64 each); returns the pointer to the result. */
export function sortF64(input: usize, n: i32, a: usize, b: usize): usize {
  return sortF64Impl(input, n, a, b);
}

/**
 * Exact order statistics: out[j] = the ranks[j]-th smallest of the n f64 at `input` (NaN for a
 * rank that is not an integer in [0, n)). Buffers: cand n f64, work 2n f64, info 2k i32.
 */
export function selectF64(
  input: usize, n: i32, ranks: usize, k: i32, out: usize, cand: usize, work: usize, info: usize,
): void {
  selectImpl(input, n, ranks, k, out, cand, work, info);
}

/** count, mean, variance, min, max, sum -> RESULT. */
export function moments(p: usize, n: i32): void {
  momentsImpl(p, n, RESULT);
}

export function ksStatisticSorted(a: usize, n: i32, b: usize, m: i32): f64 {
  return ksImpl(a, n, b, m);
}

export function wasserstein1Sorted(a: usize, n: i32, b: usize, m: i32): f64 {
  return w1Impl(a, n, b, m);
}

// ---- for tests: the bucket mapping on its own --------------------------------------

/** Bucket index of |x| (finite, non-zero) at `scale`. */
export function bucketIndexOf(x: f64, scale: i32): i32 {
  return bucketIndexBits(reinterpret<u64>(x), scale);
}

/** Representative value of positive bucket `index` at `scale`. */
export function bucketRepresentativeOf(index: i32, scale: i32): f64 {
  return bucketRepresentative(index, scale);
}
