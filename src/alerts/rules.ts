/**
 * Built-in rule factories for the common monitoring checks:
 * "alert on performance drop > 5%", "track prediction latency (p50, p95, p99)",
 * "detect input data drift", "detect model output distribution shifts",
 * "data quality of the window's features".
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, nonEmptyString } from '../util/options.js';
import { relativeDegradation } from '../performance/degradation.js';
import { AlertRule, AlertSeverity, type AlertRuleOptions } from './alert-rule.js';
import type { AlertMetrics } from './types.js';

/** Options shared by the factories: the rule options plus name and severity. */
export interface RuleFactoryOptions extends AlertRuleOptions {
  /** Rule name (each factory has a default). */
  name?: string;
  /** Severity (each factory has a default). */
  severity?: AlertSeverity;
}

/** Options of {@link performanceDrop}. */
export interface PerformanceDropOptions extends RuleFactoryOptions {
  /**
   * Baseline value of the metric. When given, the drop is computed from
   * `metrics[metric]`; otherwise the rule reads `metrics.degradation[metric]`
   * as produced by a `PerformanceMonitor` built with a `baseline`.
   */
  baseline?: number;
}

type Loose = Readonly<Record<string, any>> | null | undefined;

function get(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object'
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/**
 * A rule that holds when `metric` has degraded by more than `threshold`
 * (relative; 0.05 = 5%) against its baseline. Degradation is positive when
 * worse, for "higher is better" metrics (accuracy, f1, auc, r2, …) and for
 * error metrics (mae, rmse, logLoss, …) alike; see `PerformanceMonitor`.
 *
 * @param metric - metric name, e.g. `'accuracy'`.
 * @param threshold - relative drop that alerts (default 0.05).
 * @param options - name (default `<metric>_drop`), severity (default
 *   `'critical'`), baseline, for, cooldown, description, labels.
 * @returns the rule.
 * @throws {@link ConfigError} on an empty metric, a threshold that is not a
 *   finite number >= 0, or a non-finite baseline.
 * @example
 * ```ts
 * alerts.addRule(performanceDrop('accuracy', 0.05));
 * alerts.evaluate(monitor.getMetrics()); // monitor built with { baseline: { accuracy: 0.93 } }
 * ```
 */
export function performanceDrop(
  metric: string,
  threshold = 0.05,
  options: PerformanceDropOptions = {},
): AlertRule<AlertMetrics> {
  nonEmpty('performanceDrop', 'metric', metric);
  numberOption('threshold', threshold, { min: 0 }, 'performanceDrop');
  const { baseline } = options;
  if (baseline !== undefined) numberOption('baseline', baseline, {}, 'performanceDrop');
  const condition = (m: Loose): boolean => {
    let d: unknown;
    if (baseline !== undefined) {
      const current = get(m, metric);
      d = typeof current === 'number' ? relativeDegradation(metric, current, baseline) : undefined;
    } else {
      d = get(get(m, 'degradation'), metric);
    }
    return typeof d === 'number' && d > threshold;
  };
  return new AlertRule<AlertMetrics>(
    options.name ?? `${metric}_drop`,
    condition,
    options.severity ?? AlertSeverity.CRITICAL,
    {
      ...ruleOptions(options),
      description:
        options.description ??
        `${metric} degraded by more than ${round(threshold * 100)}% against its baseline`,
    },
  );
}

/**
 * A rule that holds when a latency percentile exceeds `ms`. Reads
 * `metrics[percentile]` (the shape of `LatencyTracker.percentiles()`) or
 * `metrics.latency[percentile]`.
 *
 * @param percentile - key such as `'p50'`, `'p95'`, `'p99'`, `'p999'`.
 * @param ms - threshold in milliseconds.
 * @param options - name (default `latency_<percentile>_above`), severity
 *   (default `'warning'`), for, cooldown, description, labels.
 * @returns the rule.
 * @throws {@link ConfigError} on an empty percentile or a non-finite `ms`.
 * @example
 * ```ts
 * alerts.addRule(latencyAbove('p99', 250, { for: 60_000 }));
 * alerts.evaluate(await latency.percentiles());
 * ```
 */
export function latencyAbove(
  percentile: string,
  ms: number,
  options: RuleFactoryOptions = {},
): AlertRule<AlertMetrics> {
  nonEmpty('latencyAbove', 'percentile', percentile);
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new ConfigError(
      `latencyAbove: expected ms to be a finite number, got ${describeValue(ms)}`,
    );
  }
  const condition = (m: Loose): boolean => {
    let v = get(m, percentile);
    if (typeof v !== 'number') v = get(get(m, 'latency'), percentile);
    return typeof v === 'number' && v > ms;
  };
  return new AlertRule<AlertMetrics>(
    options.name ?? `latency_${percentile}_above`,
    condition,
    options.severity ?? AlertSeverity.WARNING,
    {
      ...ruleOptions(options),
      description: options.description ?? `${percentile} latency above ${ms} ms`,
    },
  );
}

/**
 * A rule that holds when drift is detected. With a `feature`, reads a table
 * result (`metrics.features[feature].isDrift`, also under `metrics.drift`);
 * without one, reads `metrics.isDrift` (or `metrics.drift.isDrift`), i.e. a
 * `DriftDetector.detect()` result passed as is.
 *
 * @param feature - column name; omit for a single-feature or whole-table verdict.
 * @param options - name (default `drift_<feature>` / `drift`), severity
 *   (default `'warning'`), for, cooldown, description, labels.
 * @returns the rule.
 * @throws {@link ConfigError} when `feature` is given but empty.
 * @example
 * ```ts
 * alerts.addRule(driftDetected('speed'));
 * alerts.evaluate(await detector.detect(table));
 * ```
 */
export function driftDetected(
  feature?: string,
  options: RuleFactoryOptions = {},
): AlertRule<AlertMetrics> {
  if (feature !== undefined) nonEmpty('driftDetected', 'feature', feature);
  const verdict = (r: unknown): unknown =>
    feature === undefined ? get(r, 'isDrift') : get(get(get(r, 'features'), feature), 'isDrift');
  const condition = (m: Loose): boolean => {
    const v = verdict(m);
    return v === undefined ? verdict(get(m, 'drift')) === true : v === true;
  };
  return new AlertRule<AlertMetrics>(
    options.name ?? (feature === undefined ? 'drift' : `drift_${feature}`),
    condition,
    options.severity ?? AlertSeverity.WARNING,
    {
      ...ruleOptions(options),
      description:
        options.description ??
        (feature === undefined ? 'data drift detected' : `data drift detected in "${feature}"`),
    },
  );
}

/**
 * A rule that holds when the model's outputs drifted: reads
 * `metrics.outputDrift.isDrift` (an output `DriftDetector.detect()` result, as
 * `EdgeMonitor` passes it), or `metrics.isDrift` when the result is passed as is.
 * The earliest signal when labels come late: the predicted-class mix or the
 * score distribution moved before accuracy can be measured.
 *
 * @param options - name (default `output_drift`), severity (default
 *   `'warning'`), for, cooldown, description, labels.
 * @returns the rule.
 * @example
 * ```ts
 * alerts.addRule(outputDriftDetected());
 * alerts.evaluate({ outputDrift: await outputs.detect(windowPredictions) });
 * ```
 */
export function outputDriftDetected(options: RuleFactoryOptions = {}): AlertRule<AlertMetrics> {
  const condition = (m: Loose): boolean => {
    const v = get(get(m, 'outputDrift'), 'isDrift');
    return v === undefined
      ? get(m, 'outputDrift') === undefined && get(m, 'isDrift') === true
      : v === true;
  };
  return new AlertRule<AlertMetrics>(
    options.name ?? 'output_drift',
    condition,
    options.severity ?? AlertSeverity.WARNING,
    {
      ...ruleOptions(options),
      description: options.description ?? 'model output (prediction) drift detected',
    },
  );
}

/** Options of {@link dataQuality}: the limits (each optional; at least one) and the rule options. */
export interface DataQualityOptions extends RuleFactoryOptions {
  /** Features checked (default: every feature in `metrics.quality`). */
  features?: readonly string[];
  /** Holds when a feature's missing share exceeds this (0..1). */
  maxMissingShare?: number;
  /** Holds when a feature's invalid (type mismatch) share exceeds this (0..1). */
  maxInvalidShare?: number;
  /** Holds when a numeric feature's share outside the reference range exceeds this (0..1). */
  maxOutOfRangeShare?: number;
  /** Holds when a categorical feature's share of values in categories new to the reference exceeds this (0..1). */
  maxNewCategoryShare?: number;
  /** Holds when a feature is constant in the window. */
  constant?: boolean;
}

const QUALITY_LIMITS = [
  ['maxMissingShare', 'missingShare', 'missing share'],
  ['maxInvalidShare', 'invalidShare', 'invalid share'],
  ['maxOutOfRangeShare', 'outOfRangeShare', 'out-of-range share'],
  ['maxNewCategoryShare', 'newCategoryShare', 'new-category share'],
] as const;

/**
 * A rule on the window's data quality: holds when, for some checked feature,
 * a share in `metrics.quality[feature]` exceeds its limit or (with `constant`)
 * the feature is constant. `EdgeMonitor` fills `metrics.quality` when its
 * `profiles` option is set: `{ seen, missingShare, invalidShare, constant,
 * outOfRangeShare (numeric), newCategories, newCategoryShare (categorical) }`.
 * A feature absent from `metrics.quality`, or a figure it does not have, never holds.
 *
 * @param options - the limits, `features`, name (default `data_quality`),
 *   severity (default `'warning'`), for, cooldown, description, labels.
 * @returns the rule.
 * @throws {@link ConfigError} when no limit is given, a share is not in [0, 1]
 *   or `features` is not a list of non-empty strings.
 * @example
 * ```ts
 * const monitor = await EdgeMonitor.create({
 *   model, reference, profiles: { features: 'all' },
 *   rules: [dataQuality({ maxMissingShare: 0.1, maxOutOfRangeShare: 0.05, constant: true })],
 * });
 * ```
 */
export function dataQuality(options: DataQualityOptions): AlertRule<AlertMetrics> {
  if (options === null || typeof options !== 'object')
    throw new ConfigError(`dataQuality: expected options, got ${describeValue(options)}`);
  const limits: Array<[string, number, string]> = [];
  for (const [opt, field, label] of QUALITY_LIMITS) {
    const v = options[opt];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new ConfigError(`dataQuality: expected ${opt} in [0, 1], got ${describeValue(v)}`);
    limits.push([field, v, `${label} > ${v}`]);
  }
  const constant = options.constant === true;
  if (limits.length === 0 && !constant)
    throw new ConfigError(
      'dataQuality: expected at least one of maxMissingShare, maxInvalidShare, maxOutOfRangeShare, maxNewCategoryShare, constant',
    );
  const features = options.features;
  if (features !== undefined) {
    if (!Array.isArray(features)) {
      throw new ConfigError(
        `dataQuality: expected features to be a list, got ${describeValue(features)}`,
      );
    }
    for (const f of features) nonEmpty('dataQuality', 'features[]', f);
  }
  const bad = (q: unknown): boolean =>
    (constant && get(q, 'constant') === true) ||
    limits.some(([field, max]) => {
      const v = get(q, field);
      return typeof v === 'number' && v > max;
    });
  const condition = (m: Loose): boolean => {
    const quality = get(m, 'quality');
    if (quality === null || typeof quality !== 'object') return false;
    const names = features ?? Object.keys(quality);
    return names.some((f) => bad(get(quality, f)));
  };
  const what = [...limits.map((l) => l[2]), ...(constant ? ['constant'] : [])].join(', ');
  return new AlertRule<AlertMetrics>(
    options.name ?? 'data_quality',
    condition,
    options.severity ?? AlertSeverity.WARNING,
    {
      ...ruleOptions(options),
      description: options.description ?? `data quality: a feature with ${what}`,
    },
  );
}

function ruleOptions(o: RuleFactoryOptions): AlertRuleOptions {
  const out: AlertRuleOptions = {};
  if (o.for !== undefined) out.for = o.for;
  if (o.cooldown !== undefined) out.cooldown = o.cooldown;
  if (o.labels !== undefined) out.labels = o.labels;
  return out;
}

function nonEmpty(where: string, key: string, v: unknown): void {
  nonEmptyString(key, v, where);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
