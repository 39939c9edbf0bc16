/**
 * Options of `RetrainTrigger`, their validation (constructor-time
 * `ConfigError`s) and the sample count of a batch.
 */
import { ConfigError, describeValue } from '../errors.js';
import { numberOption, optionalFunction, optionalNumber } from '../util/options.js';
import type { DetectorLike, DriftVerdict, RetrainEvidence } from './types.js';

/** Options of {@link RetrainTrigger}. */
export interface RetrainTriggerOptions<D, R extends DriftVerdict, T> {
  /** The drift detector `check()` runs (needed for `check`, not for `onAlert`). */
  detector?: DetectorLike<D, R>;
  /** The retraining job. Its resolved value is recorded as the outcome's `result`. */
  run: (evidence: RetrainEvidence<R>) => Promise<T> | T;
  /** Minimum ms between the starts of two runs when the first completed (default 0). */
  cooldownMs?: number;
  /** Minimum ms between a failed run's start and the next run (default 0: retry on the next drift). */
  failureCooldownMs?: number;
  /** `check()` does not run the detector on fewer samples than this (default 0). */
  minSamples?: number;
  /** Recent metrics for the evidence: a function or anything with `getMetrics()` (a `PerformanceMonitor`). */
  metrics?:
    | (() => unknown)
    | {
        /** Returns the current metrics snapshot, stored as the outcome's evidence. */
        getMetrics(): unknown;
      };
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
  /** Outcomes kept in `history` (default 50). */
  historySize?: number;
  /**
   * A run that has not settled after this many ms is abandoned: outcome
   * `timeout`, an `error` event, and the next trigger may start a run (the
   * failure cooldown applies). Default: no limit.
   */
  runTimeoutMs?: number;
}

/** Options after validation and defaults. */
export interface ResolvedTriggerOptions<D, R extends DriftVerdict, T> {
  detector: DetectorLike<D, R> | undefined;
  run: (evidence: RetrainEvidence<R>) => Promise<T> | T;
  cooldownMs: number;
  failureCooldownMs: number;
  minSamples: number;
  historySize: number;
  runTimeoutMs: number | undefined;
  metrics: RetrainTriggerOptions<D, R, T>['metrics'];
  now: () => number;
}

/**
 * Validates `RetrainTrigger` options and applies defaults.
 *
 * @param options - the options given.
 * @returns the resolved options.
 * @throws {@link ConfigError} when `run` is not a function, the detector has
 *   no `detect`, `metrics` is neither a function nor `{ getMetrics }`, or a
 *   number is negative / not finite.
 */
export function resolveTriggerOptions<D, R extends DriftVerdict, T>(
  options: RetrainTriggerOptions<D, R, T>,
): ResolvedTriggerOptions<D, R, T> {
  const fail = (key: string, what: string, v: unknown): never => {
    throw new ConfigError(`RetrainTrigger: expected ${key} to be ${what}, got ${describeValue(v)}`);
  };
  if (options === null || typeof options !== 'object') fail('options', 'an object', options);
  if (typeof options.run !== 'function') fail('run', 'a function', options.run);
  if (options.detector !== undefined && typeof options.detector?.detect !== 'function') {
    fail('detector', 'an object with a detect(data) method', options.detector);
  }
  const m = options.metrics;
  if (
    m !== undefined &&
    typeof m !== 'function' &&
    typeof (m as { getMetrics?: unknown } | null)?.getMetrics !== 'function'
  ) {
    fail('metrics', 'a function or { getMetrics() }', m);
  }
  optionalFunction('now', options.now, 'RetrainTrigger');
  return {
    detector: options.detector,
    run: options.run,
    cooldownMs: nonNegative('cooldownMs', options.cooldownMs, 0),
    failureCooldownMs: nonNegative('failureCooldownMs', options.failureCooldownMs, 0),
    minSamples: nonNegative('minSamples', options.minSamples, 0),
    historySize: Math.max(1, Math.floor(nonNegative('historySize', options.historySize, 50))),
    runTimeoutMs:
      options.runTimeoutMs === undefined
        ? undefined
        : numberOption(
            'runTimeoutMs',
            options.runTimeoutMs,
            { above: 0, max: 2_147_483_647 },
            'RetrainTrigger',
          ),
    metrics: m,
    now: options.now ?? Date.now,
  };
}

const nonNegative = (key: string, v: number | undefined, def: number): number =>
  optionalNumber(key, v, def, { min: 0 }, 'RetrainTrigger');

/** Rows in `data`: array / typed-array length, or the shortest column of a table; else undefined. */
export function sampleCount(data: unknown): number | undefined {
  if (Array.isArray(data) || ArrayBuffer.isView(data))
    return (data as unknown as ArrayLike<unknown>).length;
  if (data !== null && typeof data === 'object') {
    let min: number | undefined;
    for (const col of Object.values(data)) {
      if (!Array.isArray(col) && !ArrayBuffer.isView(col)) return undefined;
      const n = (col as unknown as ArrayLike<unknown>).length;
      min = min === undefined ? n : Math.min(min, n);
    }
    return min;
  }
  return undefined;
}
