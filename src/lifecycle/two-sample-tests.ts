/**
 * Two-sample comparisons used by {@link ABTest}: each returns the effect
 * estimate (candidate − control, "B − A"), its variance, the classical test
 * statistic and its fixed-horizon two-sided p-value. The sequential rule
 * (`msprt.ts`) consumes `estimate` and `variance`; the fixed-horizon rule uses
 * `pValue`.
 */
import { normalSf } from '../stats/distributions.js';
import { twoProportionZTest as classicalZTest } from '../stats/categorical-tests.js';
import { welchFromMoments } from '../stats/welch-t-test.js';

/** Result of a two-sample comparison. */
export interface EffectEstimate {
  /** B − A in the metric's units. */
  estimate: number;
  /** Estimated variance of `estimate` (what a sequential rule uses). */
  variance: number;
  /** The classical statistic (z or Welch t). */
  statistic: number;
  /** Two-sided fixed-horizon p-value of the classical test (valid only if looked at once). */
  pValue: number;
  /** Degrees of freedom (Welch–Satterthwaite) for the t test. */
  df?: number;
}

function statisticOf(estimate: number, se: number): number {
  if (se > 0) return estimate / se;
  return estimate === 0 ? 0 : estimate > 0 ? Infinity : -Infinity;
}

/**
 * A/B effect of accuracy (A vs B) with the two-proportion z-test; distinct
 * from `twoProportionZTest` in `src/stats`, which returns only the test. The statistic uses the pooled
 * proportion (the classical test under H0: pA = pB); `variance` is the
 * unpooled variance with a +1/+2 (Agresti–Caffo style) adjustment so it never
 * collapses to zero when an arm is all right or all wrong.
 * @param successA - correct predictions in arm A (control).
 * @param nA - samples in arm A, ≥ 1.
 * @param successB - correct predictions in arm B (candidate).
 * @param nB - samples in arm B, ≥ 1.
 * @returns the comparison; NaN fields when an arm is empty. O(1).
 * @example abProportionTest(80, 100, 90, 100).estimate // => 0.1
 */
export function abProportionTest(
  successA: number,
  nA: number,
  successB: number,
  nB: number,
): EffectEstimate {
  if (!(nA > 0) || !(nB > 0)) return { estimate: NaN, variance: NaN, statistic: NaN, pValue: NaN };
  const estimate = successB / nB - successA / nA;
  // the classical statistic and p-value come from src/stats (B first, so z has the sign of B − A)
  const { statistic, pValue } = classicalZTest(successB, nB, successA, nA);
  const tA = (successA + 1) / (nA + 2);
  const tB = (successB + 1) / (nB + 2);
  const variance = (tA * (1 - tA)) / nA + (tB * (1 - tB)) / nB;
  return { estimate, variance, statistic, pValue };
}

/** Count, mean and sum of squared deviations of one arm (Welford). */
export interface SampleMoments {
  n: number;
  mean: number;
  /** Σ (x − mean)²; sample variance = m2 / (n − 1). */
  m2: number;
}

/**
 * A/B effect of a mean (e.g. mean absolute error A vs B) with Welch's
 * unequal-variance t-test; distinct from `welchTTest` in `src/stats`, which
 * takes raw samples and returns only the test.
 * @param a - moments of arm A (control), n ≥ 2.
 * @param b - moments of arm B (candidate), n ≥ 2.
 * @returns the comparison with Welch–Satterthwaite `df`; NaN fields when an arm has < 2 samples. O(1).
 * @example abWelchTest({ n: 3, mean: 2, m2: 2 }, { n: 3, mean: 4, m2: 2 }).statistic // => ≈ 2.449
 */
export function abWelchTest(a: SampleMoments, b: SampleMoments): EffectEstimate {
  if (!(a.n >= 2) || !(b.n >= 2))
    return { estimate: NaN, variance: NaN, statistic: NaN, pValue: NaN };
  const variance = a.m2 / (a.n - 1) / a.n + b.m2 / (b.n - 1) / b.n;
  // statistic, p-value and Welch–Satterthwaite df from src/stats (B first: t has the sign of B − A)
  const { statistic, pValue, df } = welchFromMoments(
    b.n,
    b.mean,
    b.m2 / b.n,
    a.n,
    a.mean,
    a.m2 / a.n,
  );
  return { estimate: b.mean - a.mean, variance, statistic, pValue, df };
}

/** A quantile function of one arm's distribution (e.g. a sketch's `quantile`). */
export type QuantileFn = (q: number) => number;

/**
 * Difference of the q-quantiles of two samples, with the asymptotic variance
 * q(1 − q) / (n f(ξ_q)²) per arm and the density f estimated from the
 * quantile function itself (Siddiqui's difference quotient,
 * 1/f ≈ (Q(q + h) − Q(q − h)) / 2h with h = min(n^(−1/3), q/2, (1 − q)/2)).
 * Works on exact samples and on relative-error sketches alike; the spread is
 * floored at `2·relativeError·Q(q)` so a sketch bucket never reads as a zero
 * variance. Honest limits: asymptotic (n in the hundreds), assumes the
 * density is smooth around the quantile, and in curved tails the difference
 * quotient over-estimates the variance (up to ~20 % at p90–p95 of an
 * exponential: the conservative side).
 * @param qa - quantile function of arm A (control).
 * @param nA - samples behind `qa`.
 * @param qb - quantile function of arm B (candidate).
 * @param nB - samples behind `qb`.
 * @param q - which quantile, in (0, 1).
 * @param relativeError - the quantile source's relative error (0 for exact).
 * @returns the comparison (z statistic, normal p-value). O(1) quantile calls.
 * @example quantileDifference((q) => q * 10, 1000, (q) => q * 12, 1000, 0.5).estimate // => 1
 */
export function quantileDifference(
  qa: QuantileFn,
  nA: number,
  qb: QuantileFn,
  nB: number,
  q: number,
  relativeError = 0,
): EffectEstimate {
  if (!(nA >= 2) || !(nB >= 2) || !(q > 0 && q < 1)) {
    return { estimate: NaN, variance: NaN, statistic: NaN, pValue: NaN };
  }
  const arm = (qf: QuantileFn, n: number): { value: number; variance: number } => {
    const h = Math.min(Math.cbrt(1 / n), q / 2, (1 - q) / 2);
    const value = qf(q);
    const spread = Math.max(qf(q + h) - qf(q - h), 2 * relativeError * Math.abs(value));
    const invDensity = spread / (2 * h);
    return { value, variance: (q * (1 - q) * invDensity * invDensity) / n };
  };
  const a = arm(qa, nA);
  const b = arm(qb, nB);
  const estimate = b.value - a.value;
  const variance = a.variance + b.variance;
  const statistic = statisticOf(estimate, Math.sqrt(variance));
  const pValue = Number.isFinite(statistic) ? Math.min(1, 2 * normalSf(Math.abs(statistic))) : 0;
  return { estimate, variance, statistic, pValue };
}
