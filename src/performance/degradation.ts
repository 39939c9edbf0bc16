/**
 * Degradation of a metric against its baseline: the relative drop, signed so
 * that **positive always means worse** — for "higher is better" metrics
 * (accuracy, f1, auc, r2, …) and for error metrics (mae, rmse, logLoss, …) alike.
 */
import { ConfigError, describeValue } from '../errors.js';

/** Whether larger values of a metric are better, worse, or worse in magnitude. */
export type MetricDirection = 'higher-better' | 'lower-better' | 'closer-to-zero-better';

/** Directions of the metrics a `PerformanceMonitor` reports. */
export const METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = Object.freeze({
  accuracy: 'higher-better',
  precision: 'higher-better',
  recall: 'higher-better',
  f1: 'higher-better',
  macroPrecision: 'higher-better',
  macroRecall: 'higher-better',
  macroF1: 'higher-better',
  r2: 'higher-better',
  auc: 'higher-better',
  mae: 'lower-better',
  rmse: 'lower-better',
  mape: 'lower-better',
  logLoss: 'lower-better',
  brier: 'lower-better',
  ece: 'lower-better',
  meanError: 'closer-to-zero-better',
});

/**
 * Relative degradation of `current` against `baseline`:
 * - higher-better: `(baseline - current) / |baseline|`
 * - lower-better: `(current - baseline) / |baseline|`
 * - meanError: `(|current| - |baseline|) / |baseline|`
 *
 * A zero baseline makes the ratio undefined: the result is 0 when `current`
 * equals it and ±Infinity in the direction of the change otherwise. NaN in, NaN out.
 * Metrics not in {@link METRIC_DIRECTIONS} are treated as higher-better.
 *
 * @param metric - the metric's name (chooses the direction).
 * @param current - the current value.
 * @param baseline - the baseline value.
 * @returns the degradation (0.05 = 5% worse; negative = better).
 * @example
 * ```ts
 * relativeDegradation('accuracy', 0.88, 0.93); // => 0.0537…
 * relativeDegradation('mae', 0.21, 0.2);       // => 0.05
 * ```
 */
export function relativeDegradation(metric: string, current: number, baseline: number): number {
  if (Number.isNaN(current) || Number.isNaN(baseline)) return NaN;
  const dir = METRIC_DIRECTIONS[metric] ?? 'higher-better';
  let worse: number;
  if (dir === 'higher-better') worse = baseline - current;
  else if (dir === 'lower-better') worse = current - baseline;
  else worse = Math.abs(current) - Math.abs(baseline);
  const scale = Math.abs(baseline);
  if (scale === 0) return worse === 0 ? 0 : worse > 0 ? Infinity : -Infinity;
  return worse / scale;
}

/**
 * Validates a baseline record (constructor-time).
 *
 * @param baseline - metric name -> value measured on a holdout set.
 * @returns a frozen copy.
 * @throws {@link ConfigError} on an unknown metric name or a non-finite value.
 */
export function validateBaseline(baseline: unknown): Readonly<Record<string, number>> {
  if (baseline === null || typeof baseline !== 'object' || Array.isArray(baseline)) {
    throw new ConfigError(
      `PerformanceMonitor: expected baseline to be an object of metrics, got ${describeValue(baseline)}`,
    );
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(baseline)) {
    if (!(k in METRIC_DIRECTIONS)) {
      throw new ConfigError(
        `PerformanceMonitor: expected baseline keys among ${Object.keys(METRIC_DIRECTIONS).join(', ')}, got "${k}"`,
      );
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(
        `PerformanceMonitor: expected baseline.${k} to be a finite number, got ${describeValue(v)}`,
      );
    }
    out[k] = v;
  }
  return Object.freeze(out);
}
