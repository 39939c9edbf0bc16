/**
 * Exact order statistics, the reference way: sort, then look the ranks up. The
 * oracle for the WASM kernel's radix select (same values, bit for bit).
 */
import { sortF64 } from './radix-sort.js';

/**
 * The values at the given 0-based ranks of the ascending order. O(n) (a radix sort).
 * @param values - NaN-free values.
 * @param ranks - 0-based ranks; a rank that is not an integer in [0, n) gives NaN.
 * @returns one value per rank, `sortF64(values)[rank]`.
 * @example selectF64(new Float64Array([3, 1, 2]), new Float64Array([0, 2])) // => [1, 3]
 */
export function selectF64(values: Float64Array, ranks: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(ranks.length).fill(NaN);
  if (n === 0) return out;
  const sorted = sortF64(values);
  for (let j = 0; j < ranks.length; j++) {
    const r = ranks[j] as number;
    if (r >= 0 && r < n && Math.floor(r) === r) out[j] = sorted[r] as number;
  }
  return out;
}
