/**
 * Tests on category counts: chi-square and G goodness-of-fit (as
 * `scipy.stats.chisquare` and `power_divergence(lambda_='log-likelihood')`),
 * their two-sample (2×k homogeneity) forms used for drift, the pooled
 * two-proportion z-test, and Fisher's exact test on a 2×2 table (as
 * `scipy.stats.fisher_exact`, two-sided).
 */
import { chiSquareSf, normalSf } from './distributions.js';
import { logGamma } from './special-functions.js';

/** Statistic and p-value of a test. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * Pearson chi-square goodness of fit Σ (o − e)² / e with k − 1 degrees of freedom. O(k).
 *
 * @param observed - observed counts.
 * @param expected - expected counts (same length, > 0 where observed > 0).
 * @returns statistic and p-value (Infinity / 0 when some expected is 0 and its observed is not).
 * @example chiSquareGof([10, 20], [15, 15]).statistic // => 3.3333
 */
export function chiSquareGof(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    if (e === 0) {
      if (o !== 0) stat = Infinity;
      continue;
    }
    stat += ((o - e) * (o - e)) / e;
  }
  return { statistic: stat, pValue: chiSquareSf(stat, observed.length - 1) };
}

/**
 * G-test goodness of fit 2 Σ o ln(o / e) with k − 1 degrees of freedom. O(k).
 *
 * @param observed - observed counts.
 * @param expected - expected counts (same length).
 * @returns statistic and p-value.
 * @example gTestGof([10, 20], [15, 15]).statistic // ≈ 3.3979
 */
export function gTestGof(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    if (o === 0) continue;
    stat += e === 0 ? Infinity : o * Math.log(o / e);
  }
  stat *= 2;
  return { statistic: stat, pValue: chiSquareSf(stat, observed.length - 1) };
}

/**
 * Two-sample homogeneity test on a 2×k table (reference counts vs current
 * counts), Pearson (`lambda: 'pearson'`) or G (`'log-likelihood'`), no
 * continuity correction — as `scipy.stats.chi2_contingency(t, correction=False)`.
 * Categories empty in both rows are dropped; a category seen in only one row is
 * a valid column (never an infinity). O(k).
 *
 * @param reference - counts per category in the reference.
 * @param current - counts per category in the current sample (same order).
 * @param lambda - `'pearson'` (default) or `'log-likelihood'`.
 * @returns statistic and p-value with (k' − 1) degrees of freedom; p = 1 when k' < 2.
 * @example contingencyTest([50, 50], [30, 70]).pValue // ≈ 0.0038
 */
export function contingencyTest(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  lambda: 'pearson' | 'log-likelihood' = 'pearson',
): TestResult {
  let n1 = 0;
  let n2 = 0;
  let k = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    const c = current[i] as number;
    n1 += r;
    n2 += c;
    if (r + c > 0) k++;
  }
  const n = n1 + n2;
  if (k < 2 || n1 === 0 || n2 === 0) return { statistic: 0, pValue: 1 };
  let stat = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    const c = current[i] as number;
    const col = r + c;
    if (col === 0) continue;
    const e1 = (n1 * col) / n;
    const e2 = (n2 * col) / n;
    if (lambda === 'pearson') stat += ((r - e1) * (r - e1)) / e1 + ((c - e2) * (c - e2)) / e2;
    else stat += 2 * ((r > 0 ? r * Math.log(r / e1) : 0) + (c > 0 ? c * Math.log(c / e2) : 0));
  }
  return { statistic: stat, pValue: chiSquareSf(stat, k - 1) };
}

/**
 * Pooled two-proportion z-test: is the share of `successes` the same in both samples? O(1).
 *
 * @param x1 - successes in sample 1.
 * @param n1 - size of sample 1 (> 0).
 * @param x2 - successes in sample 2.
 * @param n2 - size of sample 2 (> 0).
 * @returns z and two-sided p-value (z = 0, p = 1 when the pooled share is 0 or 1).
 * @example twoProportionZTest(50, 100, 30, 100).pValue // ≈ 0.0039
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { statistic: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

function logHypergeom(x: number, total: number, row1: number, col1: number): number {
  const lc = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return lc(row1, x) + lc(total - row1, col1 - x) - lc(total, col1);
}

/**
 * Fisher's exact test on [[a, b], [c, d]], two-sided (sum of the
 * probabilities of tables no more likely than the observed one). O(min margin).
 *
 * @param a - top-left count.
 * @param b - top-right count.
 * @param c - bottom-left count.
 * @param d - bottom-right count.
 * @returns the sample odds ratio (a·d / b·c) as statistic and the p-value.
 * @example fisherExact(8, 2, 1, 5).pValue // ≈ 0.0350
 */
export function fisherExact(a: number, b: number, c: number, d: number): TestResult {
  const row1 = a + b;
  const col1 = a + c;
  const total = a + b + c + d;
  const odds = b * c === 0 ? (a * d === 0 ? NaN : Infinity) : (a * d) / (b * c);
  if (row1 === 0 || col1 === 0 || row1 === total || col1 === total)
    return { statistic: odds, pValue: 1 };
  const lo = Math.max(0, col1 - (total - row1));
  const hi = Math.min(row1, col1);
  const lObs = logHypergeom(a, total, row1, col1);
  let p = 0;
  for (let x = lo; x <= hi; x++) {
    const l = logHypergeom(x, total, row1, col1);
    if (l <= lObs + 1e-7) p += Math.exp(l);
  }
  return { statistic: odds, pValue: Math.min(1, p) };
}
