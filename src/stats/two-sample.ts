/**
 * Plain two-sample functions on plain arrays, for users who do not want the
 * `DriftDetector` class. Synchronous and in the calling thread (pure
 * TypeScript primitives), so meant for moderate sizes; each one runs the same
 * code path as the detector. NaN, null and undefined are dropped first.
 */
import type { KsMode, KsResult } from './ks-test.js';
import { ksPValue } from './ks-test.js';
import { normalizeColumn } from './drift/column.js';
import { fullStatistics } from './drift/full-statistics.js';
import { compareDrift, prepareDrift } from './drift/prepared.js';
import type { DriftMethod, DriftResult, FeatureValues } from './drift/types.js';
import { DataError } from '../errors.js';
import { tsSampleOps } from './sample-ops.js';

/** Statistic and p-value of a test. */
export interface TwoSampleTest {
  /** The test's statistic (Anderson–Darling, Cramér–von Mises or Welch's t). */
  statistic: number;
  /** Probability of a statistic at least this extreme when both samples share a distribution. */
  pValue: number;
}

function run(
  reference: FeatureValues,
  current: FeatureValues,
  method: DriftMethod,
  bins?: number,
): DriftResult {
  const opts = bins === undefined ? { method } : { method, bins };
  return compareDrift(
    prepareDrift(reference, opts, tsSampleOps, fullStatistics),
    current,
    tsSampleOps,
    fullStatistics,
  ) as DriftResult;
}

function numericSorted(values: FeatureValues, name: string): Float64Array {
  const col = normalizeColumn(values, name, false);
  if (col.kind !== 'numeric') throw new DataError(`${name}: expected numbers, got strings`);
  if (col.values.length === 0)
    throw new DataError(`${name}: expected at least one non-missing value, got none`);
  return tsSampleOps.sortF64(col.values);
}

/**
 * Two-sample Kolmogorov–Smirnov test, as `scipy.stats.ks_2samp` (two-sided). O(n log n).
 *
 * @param a - first sample.
 * @param b - second sample.
 * @param mode - `'auto'` (exact up to 10 000 per sample), `'exact'` or `'asymp'`.
 * @returns statistic, p-value and the method used.
 * @throws DataError for an empty sample or strings.
 * @example ks2Sample([1, 2, 3, 4], [5, 6, 7, 8]) // => { statistic: 1, pValue: 0.0286, mode: 'exact' }
 */
export function ks2Sample(a: FeatureValues, b: FeatureValues, mode: KsMode = 'auto'): KsResult {
  const sa = numericSorted(a, 'a');
  const sb = numericSorted(b, 'b');
  return ksPValue(tsSampleOps.ksStatisticSorted(sa, sb), sa.length, sb.length, mode);
}

/**
 * Wasserstein-1 distance, as `scipy.stats.wasserstein_distance`. O(n log n).
 *
 * @param a - first sample.
 * @param b - second sample.
 * @returns W1 ≥ 0.
 * @throws DataError for an empty sample or strings.
 * @example wasserstein1([0, 1, 3], [5, 6, 8]) // => 5
 */
export function wasserstein1(a: FeatureValues, b: FeatureValues): number {
  return tsSampleOps.wasserstein1Sorted(numericSorted(a, 'a'), numericSorted(b, 'b'));
}

/**
 * Energy distance, as `scipy.stats.energy_distance`. O(n log n).
 *
 * @param a - first sample.
 * @param b - second sample.
 * @returns the distance ≥ 0.
 * @throws DataError for an empty sample or strings.
 * @example energyDistance([0], [1]) // => 1.4142
 */
export function energyDistance(a: FeatureValues, b: FeatureValues): number {
  return run(a, b, 'energy').statistic;
}

/**
 * Two-sample Anderson–Darling test, as `scipy.stats.anderson_ksamp([a, b])` (p capped to [0.001, 0.25]).
 *
 * @param a - first sample.
 * @param b - second sample.
 * @returns standardized statistic and p-value.
 * @throws DataError for fewer than 4 values in total.
 * @example andersonDarling(a, b).pValue
 */
export function andersonDarling(a: FeatureValues, b: FeatureValues): TwoSampleTest {
  const r = run(a, b, 'anderson');
  return { statistic: r.statistic, pValue: r.pValue as number };
}

/**
 * Two-sample Cramér–von Mises test, as `scipy.stats.cramervonmises_2samp` with
 * `method='auto'`: the exact permutation p-value when both samples have at most
 * 20 values, the asymptotic one (Anderson 1962) above.
 *
 * @param a - first sample.
 * @param b - second sample.
 * @returns statistic T and p-value.
 * @example cramerVonMises(a, b).pValue
 */
export function cramerVonMises(a: FeatureValues, b: FeatureValues): TwoSampleTest {
  const r = run(a, b, 'cramervonmises');
  return { statistic: r.statistic, pValue: r.pValue as number };
}

/**
 * Welch's t-test, as `scipy.stats.ttest_ind(a, b, equal_var=False)`.
 *
 * @param a - first sample (≥ 2 values).
 * @param b - second sample (≥ 2 values).
 * @returns t (sign: mean(a) − mean(b)) and two-sided p-value.
 * @example welchTTest([1, 2, 3], [4, 5, 6]).pValue // ≈ 0.0213
 */
export function welchTTest(a: FeatureValues, b: FeatureValues): TwoSampleTest {
  const r = run(a, b, 'ttest');
  return { statistic: r.statistic, pValue: r.pValue as number };
}

/**
 * Population stability index of `current` against `reference`: quantile bins of
 * the reference for numbers (`bins`, default 10), categories for strings.
 *
 * @param reference - reference sample.
 * @param current - current sample.
 * @param bins - number of quantile bins for numbers.
 * @returns PSI ≥ 0.
 * @example psi(['a', 'b'], ['a', 'a']) // ≈ 4.2
 */
export function psi(reference: FeatureValues, current: FeatureValues, bins?: number): number {
  return run(reference, current, 'psi', bins).statistic;
}

/**
 * Jensen–Shannon distance (natural log, as scipy) between the binned samples.
 *
 * @param reference - reference sample.
 * @param current - current sample.
 * @param bins - number of quantile bins for numbers.
 * @returns the distance in [0, √ln2].
 * @example jensenShannon(['a'], ['b']) // ≈ 0.8326
 */
export function jensenShannon(
  reference: FeatureValues,
  current: FeatureValues,
  bins?: number,
): number {
  return run(reference, current, 'jensenshannon', bins).statistic;
}

/**
 * Kullback–Leibler divergence KL(reference ‖ current) between the binned samples (zero-filled).
 *
 * @param reference - reference sample.
 * @param current - current sample.
 * @param bins - number of quantile bins for numbers.
 * @returns KL ≥ 0.
 * @example klDivergence(['a', 'b'], ['a', 'b']) // => 0
 */
export function klDivergence(
  reference: FeatureValues,
  current: FeatureValues,
  bins?: number,
): number {
  return run(reference, current, 'kl', bins).statistic;
}

/**
 * Hellinger distance between the binned samples.
 *
 * @param reference - reference sample.
 * @param current - current sample.
 * @param bins - number of quantile bins for numbers.
 * @returns the distance in [0, 1].
 * @example hellinger(['a'], ['b']) // => 1
 */
export function hellinger(reference: FeatureValues, current: FeatureValues, bins?: number): number {
  return run(reference, current, 'hellinger', bins).statistic;
}

/**
 * Total variation distance between the binned samples.
 *
 * @param reference - reference sample.
 * @param current - current sample.
 * @param bins - number of quantile bins for numbers.
 * @returns the distance in [0, 1].
 * @example totalVariation(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']) // => 0.25
 */
export function totalVariation(
  reference: FeatureValues,
  current: FeatureValues,
  bins?: number,
): number {
  return run(reference, current, 'tvd', bins).statistic;
}
