/**
 * LSD radix sort of f64 on the IEEE bits, 8 bits per pass. Keys use the sign-flip
 * trick (negative: flip all bits; positive: flip the sign bit), which orders every
 * non-NaN double numerically with -0 before +0, as `Float64Array.prototype.sort` does.
 * A pass whose byte is the same for every key is skipped (common for exponents).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sorted copy, ascending. O(n) time and extra memory (8 passes at most).
 * @param values - NaN-free values (NaN would sort by its bits: the result is then unspecified).
 * @param dest - optional destination of the same length, written and returned (else a new array).
 * @returns the sorted values.
 * @example sortF64(new Float64Array([0, -0, -1, Infinity])) // => [-1, -0, 0, Infinity]
 */
export function sortF64(values: Float64Array, dest?: Float64Array): Float64Array {
  const n = values.length;
  const out = dest !== undefined && dest.length === n ? dest : new Float64Array(n);
  if (n === 0) return out;
  const words = new Uint32Array(out.buffer, out.byteOffset, 2 * n);
  out.set(values);
  const hiAt = LITTLE_ENDIAN ? 1 : 0;
  const loAt = 1 - hiAt;
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + hiAt] as number;
    const l = words[2 * i + loAt] as number;
    if (h >>> 31) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  // One histogram per byte, from a single read pass.
  const hist = new Uint32Array(8 * 256);
  for (let i = 0; i < n; i++) {
    const l = lo[i] as number;
    const h = hi[i] as number;
    for (let b = 0; b < 4; b++) {
      const x = (b << 8) | ((l >>> (8 * b)) & 0xff);
      hist[x] = (hist[x] as number) + 1;
      const y = ((b + 4) << 8) | ((h >>> (8 * b)) & 0xff);
      hist[y] = (hist[y] as number) + 1;
    }
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  for (let pass = 0; pass < 8; pass++) {
    const base = pass << 8;
    const shift = 8 * (pass & 3);
    const src = pass < 4 ? lo : hi;
    // skip a pass whose byte is constant
    const first = src[0] as number;
    if (hist[base + ((first >>> shift) & 0xff)] === n) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const c = hist[base + d] as number;
      hist[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = ((src[i] as number) >>> shift) & 0xff;
      const at = hist[base + key] as number;
      hist[base + key] = at + 1;
      hi2[at] = hi[i] as number;
      lo2[at] = lo[i] as number;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i] as number;
    const l = lo[i] as number;
    if (h >>> 31) {
      words[2 * i + hiAt] = (h & 0x7fffffff) >>> 0;
      words[2 * i + loAt] = l;
    } else {
      words[2 * i + hiAt] = ~h >>> 0;
      words[2 * i + loAt] = ~l >>> 0;
    }
  }
  return out;
}
