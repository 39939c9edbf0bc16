// Bucket mapping from the float's bits: exponent + 11-bit mantissa lookup + one
// comparison against exact boundary mantissas (see src/kernel/reference/bucket-index.ts,
// which this file mirrors operation for operation so both kernels agree bit for bit).
import { BOUNDARY_MANTISSA } from './sketch-table';

export const TABLE_SCALE: i32 = 10;
const N: i32 = 1 << TABLE_SCALE;
const LOOKUP_BITS: i32 = TABLE_SCALE + 1;
const MANT_MASK: u64 = 0x000f_ffff_ffff_ffff;

/** LOOKUP[c] (u16) = max{k < N : BOUNDARY_MANTISSA[k] < c << (52 - LOOKUP_BITS)}. */
const LOOKUP: usize = memory.data(2 << LOOKUP_BITS);

function initLookup(): void {
  let k: i32 = 0;
  const cells: i32 = 1 << LOOKUP_BITS;
  store<u16>(LOOKUP, 0);
  for (let c: i32 = 1; c < cells; c++) {
    const cellStart: u64 = (<u64>c) << (52 - LOOKUP_BITS);
    while (k + 1 < N && load<u64>(BOUNDARY_MANTISSA + ((<usize>(k + 1)) << 3)) < cellStart) k++;
    store<u16>(LOOKUP + ((<usize>c) << 1), <u16>k);
  }
}
initLookup();

/**
 * FAST[c] (u64) = BOUNDARY_MANTISSA[LOOKUP[c] + 1] << 10 | LOOKUP[c]: the lookup and the
 * boundary it is compared with in one load (53 + 10 bits), for the record fast path
 * ({@link positiveIndexPairBiased}).
 */
const FAST: usize = memory.data(8 << LOOKUP_BITS, 8);

function initFast(): void {
  const cells: i32 = 1 << LOOKUP_BITS;
  for (let c: i32 = 0; c < cells; c++) {
    const j = <u64>load<u16>(LOOKUP + ((<usize>c) << 1));
    const next = load<u64>(BOUNDARY_MANTISSA + ((<usize>(j + 1)) << 3));
    store<u64>(FAST + ((<usize>c) << 3), (next << TABLE_SCALE) | j);
  }
}
initFast();

/** Bucket index at `scale` of |x| for finite non-zero x given its bits. */
// @ts-ignore: decorator
@inline
export function bucketIndexBits(bits: u64, scale: i32): i32 {
  let exp = <i32>(bits >> 52) & 0x7ff;
  let bias: i32 = 1023;
  if (exp == 0) {
    // subnormal: normalise by 2^52 (exact)
    bits = reinterpret<u64>(Math.abs(reinterpret<f64>(bits)) * 4503599627370496.0);
    exp = <i32>(bits >> 52) & 0x7ff;
    bias = 1023 + 52;
  }
  const e = exp - bias;
  const mant = bits & MANT_MASK;
  if (scale <= 0) {
    const octave = mant == 0 ? e - 1 : e;
    return octave >> -scale;
  }
  let index10: i32;
  if (mant == 0) {
    index10 = e * N - 1;
  } else {
    let j = <i32>load<u16>(LOOKUP + ((<usize>(mant >> (52 - LOOKUP_BITS))) << 1));
    if (mant > load<u64>(BOUNDARY_MANTISSA + ((<usize>(j + 1)) << 3))) j++;
    index10 = e * N + j;
  }
  return index10 >> (TABLE_SCALE - scale);
}

/**
 * The i64x2 constants of {@link positiveIndexPairBiased} (1, the mantissa mask, the cell
 * offset mask, N - 1) and of the record path's lane test, as static data: the caller
 * loads them into locals once per batch, because a `v128.const` inside the loop is
 * rebuilt on every use by V8's code generator.
 */
export const PAIR_CONSTS: usize = memory.data<u64>(
  [
    1, 1, MANT_MASK, MANT_MASK, ((1 << LOOKUP_BITS) - 1) << 3, ((1 << LOOKUP_BITS) - 1) << 3, N - 1, N - 1,
    // the record path's lane test: bits + 0x7ff0... is at most 0xffdf... (signed) exactly
    // when bits - 0x0010... < 0x7fe0... unsigned, i.e. for a positive normal finite value
    0x7ff0_0000_0000_0000, 0x7ff0_0000_0000_0000, 0xffdf_ffff_ffff_ffff, 0xffdf_ffff_ffff_ffff,
  ],
  16,
);

/**
 * Bucket indexes of the two positive normal values in `v` (f64x2 lanes), from their bits,
 * for the record fast path; the same result as {@link bucketIndexBits} at every scale.
 * `bits - 1` turns an exact power of two (mantissa 0, the upper end of the bucket below)
 * into the largest mantissa of the octave below, so no special case is needed: with
 * m = mantissa - 1 the scale-10 bucket is max{k : BOUNDARY[k] <= m} (a lookup cell holds
 * at most one boundary, FAST gives the cell's k and the boundary above it in one load),
 * and coarser scales, including scale <= 0, are arithmetic shifts of it. The two cells are
 * fetched by scalar loads into one vector. `one`, `mantMask`, `cellMask` and `low` are the
 * vectors at PAIR_CONSTS. Returns the two scale-10 indexes plus 1023 << 10 (the exponent
 * still biased) in i32 lanes 0 and 2: the caller subtracts PAIR_INDEX_BIAS and shifts
 * right by 10 - scale.
 */
// @ts-ignore: decorator
@inline
export function positiveIndexPairBiased(v: v128, one: v128, mantMask: v128, cellMask: v128, low: v128): v128 {
  const m1 = i64x2.sub(v, one);
  const mant = v128.and(m1, mantMask);
  // byte offset of each lookup cell: (mant >> (52 - LOOKUP_BITS)) << 3
  const at = v128.and(i64x2.shr_u(mant, 52 - LOOKUP_BITS - 3), cellMask);
  let cell = v128.load64_zero(FAST + <usize>i32x4.extract_lane(at, 0));
  cell = v128.load64_lane(FAST + <usize>i32x4.extract_lane(at, 2), cell, 1);
  // mant >= boundary is -1 (all ones) or 0: subtracting it adds the boundary step
  const j = i64x2.sub(v128.and(cell, low), i64x2.ge_s(mant, i64x2.shr_u(cell, TABLE_SCALE)));
  return i64x2.add(i64x2.shl(i64x2.shr_u(m1, 52), TABLE_SCALE), j);
}

/** The exponent bias carried by {@link positiveIndexPairBiased}'s indexes. */
export const PAIR_INDEX_BIAS: i32 = 1023 << TABLE_SCALE;

// @ts-ignore: decorator
@inline
function pow2(k: i32): f64 {
  return reinterpret<f64>((<u64>(k + 1023)) << 52);
}

/** x * 2^e in exact power-of-two steps (mirrors scalePow2 in the reference). */
export function scalePow2(x: f64, e: i32): f64 {
  let r = x;
  let k = e;
  while (k > 1023) {
    r *= pow2(1023);
    k -= 1023;
    if (!isFinite(r)) return r;
  }
  while (k < -1022) {
    r *= pow2(-1022);
    k += 1022;
    if (r == 0) return r;
  }
  return r * pow2(k);
}

function boundary(k: i32): f64 {
  // add, not or: the 2.0 sentinel's "mantissa" 2^52 carries into the exponent
  return reinterpret<f64>(0x3ff0_0000_0000_0000 + load<u64>(BOUNDARY_MANTISSA + ((<usize>k) << 3)));
}

/** Harmonic-mean representative 2·lo·hi/(lo+hi) of positive bucket `index`. */
export function bucketRepresentative(index: i32, scale: i32): f64 {
  if (scale <= 0) {
    const k = -scale;
    const ratio = pow2(1 << k);
    const repM = (2 * ratio) / (1 + ratio);
    return scalePow2(repM, index * (1 << k));
  }
  const e = index >> scale;
  const j = index & ((1 << scale) - 1);
  const shift = TABLE_SCALE - scale;
  const lo = boundary(j << shift);
  const hi = boundary((j + 1) << shift);
  const repM = (2 * lo * hi) / (lo + hi);
  return scalePow2(repM, e);
}
