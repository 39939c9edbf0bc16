/**
 * Validation of `PerformanceMonitor` options (constructor-time: misuse throws
 * `ConfigError` with "expected …, got …") and the binary label coding.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, optionsObject } from '../util/options.js';
import { validateBaseline } from './degradation.js';
import type { Label, PerformanceMonitorOptions, PerformanceTask } from './types.js';

/** Options after validation and defaults. */
export interface ResolvedMonitorOptions {
  windowSize: number;
  windowMs: number;
  task: PerformanceTask;
  baseline: Readonly<Record<string, number>> | undefined;
  now: () => number;
  threshold: number;
  calibrationBins: number;
  labelTtlMs: number;
  maxPendingLabels: number;
  binary: BinaryCoder;
}

const TASKS: readonly PerformanceTask[] = ['auto', 'regression', 'binary', 'multiclass'];

/** Largest magnitude accepted for a numeric prediction or actual (squares stay finite). */
export const MAX_MAGNITUDE = 1e100;

/**
 * Whether `v` can serve as a class label (string, boolean or finite number).
 *
 * @param v - any value.
 */
export function isLabel(v: unknown): v is Label {
  return (
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
  );
}

/**
 * Maps binary labels and predictions to 0/1 and probabilities.
 */
export class BinaryCoder {
  /**
   * @param positive - the positive label.
   * @param negative - the negative label, if fixed.
   */
  constructor(
    readonly positive: Label,
    readonly negative: Label | undefined,
  ) {}

  /**
   * The 0/1 code of a label, or undefined when it is neither class.
   *
   * @param v - the label.
   */
  label(v: unknown): 0 | 1 | undefined {
    if (v === true) return 1;
    if (v === false) return 0;
    if (v === this.positive) return 1;
    if (this.negative !== undefined) return v === this.negative ? 0 : undefined;
    if (this.positive === 1) return v === 0 ? 0 : undefined;
    return isLabel(v) && typeof v === typeof this.positive ? 0 : undefined;
  }

  /**
   * The positive-class probability of a prediction: a number in [0, 1] as is,
   * otherwise the 0/1 code of a predicted label; undefined when neither.
   *
   * @param v - the prediction.
   */
  probability(v: unknown): number | undefined {
    if (typeof v === 'number' && v >= 0 && v <= 1) return v;
    return this.label(v);
  }
}

/**
 * Validates options and applies defaults.
 *
 * @param o - the options given.
 * @returns the resolved options.
 * @throws {@link ConfigError} on any malformed option (windowSize <= 0, unknown task, …).
 */
export function resolveMonitorOptions(o: PerformanceMonitorOptions): ResolvedMonitorOptions {
  optionsObject(o, 'PerformanceMonitor');
  const fail = (key: string, what: string, v: unknown): never => {
    throw new ConfigError(
      `PerformanceMonitor: expected ${key} to be ${what}, got ${describeValue(v)}`,
    );
  };
  const posInt = (key: string, v: unknown): number =>
    numberOption(key, v, { above: 0, integer: true }, 'PerformanceMonitor');
  const posNum = (key: string, v: unknown): number =>
    numberOption(key, v, { above: 0, infinite: true }, 'PerformanceMonitor');

  const windowMs = o.windowMs === undefined ? Infinity : posNum('windowMs', o.windowMs);
  const windowSize =
    o.windowSize === undefined
      ? o.windowMs === undefined
        ? 100
        : 1_000_000
      : posInt('windowSize', o.windowSize);
  const task = o.task ?? 'auto';
  if (!TASKS.includes(task)) fail('task', `one of ${TASKS.map((t) => `'${t}'`).join(', ')}`, task);
  const now = o.now ?? Date.now;
  if (typeof now !== 'function') fail('now', 'a function', now);
  const threshold = o.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    fail('threshold', 'a number in [0, 1]', threshold);
  }
  const calibrationBins =
    o.calibrationBins === undefined ? 10 : posInt('calibrationBins', o.calibrationBins);
  if (calibrationBins > 10_000) fail('calibrationBins', 'at most 10000', calibrationBins);
  const labelTtlMs =
    o.labelTtlMs === undefined
      ? Number.isFinite(windowMs)
        ? windowMs
        : 3_600_000
      : posNum('labelTtlMs', o.labelTtlMs);
  const maxPendingLabels =
    o.maxPendingLabels === undefined ? 10_000 : posInt('maxPendingLabels', o.maxPendingLabels);
  const positive = o.positiveLabel ?? 1;
  if (!isLabel(positive)) fail('positiveLabel', 'a string, boolean or finite number', positive);
  if (o.negativeLabel !== undefined) {
    if (!isLabel(o.negativeLabel))
      fail('negativeLabel', 'a string, boolean or finite number', o.negativeLabel);
    if (o.negativeLabel === positive)
      fail('negativeLabel', 'different from positiveLabel', o.negativeLabel);
  }
  return {
    windowSize,
    windowMs,
    task,
    baseline: o.baseline === undefined ? undefined : validateBaseline(o.baseline),
    now,
    threshold,
    calibrationBins,
    labelTtlMs,
    maxPendingLabels,
    binary: new BinaryCoder(positive, o.negativeLabel),
  };
}
