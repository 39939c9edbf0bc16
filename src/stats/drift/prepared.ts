/**
 * A prepared drift reference: one feature or a table, with every option
 * resolved and validated. `prepareDrift` runs once (in the engine);
 * `compareDrift` runs per check.
 */
import { ConfigError, DataError, describeValue } from '../../errors.js';
import { rejectHypotheses } from '../multiple-testing.js';
import type { SampleOps } from '../sample-ops.js';
import type { Calibration } from './calibration.js';
import { normalizeColumn } from './column.js';
import type { FeatureSettings } from './compare.js';
import { compareFeature } from './compare.js';
import {
  AUTO_MIN_EFFECT,
  autoMethod,
  canonicalMethod,
  methodAccepts,
  methodKind,
} from './methods.js';
import type { FeatureReference } from './reference.js';
import type { DriftStatistics } from './statistic.js';
import { prepareReference, referenceSize } from './reference.js';
import type { DriftOptions, DriftResult, FeatureDriftOptions, TableDriftResult } from './types.js';
import { checkThresholdMeaning, isTable, SINGLE_FEATURE, validateDriftOptions } from './options.js';
import type { PreparedInfo } from './options.js';

/** What the engine stores per reference id. */
export interface PreparedDrift {
  table: boolean;
  columns: string[];
  refs: Map<string, FeatureReference>;
  settings: Map<string, FeatureSettings>;
  options: DriftOptions;
  calibrationCache: Map<string, number>;
}

function resolveCalibration(c: FeatureDriftOptions['calibrate']): Calibration | undefined {
  if (!c) return undefined;
  const o = c === true ? {} : c;
  return { alpha: o.alpha ?? 0.05, resamples: o.resamples ?? 200, seed: o.seed ?? 1 };
}

/**
 * Prepares a reference: normalizes each column, computes its summary and resolves its settings.
 *
 * @param reference - one feature's values or a table.
 * @param options - detector options.
 * @param ops - kernel primitives.
 * @param stats - the statistics set the comparisons will use.
 * @returns the prepared reference.
 * @throws ConfigError for bad options, unknown override columns, or a method that does not fit the data;
 *   DataError for empty or mixed-type columns; KernelError for a method or calibration `stats` lacks.
 * @example prepareDrift([1, 2, 3], {}, tsSampleOps, fullStatistics)
 */
export function prepareDrift(
  reference: unknown,
  options: DriftOptions,
  ops: SampleOps,
  stats: DriftStatistics,
): PreparedDrift {
  validateDriftOptions(options);
  const table = isTable(reference);
  const data: Record<string, unknown> = table ? reference : { [SINGLE_FEATURE]: reference };
  const columns = Object.keys(data);
  if (columns.length === 0)
    throw new ConfigError('reference: expected at least one column, got an empty table');
  checkThresholdMeaning(options, columns);
  for (const name of Object.keys(options.features ?? {})) {
    if (!columns.includes(name)) {
      throw new ConfigError(
        `features.${name}: expected a column of the reference (${columns.join(', ')}), got "${name}"`,
      );
    }
  }
  const categorical = new Set(options.categorical ?? []);
  const refs = new Map<string, FeatureReference>();
  const settings = new Map<string, FeatureSettings>();
  for (const name of columns) {
    const col = normalizeColumn(data[name], name, categorical.has(name));
    if (col.values.length === 0) {
      throw new DataError(
        `feature "${name}": expected at least one non-missing reference value, got ${col.missing} missing`,
      );
    }
    const ref = prepareReference(col, name, ops);
    refs.set(name, ref);
    const own = stripUndefined(options.features?.[name] ?? {});
    const o = { ...stripUndefined(options), ...own };
    const named = canonicalMethod(o.method ?? 'auto');
    const auto = named === 'auto';
    const method = named === 'auto' ? autoMethod(ref.kind, ref.unique) : named;
    if (!methodAccepts(method, ref.kind)) {
      throw new ConfigError(
        `feature "${name}": expected a method for ${ref.kind} data, got '${method}'`,
      );
    }
    const s: FeatureSettings = { method, bins: o.bins ?? 10 };
    if (categorical.has(name)) s.categorical = true;
    const kind = methodKind(method);
    const level =
      kind === 'test'
        ? (own.alpha ?? own.threshold ?? options.alpha ?? options.threshold)
        : (own.threshold ?? options.threshold);
    if (level !== undefined) s.threshold = level;
    if (kind === 'test') {
      const floor = o.minEffect ?? (auto ? AUTO_MIN_EFFECT : 0);
      if (floor > 0) s.minEffect = floor;
    }
    const cal = resolveCalibration(o.calibrate);
    stats.require(method, cal !== undefined);
    if (cal) s.calibrate = cal;
    settings.set(name, s);
  }
  return { table, columns, refs, settings, options, calibrationCache: new Map() };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Describes a prepared reference.
 *
 * @param p - the prepared reference.
 * @returns kinds, methods and sizes per feature.
 * @example describePrepared(p).features.value.method // => 'ks'
 */
export function describePrepared(p: PreparedDrift): PreparedInfo {
  const features: PreparedInfo['features'] = {};
  for (const [name, ref] of p.refs) {
    features[name] = {
      kind: ref.kind,
      method: p.settings.get(name)!.method,
      referenceSize: referenceSize(ref),
      missing: ref.missing,
    };
  }
  return { table: p.table, features };
}

/**
 * Compares current data with a prepared reference.
 *
 * @param p - the prepared reference.
 * @param current - same shape as the reference.
 * @param ops - kernel primitives.
 * @param stats - the statistics set (the one the reference was prepared for).
 * @returns one feature's result, or the table result.
 * @throws DataError for a shape or column mismatch, an empty or mixed-type column.
 * @example compareDrift(prepareDrift([1, 2, 3], {}, ops, fullStatistics), [4, 5, 6], ops, fullStatistics).isDrift
 */
export function compareDrift(
  p: PreparedDrift,
  current: unknown,
  ops: SampleOps,
  stats: DriftStatistics,
): DriftResult | TableDriftResult {
  if (!p.table) {
    if (isTable(current))
      throw new DataError("current: expected one feature's values like the reference, got a table");
    return compareFeature(
      p.refs.get(SINGLE_FEATURE)!,
      current,
      p.settings.get(SINGLE_FEATURE)!,
      ops,
      stats,
      p.calibrationCache,
    );
  }
  if (!isTable(current))
    throw new DataError(
      `current: expected a table (column -> values) like the reference, got ${describeValue(current)}`,
    );
  const got = Object.keys(current);
  const missing = p.columns.filter((c) => !got.includes(c));
  const extra = got.filter((c) => !p.columns.includes(c));
  if (missing.length || extra.length) {
    throw new DataError(
      `current: expected the reference columns (${p.columns.join(', ')}), got ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`,
    );
  }
  const features: Record<string, DriftResult> = {};
  for (const name of p.columns) {
    features[name] = compareFeature(
      p.refs.get(name)!,
      current[name],
      p.settings.get(name)!,
      ops,
      stats,
      p.calibrationCache,
    );
  }
  const correction = p.options.correction;
  if (correction) {
    const alpha = p.options.alpha ?? p.options.threshold ?? 0.05;
    const tests = p.columns.filter(
      (c) => methodKind(features[c]!.method) === 'test' && !features[c]!.calibrated,
    );
    const rejected = rejectHypotheses(
      tests.map((c) => features[c]!.pValue ?? NaN),
      alpha,
      correction,
    );
    const m = tests.length;
    tests.forEach((c, i) => {
      const f = features[c]!;
      const bigEnough = f.minEffect === undefined || (f.effect ?? NaN) >= f.minEffect;
      f.isDrift = (rejected[i] as boolean) && bigEnough;
      f.threshold = correction === 'bonferroni' ? alpha / m : alpha;
    });
  }
  const driftedCount = p.columns.filter((c) => features[c]!.isDrift).length;
  const driftShare = driftedCount / p.columns.length;
  const isDrift = correction ? driftedCount > 0 : driftShare >= (p.options.driftShare ?? 0.5);
  return { isDrift, driftShare, driftedCount, features };
}
