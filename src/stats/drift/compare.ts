/**
 * Compares a current column with a prepared reference for one feature and
 * builds the {@link DriftResult}. Runs in the engine.
 */
import { DataError } from '../../errors.js';
import type { SampleOps } from '../sample-ops.js';
import type { Calibration } from './calibration.js';
import { normalizeColumn } from './column.js';
import { defaultThreshold, methodKind, treatsNumericAsCategories } from './methods.js';
import type { FeatureReference } from './reference.js';
import {
  binnedReference,
  countSortedValues,
  countStrings,
  referenceCategories,
  referenceSize,
} from './reference.js';
import { STD_FLOOR } from './statistic.js';
import type { DriftStatistics, Statistic } from './statistic.js';
import type { DriftMethod, DriftResult } from './types.js';

/** Settings of one feature after defaults and overrides are applied. */
export interface FeatureSettings {
  method: DriftMethod;
  /** p-value level (tests) or distance cut (distances); the method's default when absent. */
  threshold?: number;
  /** Effect-size floor of a test method (see `FeatureDriftOptions.minEffect`). */
  minEffect?: number;
  /** Declared in the `categorical` option: numbers are taken as labels. */
  categorical?: boolean;
  bins: number;
  calibrate?: Calibration;
}

/**
 * Compares `current` with the reference. O(m log m) for sorted methods, O(m) otherwise,
 * plus O(resamples · n) once per current size when calibrating.
 *
 * @param ref - the reference summary.
 * @param current - raw current values of this feature.
 * @param settings - resolved method, threshold, bins, calibration.
 * @param ops - kernel primitives.
 * @param stats - the statistics set that computes the method.
 * @param calibrationCache - calibrated thresholds by key (kept by the caller).
 * @returns the result.
 * @throws DataError for an empty current sample, a type mismatch with the reference, or a method/data mismatch.
 * @example compareFeature(ref, [0.1, 0.2], { method: 'ks', bins: 10 }, tsSampleOps, fullStatistics)
 */
export function compareFeature(
  ref: FeatureReference,
  current: unknown,
  settings: FeatureSettings,
  ops: SampleOps,
  stats: DriftStatistics,
  calibrationCache?: Map<string, number>,
): DriftResult {
  const feature = ref.feature;
  // Only a declared categorical column turns numbers into labels; a reference of strings
  // compared with numbers is a type mismatch.
  const col = normalizeColumn(current, feature, settings.categorical === true);
  if (col.kind !== ref.kind) {
    throw new DataError(
      `feature "${feature}": expected ${ref.kind} values like the reference, got ${col.kind} values`,
    );
  }
  const size = col.values.length;
  if (size === 0) {
    throw new DataError(
      `feature "${feature}": expected at least one non-missing current value, got ${col.missing} missing of ${col.missing}`,
    );
  }
  const method = settings.method;
  let stat: Statistic;
  let meanShift = NaN;
  let stdShift = NaN;
  let effect: (() => number) | undefined;
  if (ref.kind === 'numeric' && col.kind === 'numeric') {
    const sorted = ops.sortF64(col.values);
    const moments = ops.moments(sorted);
    const refStd = Math.sqrt(ref.moments.variance);
    const scale = refStd > 0 ? refStd : STD_FLOOR;
    meanShift = (moments.mean - ref.moments.mean) / scale;
    stdShift = (Math.sqrt(moments.variance) - refStd) / scale;
    if (treatsNumericAsCategories(method)) {
      const refCounts = referenceCategories(ref);
      const curCounts = countSortedValues(sorted);
      stat = stats.categorical(method, refCounts, curCounts, feature);
      effect = () => stats.categorical('jensenshannon', refCounts, curCounts, feature).statistic;
    } else {
      effect = () =>
        stats.numeric(
          'wasserstein',
          { sorted: ref.sorted, moments: ref.moments },
          { sorted, moments },
          undefined,
          ops,
          feature,
        ).statistic;
      const binned = ['psi', 'jensenshannon', 'kl', 'hellinger', 'tvd'].includes(method)
        ? binnedReference(ref, settings.bins, ops)
        : undefined;
      stat = stats.numeric(
        method,
        { sorted: ref.sorted, moments: ref.moments },
        { sorted, moments },
        binned,
        ops,
        feature,
      );
    }
  } else {
    const refCounts = referenceCategories(ref);
    const curCounts = countStrings(col.values as string[]);
    stat = stats.categorical(method, refCounts, curCounts, feature);
    effect = () => stats.categorical('jensenshannon', refCounts, curCounts, feature).statistic;
  }
  let threshold = settings.threshold ?? defaultThreshold(method);
  let calibrated = false;
  if (settings.calibrate) {
    const c = settings.calibrate;
    const key = `${method}|${size}|${settings.bins}|${c.alpha}|${c.resamples}|${c.seed}`;
    let t = calibrationCache?.get(key);
    if (t === undefined) {
      t = stats.calibrate(ref, method, size, settings.bins, c, ops);
      calibrationCache?.set(key, t);
    }
    if (!Number.isNaN(t)) {
      threshold = t;
      calibrated = true;
    }
  }
  const kind = methodKind(method);
  const value = kind === 'test' ? (stat.pValue ?? NaN) : stat.statistic;
  let isDrift =
    kind === 'test' ? value < threshold : calibrated ? value > threshold : value >= threshold;
  const minEffect = kind === 'test' ? settings.minEffect : undefined;
  const effectSize = minEffect !== undefined && effect ? effect() : undefined;
  if (minEffect !== undefined && !((effectSize ?? NaN) >= minEffect)) isDrift = false;
  const result: DriftResult = {
    isDrift,
    method,
    kind: ref.kind,
    statistic: stat.statistic,
    threshold,
    calibrated,
    meanShift,
    stdShift,
    referenceSize: referenceSize(ref),
    currentSize: size,
    missing: { reference: ref.missing, current: col.missing },
  };
  if (stat.pValue !== undefined) result.pValue = stat.pValue;
  if (minEffect !== undefined) {
    result.effect = effectSize ?? NaN;
    result.minEffect = minEffect;
  }
  if (stat.distance !== undefined) result.distance = stat.distance;
  return result;
}
