/**
 * HyperLogLog distinct-count estimate (Flajolet et al. 2007, with the linear-counting
 * correction for small cardinalities). Registers merge by element-wise max, so the
 * estimate of a merged sketch is the estimate of the union. Standard error ≈ 1.04 / √m
 * with m = 2^precision registers (precision 10: ≈ 3.25 %).
 */
import { numberOption } from '../util/options.js';
import { fmix32 } from '../util/fmix32.js';

/** Smallest and largest supported precision (registers = 2^precision). */
export const HLL_MIN_PRECISION = 4;
/** Largest supported precision. */
export const HLL_MAX_PRECISION = 14;

const utf8 = new TextEncoder();

/**
 * 32-bit MurmurHash3 (x86_32, seed 0) of a string's UTF-8 bytes.
 * @param text - the string.
 * @returns an unsigned 32-bit hash.
 * @example murmur3('a') // => 1009084850
 */
export function murmur3(text: string): number {
  const data = utf8.encode(text);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const nblocks = data.length >>> 2;
  for (let i = 0; i < nblocks; i++) {
    const j = i * 4;
    let k =
      (data[j] as number) |
      ((data[j + 1] as number) << 8) |
      ((data[j + 2] as number) << 16) |
      ((data[j + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = nblocks * 4;
  let k1 = 0;
  const rest = data.length & 3;
  if (rest === 3) k1 ^= (data[tail + 2] as number) << 16;
  if (rest >= 2) k1 ^= (data[tail + 1] as number) << 8;
  if (rest >= 1) {
    k1 ^= data[tail] as number;
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h ^= k1;
  }
  h ^= data.length;
  return fmix32(h);
}

/**
 * Checks an HLL precision.
 * @param p - the value.
 * @throws ConfigError unless an integer in [HLL_MIN_PRECISION, HLL_MAX_PRECISION].
 * @example assertHllPrecision(10) // ok
 */
export function assertHllPrecision(p: unknown): asserts p is number {
  numberOption('hllPrecision', p, {
    integer: true,
    min: HLL_MIN_PRECISION,
    max: HLL_MAX_PRECISION,
  });
}

/**
 * Adds one item's hash to registers of precision p (in place). O(1).
 * @param registers - 2^p registers.
 * @param p - precision.
 * @param hash - unsigned 32-bit hash of the item.
 * @example hllAdd(regs, 10, murmur3('x'))
 */
export function hllAdd(registers: Uint8Array, p: number, hash: number): void {
  const idx = hash >>> (32 - p);
  const w = (hash << p) >>> 0;
  // rank = position of the first 1-bit in the remaining 32 - p bits (1-based)
  const rank = w === 0 ? 32 - p + 1 : Math.clz32(w) + 1;
  if (rank > (registers[idx] as number)) registers[idx] = rank;
}

/**
 * Merges `src` into `dst` (element-wise max, same precision). O(m).
 * @param dst - registers updated in place.
 * @param src - registers read.
 * @example hllMergeInto(a, b)
 */
export function hllMergeInto(dst: Uint8Array, src: Uint8Array): void {
  for (let i = 0; i < dst.length; i++) {
    const s = src[i] as number;
    if (s > (dst[i] as number)) dst[i] = s;
  }
}

/**
 * Folds registers to a lower precision (for merging sketches of different precision):
 * a register of the coarser sketch is the max over the registers it covers, with the
 * leading bits that move from the index into the rank accounted for.
 * @param registers - 2^p registers.
 * @param p - their precision.
 * @param q - target precision, q ≤ p.
 * @returns 2^q registers.
 * @example hllFold(regs10, 10, 8).length // => 256
 */
export function hllFold(registers: Uint8Array, p: number, q: number): Uint8Array {
  if (q === p) return registers.slice();
  const out = new Uint8Array(1 << q);
  const shift = p - q;
  for (let i = 0; i < registers.length; i++) {
    const r = registers[i] as number;
    if (r === 0) continue;
    const low = i & ((1 << shift) - 1); // bits that now belong to the rank
    const rank = low === 0 ? shift + r : Math.clz32(low) - (32 - shift) + 1;
    const j = i >>> shift;
    if (rank > (out[j] as number)) out[j] = rank;
  }
  return out;
}

/**
 * The distinct-count estimate. O(m).
 * @param registers - 2^p registers.
 * @returns estimated number of distinct items (0 when all registers are 0).
 * @example hllEstimate(new Uint8Array(1024)) // => 0
 */
export function hllEstimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i] as number;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  return raw;
}
