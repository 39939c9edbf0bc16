/**
 * The core drift statistics and the interface every statistics set has.
 * Each method's computation exists once: the core methods (the `core` column
 * of the method table: those `'auto'` picks, the count divergences, and those
 * whose code the core carries anyway) here, the others and threshold
 * calibration in full-statistics.ts, which falls back to these. The drift
 * pipeline (compare.ts, prepared.ts, the engine's drift service) takes a set
 * as an object, so the engine worker a page starts carries only the core.
 */
import { DataError, KernelError } from '../../errors.js';
import { contingencyTest, twoProportionZTest } from '../categorical-tests.js';
import {
  hellingerFromCounts,
  jensenShannonFromCounts,
  klFromCounts,
  psiFromCounts,
  totalVariationFromCounts,
} from '../divergences.js';
import { ksPValue } from '../ks-test.js';
import type { SampleMoments, SampleOps } from '../sample-ops.js';
import type { calibrateThreshold } from './calibration.js';
import { isCoreMethod } from './methods.js';
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

/** Reference bin edges and counts (for the binned methods on numeric data). */
export interface Binned {
  edges: Float64Array;
  counts: Float64Array;
}

/**
 * A set of drift statistics: what the drift pipeline computes with. Calls
 * for a method the set does not hold throw a `KernelError`.
 */
export interface DriftStatistics {
  /**
   * Checks that the set computes `method` (and calibration when asked) before
   * a reference is prepared with it.
   *
   * @throws KernelError when it does not.
   */
  require(method: DriftMethod, calibrate: boolean): void;
  /** A numeric method between two numeric sides (see {@link coreNumericStatistic}). */
  numeric(
    method: DriftMethod,
    ref: NumericSide,
    cur: NumericSide,
    binned: Binned | undefined,
    ops: SampleOps,
    feature: string,
  ): Statistic;
  /** A method on category counts (see {@link coreCategoricalStatistic}). */
  categorical(
    method: DriftMethod,
    refCounts: Map<string, number>,
    curCounts: Map<string, number>,
    feature: string,
  ): Statistic;
  /** A reference-calibrated threshold: `calibrateThreshold` (calibration.ts) computed with this set. */
  calibrate(...args: CalibrationArgs): number;
}

/** The arguments of `calibrateThreshold` but the statistics set. */
type CalibrationArgs =
  Parameters<typeof calibrateThreshold> extends [...infer A, DriftStatistics] ? A : never;

/**
 * A core numeric method (not a categorical one) between two numeric sides.
 *
 * @param method - a core numeric method.
 * @param ref - reference side.
 * @param cur - current side.
 * @param binned - reference bin edges and counts (for binned methods).
 * @param ops - kernel primitives.
 * @returns statistic, p-value for tests, raw distance for Wasserstein.
 * @throws DataError when a test needs more values than given.
 * @example coreNumericStatistic('ks', ref, cur, undefined, tsSampleOps)
 */
export function coreNumericStatistic(
  method: DriftMethod,
  ref: NumericSide,
  cur: NumericSide,
  binned: Binned | undefined,
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
 * A core method on category counts (reference vs current).
 *
 * @param method - chisquare, gtest, ztest, or a divergence.
 * @param refCounts - reference counts per category.
 * @param curCounts - current counts per category.
 * @param feature - the feature's name (for messages).
 * @returns statistic and p-value for tests.
 * @throws DataError for a numeric-only method.
 * @example coreCategoricalStatistic('chisquare', refCounts, curCounts, 'color')
 */
export function coreCategoricalStatistic(
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

function notCore(what: string): KernelError {
  return new KernelError(
    `expected a core drift method without calibration in this engine, got ${what} (only the full statistics compute it)`,
  );
}

function requireCore(method: DriftMethod): void {
  if (!isCoreMethod(method)) throw notCore(`'${method}'`);
}

/**
 * The core statistics set: the core methods, no calibration. What the engine
 * worker a page starts computes with (see wasm-core-worker.ts).
 */
export const coreStatistics: DriftStatistics = {
  require(method, calibrate) {
    requireCore(method);
    if (calibrate) throw notCore(`calibration of '${method}'`);
  },
  numeric(method, ref, cur, binned, ops, feature) {
    requireCore(method);
    return coreNumericStatistic(method, ref, cur, binned, ops, feature);
  },
  categorical(method, refCounts, curCounts, feature) {
    requireCore(method);
    return coreCategoricalStatistic(method, refCounts, curCounts, feature);
  },
  calibrate(_ref, method) {
    throw notCore(`calibration of '${method}'`);
  },
};
