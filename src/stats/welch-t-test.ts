/**
 * Welch's unequal-variance t-test from moments, as
 * `scipy.stats.ttest_ind(a, b, equal_var=False)` (two-sided).
 */
import { studentTSf } from './distributions.js';

/** Result of Welch's t-test. */
export interface WelchResult {
  statistic: number;
  pValue: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
}

/**
 * Welch's t-test from count, mean and population variance of each sample. O(1).
 * Constant samples give a defined result: t = 0, p = 1 for equal means, else t = ±∞, p = 0.
 *
 * @param n1 - size of sample 1 (≥ 2).
 * @param mean1 - its mean.
 * @param popVar1 - its population variance (divide by n).
 * @param n2 - size of sample 2 (≥ 2).
 * @param mean2 - its mean.
 * @param popVar2 - its population variance.
 * @returns statistic, two-sided p-value and degrees of freedom (NaN p when a size < 2).
 * @example welchFromMoments(3, 2, 2 / 3, 3, 5, 2 / 3).statistic // ≈ -3.674
 */
export function welchFromMoments(
  n1: number,
  mean1: number,
  popVar1: number,
  n2: number,
  mean2: number,
  popVar2: number,
): WelchResult {
  if (n1 < 2 || n2 < 2) return { statistic: NaN, pValue: NaN, df: NaN };
  const v1 = (popVar1 * n1) / (n1 - 1) / n1;
  const v2 = (popVar2 * n2) / (n2 - 1) / n2;
  const se2 = v1 + v2;
  const diff = mean1 - mean2;
  if (!(se2 > 0)) {
    if (diff === 0) return { statistic: 0, pValue: 1, df: n1 + n2 - 2 };
    return { statistic: diff > 0 ? Infinity : -Infinity, pValue: 0, df: n1 + n2 - 2 };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1));
  const p = Math.min(1, 2 * studentTSf(Math.abs(t), df));
  return { statistic: t, pValue: p, df };
}
