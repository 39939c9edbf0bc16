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
 * boundary it is compared with in one load (53 + 10 bits), for the record fast path.
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
 * Bucket index of a positive normal x given its bits, with `shift` = 10 - scale (the
 * record fast path; the same result as {@link bucketIndexBits} at every scale).
 * `bits - 1` turns an exact power of two (mantissa 0, the upper end of the bucket below)
 * into the largest mantissa of the octave below, so no special case is needed: with
 * m = mantissa - 1 the scale-10 bucket is max{k : BOUNDARY[k] <= m} (a lookup cell holds
 * at most one boundary), and coarser scales, including scale <= 0, are arithmetic shifts of it.
 */
// @ts-ignore: decorator
@inline
export function positiveIndexBits(bits: u64, shift: i32): i32 {
  const m1 = bits - 1;
  const e = <i32>(m1 >> 52) - 1023;
  const mant = m1 & MANT_MASK;
  const cell = load<u64>(FAST + ((<usize>(mant >> (52 - LOOKUP_BITS))) << 3));
  const j = <i32>(cell & (N - 1)) + <i32>(mant >= cell >> TABLE_SCALE);
  return ((e << TABLE_SCALE) + j) >> shift;
}

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
