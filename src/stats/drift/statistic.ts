/**
 * One drift statistic between a reference side and a current side, for every
 * method. Used by `compareFeature` (reference vs current) and by threshold
 * calibration (reference remainder vs resampled window), so each method's
 * computation exists once.
 */
import { DataError } from '../../errors.js';
import { andersonDarlingSorted } from '../anderson-darling.js';
import { contingencyTest, fisherExact, twoProportionZTest } from '../categorical-tests.js';
import { cramerVonMisesSorted } from '../cramer-von-mises.js';
import {
  hellingerFromCounts,
  jensenShannonFromCounts,
  klFromCounts,
  psiFromCounts,
  totalVariationFromCounts,
} from '../divergences.js';
import { energyDistanceSorted } from '../ecdf-distances.js';
import { eppsSingletonSorted } from '../epps-singleton.js';
import { ksPValue } from '../ks-test.js';
import type { SampleMoments, SampleOps } from '../sample-ops.js';
import { welchFromMoments } from '../welch-t-test.js';
import type { DriftMethod } from './types.js';

/** Evidently's floor on the reference std used to normalize Wasserstein (and the shifts). */
export const STD_FLOOR = 0.001;

/** A numeric side: ascending values and their moments. */
export interface NumericSide {
  sorted: Float64Array;
  moments: SampleMoments;
}

/** The outcome of one statistic. */
export interface Statistic {
  statistic: number;
  pValue?: number;
  distance?: number;
}

/**
 * A numeric method (not a categorical one) between two numeric sides.
 *
 * @param method - a numeric method.
 * @param ref - reference side.
 * @param cur - current side.
 * @param binned - reference bin edges and counts (for binned methods).
 * @param ops - kernel primitives.
 * @returns statistic, p-value for tests, raw distance for Wasserstein.
 * @throws DataError when a test needs more values than given.
 * @example numericStatistic('ks', ref, cur, undefined, tsSampleOps)
 */
export function numericStatistic(
  method: DriftMethod,
  ref: NumericSide,
  cur: NumericSide,
  binned: { edges: Float64Array; counts: Float64Array } | undefined,
  ops: SampleOps,
  feature = 'value',
): Statistic {
  switch (method) {
    case 'ks': {
      const r = ksPValue(
        ops.ksStatisticSorted(ref.sorted, cur.sorted),
        ref.sorted.length,
        cur.sorted.length,
      );
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'wasserstein': {
      const w = ops.wasserstein1Sorted(ref.sorted, cur.sorted);
      const std = Math.sqrt(ref.moments.variance);
      return { statistic: w / Math.max(std, STD_FLOOR), distance: w };
    }
    case 'energy':
      return { statistic: energyDistanceSorted(ref.sorted, cur.sorted) };
    case 'anderson': {
      if (ref.sorted.length + cur.sorted.length < 4) {
        throw new DataError(
          `feature "${feature}": anderson needs at least 4 values in total, got ${ref.sorted.length + cur.sorted.length}`,
        );
      }
      const r = andersonDarlingSorted(ref.sorted, cur.sorted);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'cramervonmises': {
      const r = cramerVonMisesSorted(ref.sorted, cur.sorted);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'eppssingleton': {
      const n1 = ref.sorted.length;
      const n2 = cur.sorted.length;
      if (n1 < 5 || n2 < 5) {
        throw new DataError(
          `feature "${feature}": eppssingleton needs at least 5 values on each side, got ${n1} and ${n2}`,
        );
      }
      const r = eppsSingletonSorted(ref.sorted, cur.sorted);
      if (Number.isNaN(r.statistic)) {
        throw new DataError(
          `feature "${feature}": eppssingleton needs a non-zero interquartile range of the pooled values, got 0`,
        );
      }
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'ttest': {
      const a = ref.moments;
      const b = cur.moments;
      if (a.count < 2 || b.count < 2) {
        throw new DataError(
          `feature "${feature}": ttest needs at least 2 values on each side, got ${a.count} and ${b.count}`,
        );
      }
      const r = welchFromMoments(a.count, a.mean, a.variance, b.count, b.mean, b.variance);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'psi':
    case 'jensenshannon':
    case 'kl':
    case 'hellinger':
    case 'tvd': {
      if (!binned) throw new DataError(`feature "${feature}": missing bins for ${method}`);
      const counts = ops.binCounts(cur.sorted, binned.edges);
      return { statistic: divergence(method, binned.counts, counts) };
    }
    default:
      throw new DataError(`feature "${feature}": ${method} is not a numeric method`);
  }
}

function divergence(
  method: 'psi' | 'jensenshannon' | 'kl' | 'hellinger' | 'tvd',
  r: ArrayLike<number>,
  c: ArrayLike<number>,
): number {
  switch (method) {
    case 'psi':
      return psiFromCounts(r, c);
    case 'jensenshannon':
      return jensenShannonFromCounts(r, c);
    case 'kl':
      return klFromCounts(r, c);
    case 'hellinger':
      return hellingerFromCounts(r, c);
    case 'tvd':
      return totalVariationFromCounts(r, c);
  }
}

/**
 * Aligns two category count maps: reference categories in sorted order, then
 * categories seen only in the current sample (sorted), each its own bin with a
 * reference count of 0.
 *
 * @param ref - reference counts.
 * @param cur - current counts.
 * @returns keys and aligned count vectors.
 * @example alignCategories(new Map([['a', 1]]), new Map([['b', 2]])).keys // => ['a', 'b']
 */
export function alignCategories(
  ref: Map<string, number>,
  cur: Map<string, number>,
): { keys: string[]; ref: Float64Array; cur: Float64Array } {
  const keys = [...ref.keys()].sort();
  const unseen = [...cur.keys()].filter((k) => !ref.has(k)).sort();
  keys.push(...unseen);
  return {
    keys,
    ref: Float64Array.from(keys, (k) => ref.get(k) ?? 0),
    cur: Float64Array.from(keys, (k) => cur.get(k) ?? 0),
  };
}

/**
 * A method on category counts (reference vs current).
 *
 * @param method - chisquare, gtest, ztest, fisher, or a divergence.
 * @param refCounts - reference counts per category.
 * @param curCounts - current counts per category.
 * @param feature - the feature's name (for messages).
 * @returns statistic and p-value for tests.
 * @throws DataError for `fisher` with more than two categories, or a numeric-only method.
 * @example categoricalStatistic('chisquare', refCounts, curCounts, 'color')
 */
export function categoricalStatistic(
  method: DriftMethod,
  refCounts: Map<string, number>,
  curCounts: Map<string, number>,
  feature = 'value',
): Statistic {
  const a = alignCategories(refCounts, curCounts);
  const n1 = a.ref.reduce((s, v) => s + v, 0);
  const n2 = a.cur.reduce((s, v) => s + v, 0);
  switch (method) {
    case 'chisquare':
    case 'gtest': {
      const r = contingencyTest(
        a.ref,
        a.cur,
        method === 'chisquare' ? 'pearson' : 'log-likelihood',
      );
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'ztest': {
      const key = [...a.keys].sort()[0];
      const idx = key === undefined ? -1 : a.keys.indexOf(key);
      const r = twoProportionZTest(
        idx < 0 ? 0 : (a.ref[idx] as number),
        n1,
        idx < 0 ? 0 : (a.cur[idx] as number),
        n2,
      );
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'fisher': {
      if (a.keys.length > 2) {
        throw new DataError(
          `feature "${feature}": fisher needs at most 2 categories, got ${a.keys.length} (${a.keys.slice(0, 5).join(', ')})`,
        );
      }
      const r = fisherExact(a.ref[0] ?? 0, a.ref[1] ?? 0, a.cur[0] ?? 0, a.cur[1] ?? 0);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'psi':
    case 'jensenshannon':
    case 'kl':
    case 'hellinger':
    case 'tvd':
      return { statistic: divergence(method, a.ref, a.cur) };
    default:
      throw new DataError(`feature "${feature}": ${method} needs numeric values, got categories`);
  }
}
