// The exponential-bucket sketch (mirror of src/kernel/reference/exp-sketch.ts).
// Each side keeps counts for indexes [off, off + cap), u32 until a bucket would pass
// 2^32 - 1, then f64 (exact to 2^53). Arrays grow to the range actually seen.
import {
  PAIR_CONSTS, PAIR_INDEX_BIAS, TABLE_SCALE, bucketIndexBits, bucketRepresentative, positiveIndexPairBiased,
} from './bucket-index';
import { abortDetail, handleGet } from './memory';
import { blockAlloc, blockFree } from './alloc';

const MIN_SLACK: i32 = 16;
const U32_MAX: f64 = 4294967295.0;

@unmanaged
export class Side {
  ptr: usize = 0;
  off: i32 = 0;
  cap: i32 = 0;
  wide: i32 = 0;
}

@unmanaged
export class Sketch {
  scale: i32 = 0;
  count: f64 = 0;
  zeroCount: f64 = 0;
  sum: f64 = 0;
  min: f64 = Infinity;
  max: f64 = -Infinity;
  pos: Side = changetype<Side>(0);
  neg: Side = changetype<Side>(0);
}

export function newSide(): Side {
  const s = changetype<Side>(blockAlloc(offsetof<Side>()));
  s.ptr = 0;
  s.off = 0;
  s.cap = 0;
  s.wide = 0;
  return s;
}

export function clearSide(s: Side): void {
  if (s.ptr != 0) blockFree(s.ptr);
  s.ptr = 0;
  s.off = 0;
  s.cap = 0;
  s.wide = 0;
}

/** The sketch at handle `h`; aborts with `message` (its `{0}`: the handle) when `h` is not live. */
export function getSketch(h: i32, message: string): Sketch {
  const p = handleGet(h);
  if (p == 0) {
    abortDetail(h);
    throw new Error(message);
  }
  return changetype<Sketch>(p);
}

export function resetSketch(s: Sketch): void {
  s.count = 0;
  s.zeroCount = 0;
  s.sum = 0;
  s.min = Infinity;
  s.max = -Infinity;
  clearSide(s.pos);
  clearSide(s.neg);
}

// @ts-ignore: decorator
@inline
function getCount(s: Side, i: i32): f64 {
  return s.wide ? load<f64>(s.ptr + ((<usize>i) << 3)) : <f64>load<u32>(s.ptr + ((<usize>i) << 2));
}

function promote(s: Side): void {
  const bytes = (<usize>s.cap) << 3;
  const p = blockAlloc(bytes);
  for (let i: i32 = 0; i < s.cap; i++) store<f64>(p + ((<usize>i) << 3), <f64>load<u32>(s.ptr + ((<usize>i) << 2)));
  blockFree(s.ptr);
  s.ptr = p;
  s.wide = 1;
}

/** Adds n to bucket `index` (in range), promoting to f64 counts on u32 overflow. */
export function addCount(s: Side, index: i32, n: f64): void {
  const i = index - s.off;
  const c = getCount(s, i) + n;
  if (!s.wide && c > U32_MAX) promote(s);
  if (s.wide) store<f64>(s.ptr + ((<usize>i) << 3), c);
  else store<u32>(s.ptr + ((<usize>i) << 2), <u32>c);
}

/** Makes `s` cover [lo, hi] (inclusive) with slack in the direction of growth. */
export function ensureRange(s: Side, lo: i32, hi: i32): void {
  const cap = s.cap;
  if (cap > 0 && lo >= s.off && hi < s.off + cap) return;
  let newLo: i32;
  let newHi: i32;
  if (cap == 0) {
    newLo = lo - (MIN_SLACK >> 1);
    newHi = hi + 1 + (MIN_SLACK >> 1);
  } else {
    newLo = min(s.off, lo);
    newHi = max(s.off + cap, hi + 1);
    const slack = max(MIN_SLACK, (newHi - newLo) >> 2);
    if (lo < s.off) newLo -= slack;
    if (hi >= s.off + cap) newHi += slack;
  }
  const width: usize = s.wide ? 3 : 2;
  const bytes = (<usize>(newHi - newLo)) << width;
  const p = blockAlloc(bytes);
  memory.fill(p, 0, bytes);
  if (cap > 0) {
    memory.copy(p + ((<usize>(s.off - newLo)) << width), s.ptr, (<usize>cap) << width);
    blockFree(s.ptr);
  }
  s.ptr = p;
  s.off = newLo;
  s.cap = newHi - newLo;
}

/** Adds one count for the finite non-zero x to the side and bucket it belongs to. */
function addValue(sk: Sketch, x: f64): void {
  addOne(x > 0 ? sk.pos : sk.neg, bucketIndexBits(reinterpret<u64>(x), sk.scale));
}

/** Adds one count to bucket `index` of `side`, growing or promoting it (the record slow path). */
function addOne(side: Side, index: i32): void {
  ensureRange(side, index, index);
  addCount(side, index, 1);
}

/**
 * Records n f64 values at ptr; returns how many were skipped as non-finite (and, with
 * `nonNegative`, as negative: outside the fast path, so free for valid data). The sum, min
 * and max are updated value by value in record order; the count is added once per batch
 * (exact: the same result as adding 1 per value).
 *
 * Two positive normal values at a time take the SIMD path: one i64x2 test for both,
 * their min/max kept per lane (`f64x2.pmin`/`pmax` are the scalar `x < mn ? x : mn`, and
 * the lanes only ever hold positive normal values, so folding them in at the end gives the
 * same bits as the value-by-value scan), both bucket indexes computed in i64x2 lanes, the
 * sum still one serial chain in record order (bit-identical to the reference kernel), and
 * the two u32 counts bumped one after the other (they may be the same bucket); a bucket out
 * of range, a u32 count about to overflow or f64 counts send that lane to `addOne`. A pair
 * with any other value in it, and the last value of an odd batch, go one value at a time
 * through the general path (drop, stats, zero count or `addValue`), so data full of
 * zeros or negatives is slower than positive data. The positive side's layout lives in
 * locals, reloaded only after a slow path may have changed it.
 */
export function recordBatch(sk: Sketch, ptr: usize, n: i32, nonNegative: bool): i32 {
  let dropped: i32 = 0;
  let sum = sk.sum;
  let mn = sk.min;
  let mx = sk.max;
  let vmn = f64x2.splat(Infinity);
  let vmx = f64x2.splat(-Infinity);
  // vector constants in locals, loaded from static data (see PAIR_CONSTS)
  const one = v128.load(PAIR_CONSTS);
  const mantMask = v128.load(PAIR_CONSTS, 16);
  const cellMask = v128.load(PAIR_CONSTS, 32);
  const low = v128.load(PAIR_CONSTS, 48);
  const laneBias = v128.load(PAIR_CONSTS, 64);
  const laneLimit = v128.load(PAIR_CONSTS, 80);
  const shift = TABLE_SCALE - sk.scale;
  const pos = sk.pos;
  let pPtr = pos.ptr;
  let pOff = pos.off;
  let pCap: u32 = pos.wide ? 0 : <u32>pos.cap; // f64 counts: always the slow path
  const end = ptr + ((<usize>n) << 3);
  let q = ptr;
  while (q < end) {
    if (q + 16 <= end) {
      const v = v128.load(q);
      // both lanes positive normal finite (sign 0, exponent field in [1, 2046]), i.e.
      // bits - 0x0010... < 0x7fe0... unsigned, as a signed compare of bits + 0x7ff0...
      if (!v128.any_true(i64x2.gt_s(i64x2.add(v, laneBias), laneLimit))) {
        q += 16;
        sum += f64x2.extract_lane(v, 0);
        sum += f64x2.extract_lane(v, 1);
        vmn = f64x2.pmin(vmn, v);
        vmx = f64x2.pmax(vmx, v);
        const idx = positiveIndexPairBiased(v, one, mantMask, cellMask, low);
        const i0 = (i32x4.extract_lane(idx, 0) - PAIR_INDEX_BIAS) >> shift;
        const i1 = (i32x4.extract_lane(idx, 2) - PAIR_INDEX_BIAS) >> shift;
        const r0 = <u32>(i0 - pOff);
        let c0: u32 = 0xffff_ffff;
        if (r0 < pCap) c0 = load<u32>(pPtr + ((<usize>r0) << 2));
        if (c0 != 0xffff_ffff) {
          store<u32>(pPtr + ((<usize>r0) << 2), c0 + 1);
        } else {
          addOne(pos, i0);
          pPtr = pos.ptr;
          pOff = pos.off;
          pCap = pos.wide ? 0 : <u32>pos.cap;
        }
        const r1 = <u32>(i1 - pOff);
        let c1: u32 = 0xffff_ffff;
        if (r1 < pCap) c1 = load<u32>(pPtr + ((<usize>r1) << 2));
        if (c1 != 0xffff_ffff) {
          store<u32>(pPtr + ((<usize>r1) << 2), c1 + 1);
        } else {
          addOne(pos, i1);
          pPtr = pos.ptr;
          pOff = pos.off;
          pCap = pos.wide ? 0 : <u32>pos.cap;
        }
        continue;
      }
    }
    // one value: a pair with a slow-path value in it, or the last of an odd batch
    const x = load<f64>(q);
    q += 8;
    if (!isFinite(x) || (nonNegative && x < 0)) {
      dropped++;
      continue;
    }
    sum += x;
    mn = select<f64>(x, mn, x < mn);
    mx = select<f64>(x, mx, x > mx);
    if (x == 0) {
      sk.zeroCount += 1;
      continue;
    }
    addValue(sk, x);
    pPtr = pos.ptr;
    pOff = pos.off;
    pCap = pos.wide ? 0 : <u32>pos.cap;
  }
  // the lanes hold positive normal values only (or the ±Infinity they started from)
  const mn0 = f64x2.extract_lane(vmn, 0);
  const mn1 = f64x2.extract_lane(vmn, 1);
  const mx0 = f64x2.extract_lane(vmx, 0);
  const mx1 = f64x2.extract_lane(vmx, 1);
  mn = select<f64>(mn0, mn, mn0 < mn);
  mn = select<f64>(mn1, mn, mn1 < mn);
  mx = select<f64>(mx0, mx, mx0 > mx);
  mx = select<f64>(mx1, mx, mx1 > mx);
  sk.count += <f64>(n - dropped);
  sk.sum = sum;
  sk.min = mn;
  sk.max = mx;
  return dropped;
}

/** First used slot of a side (or -1); the last one is written to LAST_USED. */
let lastUsed: i32 = -1;
export function firstUsed(s: Side): i32 {
  let first: i32 = 0;
  while (first < s.cap && getCount(s, first) == 0) first++;
  if (first == s.cap) {
    lastUsed = -1;
    return -1;
  }
  let last = s.cap - 1;
  while (getCount(s, last) == 0) last--;
  lastUsed = last;
  return first;
}
export function lastUsedSlot(): i32 {
  return lastUsed;
}

function mergeSide(dst: Side, src: Side): void {
  const first = firstUsed(src);
  if (first < 0) return;
  const last = lastUsed;
  ensureRange(dst, src.off + first, src.off + last);
  for (let i = first; i <= last; i++) {
    const c = getCount(src, i);
    if (c != 0) addCount(dst, src.off + i, c);
  }
}

export function mergeSketch(dst: Sketch, src: Sketch): void {
  if (dst.scale != src.scale) {
    abortDetail(dst.scale, src.scale);
    throw new Error('sketch merge: expected equal scales, got {0} and {1}');
  }
  mergeSide(dst.pos, src.pos);
  mergeSide(dst.neg, src.neg);
  dst.count += src.count;
  dst.sum += src.sum;
  dst.zeroCount += src.zeroCount;
  if (src.min < dst.min) dst.min = src.min;
  if (src.max > dst.max) dst.max = src.max;
}

function clampTo(sk: Sketch, v: f64): f64 {
  return v < sk.min ? sk.min : v > sk.max ? sk.max : v;
}

/** Quantile estimate: rank floor(q (count - 1)), harmonic representative, clamped. */
export function quantile(sk: Sketch, q: f64): f64 {
  if (!(q >= 0 && q <= 1) || sk.count == 0) return NaN;
  const rank = Math.floor(q * (sk.count - 1));
  if (rank == 0) return sk.min;
  if (rank == sk.count - 1) return sk.max;
  let cum: f64 = 0;
  const neg = sk.neg;
  for (let i = neg.cap - 1; i >= 0; i--) {
    cum += getCount(neg, i);
    if (cum > rank) return clampTo(sk, -bucketRepresentative(neg.off + i, sk.scale));
  }
  cum += sk.zeroCount;
  if (cum > rank) return clampTo(sk, 0);
  const pos = sk.pos;
  for (let i: i32 = 0; i < pos.cap; i++) {
    cum += getCount(pos, i);
    if (cum > rank) return clampTo(sk, bucketRepresentative(pos.off + i, sk.scale));
  }
  return sk.max;
}

/** Replaces a side with exactly n counts (f64 at ptr) starting at index off. */
export function loadSide(s: Side, off: i32, ptr: usize, n: i32): void {
  clearSide(s);
  if (n == 0) return;
  let wide = false;
  for (let i: i32 = 0; i < n; i++) if (load<f64>(ptr + ((<usize>i) << 3)) > U32_MAX) wide = true;
  const width: usize = wide ? 3 : 2;
  s.ptr = blockAlloc((<usize>n) << width);
  s.off = off;
  s.cap = n;
  s.wide = wide ? 1 : 0;
  for (let i: i32 = 0; i < n; i++) {
    const c = load<f64>(ptr + ((<usize>i) << 3));
    if (wide) store<f64>(s.ptr + ((<usize>i) << 3), c);
    else store<u32>(s.ptr + ((<usize>i) << 2), <u32>c);
  }
}

/** Copies the trimmed counts of a side as f64 to `out` (caller sized it from firstUsed/lastUsed). */
export function copySide(s: Side, first: i32, last: i32, out: usize): void {
  for (let i = first; i <= last; i++) store<f64>(out + ((<usize>(i - first)) << 3), getCount(s, i));
}

export function sketchBytes(sk: Sketch): i32 {
  const head = <i32>(offsetof<Sketch>() + 2 * offsetof<Side>());
  return head + (sk.pos.cap << (sk.pos.wide ? 3 : 2)) + (sk.neg.cap << (sk.neg.wide ? 3 : 2));
}
