/**
 * Distances between the empirical CDFs of two sorted samples, matching
 * `scipy.stats.ks_2samp`, `wasserstein_distance` and `energy_distance`. The
 * KS statistic (exact integer arithmetic), Wasserstein-1 and the integral
 * behind the L2 distance are the kernel's reference walks, the same code the
 * engine's reference kernel runs. Ties are handled as scipy does (an ECDF
 * steps past all equal values at once).
 * O(n1 + n2); inputs must be ascending and NaN-free.
 */
import { ecdfPowerIntegral } from '../kernel/reference/ecdf-distances.js';

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
  const integral = ecdfPowerIntegral(a, b, p);
  return p === 1 ? integral : Math.sqrt(integral);
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
