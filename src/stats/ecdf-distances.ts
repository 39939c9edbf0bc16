/**
 * Distances between the empirical CDFs of two sorted samples, matching
 * `scipy.stats.ks_2samp`, `wasserstein_distance` and `energy_distance`. The
 * KS statistic (exact integer arithmetic) and Wasserstein-1 are the kernel's
 * reference implementations, the same code the engine's reference kernel
 * runs; this file adds the L2 distance behind the energy distance. Ties are
 * handled as scipy does (an ECDF steps past all equal values at once).
 * O(n1 + n2); inputs must be ascending and NaN-free.
 */
import { nextPooled, skipPast, wasserstein1Sorted } from '../kernel/reference/ecdf-distances.js';

export { ksStatisticSorted, wasserstein1Sorted } from '../kernel/reference/ecdf-distances.js';

/**
 * L^p distance between the ECDFs: (∫ |F_a − F_b|^p dx)^(1/p), for p = 1 or 2.
 *
 * @param a - ascending, NaN-free, non-empty.
 * @param b - ascending, NaN-free, non-empty.
 * @param p - 1 (Wasserstein-1) or 2 (Cramér distance).
 * @returns the distance (NaN if either is empty).
 * @example cdfDistanceSorted(new Float64Array([0]), new Float64Array([2]), 1) // => 2
 */
export function cdfDistanceSorted(a: Float64Array, b: Float64Array, p: 1 | 2): number {
  if (p === 1) return wasserstein1Sorted(a, b);
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return NaN;
  let i = 0;
  let j = 0;
  let sum = 0;
  let prev = Math.min(a[0] as number, b[0] as number);
  while (i < n1 || j < n2) {
    const next = nextPooled(a, i, b, j);
    if (next > prev) {
      const diff = Math.abs(i / n1 - j / n2);
      sum += diff * diff * (next - prev);
      prev = next;
    }
    i = skipPast(a, i, next);
    j = skipPast(b, j, next);
  }
  return Math.sqrt(sum);
}

/**
 * Energy distance of two ascending samples (as `scipy.stats.energy_distance`):
 * √2 × the L2 distance between the ECDFs.
 *
 * @param a - ascending, NaN-free, non-empty.
 * @param b - ascending, NaN-free, non-empty.
 * @returns the energy distance ≥ 0 (NaN if either is empty).
 * @example energyDistanceSorted(new Float64Array([0]), new Float64Array([1])) // => √2
 */
export function energyDistanceSorted(a: Float64Array, b: Float64Array): number {
  return Math.SQRT2 * cdfDistanceSorted(a, b, 2);
}
