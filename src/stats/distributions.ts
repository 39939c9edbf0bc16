/**
 * Survival functions (upper tails) of the reference distributions used by the
 * drift tests: standard normal, chi-square and Student's t. Upper tails are
 * computed directly (never as 1 − cdf) so that tiny p-values stay accurate.
 * Also the standard normal quantile (the inverse of `normalCdf`).
 */
import { betaInc, erfc, gammaQ } from './special-functions.js';

/**
 * Standard normal survival function P(Z > z).
 *
 * @param z - any real number.
 * @returns the upper-tail probability in [0, 1].
 * @example normalSf(1.959963984540054) // => 0.025
 */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Standard normal cumulative distribution P(Z ≤ z).
 *
 * @param z - any real number.
 * @returns the lower-tail probability in [0, 1].
 * @example normalCdf(0) // => 0.5
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p), by bisection on `normalCdf`
 * (about 1e-12 absolute; used once per decision, never on a hot path). O(100).
 * @param p - in [0, 1].
 * @returns z with Φ(z) = p; ±Infinity at 0 / 1, NaN outside [0, 1].
 * @example normalQuantile(0.975) // => ≈ 1.959964
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Chi-square survival function P(X > x) with `df` degrees of freedom
 * (as `scipy.stats.chi2.sf`).
 *
 * @param x - the statistic (≤ 0 gives 1).
 * @param df - degrees of freedom, > 0.
 * @returns the p-value; NaN when df ≤ 0.
 * @example chiSquareSf(3.841458820694124, 1) // => 0.05
 */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/**
 * Student's t survival function P(T > t) with `df` (possibly fractional)
 * degrees of freedom (as `scipy.stats.t.sf`).
 *
 * @param t - the statistic.
 * @param df - degrees of freedom, > 0.
 * @returns the upper-tail probability; NaN when df ≤ 0.
 * @example studentTSf(0, 5) // => 0.5
 */
export function studentTSf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * betaInc(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}
