/**
 * Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp` (two-sided):
 * the statistic is identical (ties included) and the p-value follows scipy's
 * method choice — exact when max(n1, n2) ≤ 10 000, else the finite-n
 * Kolmogorov distribution at n = round(n1·n2 / (n1 + n2)).
 */
import { ksExactPValue, ksSnapStatistic } from './ks-exact.js';
import { kolmogorovSf } from './kolmogorov.js';

/** `'auto'` picks exact up to 10 000 values per sample (scipy's rule). */
export type KsMode = 'auto' | 'exact' | 'asymp';

/** Result of a two-sample KS test. */
export interface KsResult {
  /** The KS statistic D: the largest gap between the two empirical CDFs, in [0, 1]. */
  statistic: number;
  /** Probability of a D at least this large when both samples share a distribution. */
  pValue: number;
  /** The method that produced the p-value. */
  mode: 'exact' | 'asymp';
}

/** scipy's `MAX_AUTO_N`: largest sample size for which `'auto'` uses the exact method. */
export const KS_MAX_AUTO_N = 10_000;

/**
 * Two-sided p-value of a two-sample KS statistic.
 * O(n) for equal sizes, O(n1 · band) for exact unequal sizes, O(n) asymptotic.
 *
 * @param d - the statistic in [0, 1].
 * @param n1 - size of the first sample, > 0.
 * @param n2 - size of the second sample, > 0.
 * @param mode - `'auto'` (default), `'exact'` or `'asymp'`.
 * @returns the statistic (snapped to h/lcm when exact, as scipy), the p-value and the
 *   method used (exact falls back to asymp when infeasible).
 * @example ksPValue(0.5, 10, 10).pValue // ≈ 0.1678
 */
export function ksPValue(d: number, n1: number, n2: number, mode: KsMode = 'auto'): KsResult {
  if (Number.isNaN(d)) return { statistic: NaN, pValue: NaN, mode: 'asymp' };
  let chosen: 'exact' | 'asymp' =
    mode === 'auto' ? (Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp') : mode;
  if (chosen === 'exact') {
    const p = ksExactPValue(n1, n2, d);
    if (!Number.isNaN(p))
      return { statistic: ksSnapStatistic(n1, n2, d), pValue: p, mode: 'exact' };
    chosen = 'asymp';
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = Math.round((m * n) / (m + n));
  return { statistic: d, pValue: kolmogorovSf(Math.max(1, en), d), mode: 'asymp' };
}
