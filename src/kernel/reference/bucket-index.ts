/**
 * Bucket mapping of the exponential sketch, from the float's bits (OpenTelemetry's
 * "exponent + lookup" mapping): no `log`, no `pow`, exact at every boundary.
 *
 * At the table scale 10 (N = 1024 buckets per octave) a positive finite x = 2^e · m,
 * m ∈ [1, 2), has index e·N + j where j = max{k : m > 2^(k/N)}; an exact power of two
 * (m = 1) belongs to the bucket below, index e·N − 1 (OTel's upper-inclusive buckets).
 * `m > 2^(k/N)` is decided exactly by comparing mantissa bits with the generated
 * integers BOUNDARY_MANTISSA[k] (the largest double ≤ 2^(k/N)); the top 11 mantissa
 * bits pick the candidate k from a lookup table and one comparison settles it.
 * Coarser scales s ≤ 10 are nested: index_s = index_10 >> (10 − s) (floor).
 * Negative scales use the octave index (e, or e − 1 at powers of two) >> −s.
 *
 * This file is mirrored line for line by assembly/bucket-index.ts; results are
 * bit-identical because only integer operations and correctly rounded IEEE
 * arithmetic are involved.
 */
import { BOUNDARY_MANTISSA } from './sketch-table.js';

/** Scale of the boundary table (2^10 buckets per octave). */
export const TABLE_SCALE = 10;
const N = 1 << TABLE_SCALE;
/** Mantissa bits used for the lookup (one more than TABLE_SCALE: at most one boundary per cell). */
const LOOKUP_BITS = TABLE_SCALE + 1;
const TWO32 = 2 ** 32;

/** LOOKUP[c] = max{k < N : BOUNDARY_MANTISSA[k] < c · 2^(52 − LOOKUP_BITS)} (0 for c = 0). */
const LOOKUP: Uint16Array = (() => {
  const t = new Uint16Array(1 << LOOKUP_BITS);
  let k = 0;
  const cellWidth = 2 ** (52 - LOOKUP_BITS);
  for (let c = 1; c < t.length; c++) {
    while (k + 1 < N && (BOUNDARY_MANTISSA[k + 1] as number) < c * cellWidth) k++;
    t[c] = k;
  }
  return t;
})();

/** Boundary multipliers 2^(k/N) rounded down to a double, k = 0..N (T[N] = 2). */
const BOUNDARY: Float64Array = Float64Array.from(BOUNDARY_MANTISSA, (mant) => 1 + mant / 2 ** 52);

const bitsF64 = new Float64Array(1);
const bitsU32 = new Uint32Array(bitsF64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/**
 * Bucket index at `scale` of |x| for a finite, non-zero x.
 * @param x - finite non-zero value (the sign is ignored).
 * @param scale - integer in [MIN_SCALE, MAX_SCALE].
 * @returns the bucket index i with |x| ∈ (base^i, base^(i+1)].
 * @example bucketIndex(1, 7) // => -1  (1 = 2^0 is an exact boundary: the bucket below)
 */
export function bucketIndex(x: number, scale: number): number {
  bitsF64[0] = x;
  let hi = bitsU32[HI] as number;
  let lo = bitsU32[LO] as number;
  let exp = (hi >>> 20) & 0x7ff;
  let bias = 1023;
  if (exp === 0) {
    // Subnormal: scale by 2^52 (exact) to normalise, then correct the exponent.
    bitsF64[0] = Math.abs(x) * 2 ** 52;
    hi = bitsU32[HI] as number;
    lo = bitsU32[LO] as number;
    exp = (hi >>> 20) & 0x7ff;
    bias = 1023 + 52;
  }
  const e = exp - bias;
  const mantHi = hi & 0xfffff;
  const mant = mantHi * TWO32 + lo;
  if (scale <= 0) {
    const octave = mant === 0 ? e - 1 : e;
    return octave >> -scale;
  }
  let index10: number;
  if (mant === 0) {
    index10 = e * N - 1;
  } else {
    let j = LOOKUP[mantHi >>> (20 - LOOKUP_BITS)] as number;
    if (mant > (BOUNDARY_MANTISSA[j + 1] as number)) j++;
    index10 = e * N + j;
  }
  return index10 >> (TABLE_SCALE - scale);
}

/**
 * x · 2^e with exact power-of-two factors built from bits (no Math.pow), in steps
 * so that e outside the normal exponent range still scales correctly.
 * @param x - the value to scale.
 * @param e - integer exponent.
 * @returns x · 2^e, rounded once per step.
 * @example scalePow2(1.5, 3) // => 12
 */
export function scalePow2(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1023) {
    r *= pow2(1023);
    k -= 1023;
    if (!Number.isFinite(r)) return r;
  }
  while (k < -1022) {
    r *= pow2(-1022);
    k += 1022;
    if (r === 0) return r;
  }
  return r * pow2(k);
}

/** 2^k for k in [-1022, 1023], from bits. */
function pow2(k: number): number {
  bitsU32[HI] = (k + 1023) << 20;
  bitsU32[LO] = 0;
  return bitsF64[0] as number;
}

/**
 * The representative value of positive bucket `index` at `scale`: the harmonic
 * mean 2·lo·hi/(lo + hi) of its bounds, whose relative distance to any point of
 * (lo, hi] is at most (b − 1)/(b + 1). Computed from the boundary table and
 * exact power-of-two scaling, so both kernels return the same bits.
 * @param index - bucket index.
 * @param scale - integer in [MIN_SCALE, MAX_SCALE].
 * @returns the representative, > 0 (may underflow to 0 or overflow to Infinity at the extremes; callers clamp).
 * @example bucketRepresentative(-1, 0) // => 0.6666666666666666  (bucket (0.5, 1])
 */
export function bucketRepresentative(index: number, scale: number): number {
  if (scale <= 0) {
    const k = -scale;
    const ratio = pow2(1 << k); // b = 2^(2^k), k <= 4
    const repM = (2 * ratio) / (1 + ratio);
    return scalePow2(repM, index * (1 << k));
  }
  const e = index >> scale;
  const j = index & ((1 << scale) - 1);
  const shift = TABLE_SCALE - scale;
  const lo = BOUNDARY[j << shift] as number;
  const hi = BOUNDARY[(j + 1) << shift] as number;
  const repM = (2 * lo * hi) / (lo + hi);
  return scalePow2(repM, e);
}
