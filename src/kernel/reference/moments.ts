/**
 * Moments of a batch by the corrected two-pass algorithm (Chan, Golub & LeVeque):
 * mean₀ = Σx/n, then d = x − mean₀, mean = mean₀ + Σd/n, variance = (Σd² − (Σd)²/n)/n.
 * More accurate than Welford and free of a division per value; the WASM kernel runs
 * the same operations in the same order, so the two agree bit for bit.
 */
import type { Moments } from '../kernel.js';

/**
 * Count, mean, population variance, min, max and sum of a batch. O(n), two passes.
 * @param values - finite values.
 * @returns the moments; an empty batch gives count 0, mean and variance NaN, min +Infinity, max -Infinity, sum 0.
 * @example moments(new Float64Array([1, 2, 3])) // => { count: 3, mean: 2, variance: 2/3, min: 1, max: 3, sum: 6 }
 */
export function moments(values: Float64Array): Moments {
  const n = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (n === 0) return { count: 0, mean: NaN, variance: NaN, min, max, sum };
  const mean0 = sum / n;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean0;
    s1 += d;
    s2 += d * d;
  }
  const mean = mean0 + s1 / n;
  let variance = (s2 - (s1 * s1) / n) / n;
  if (variance < 0) variance = 0;
  return { count: n, mean, variance, min, max, sum };
}
