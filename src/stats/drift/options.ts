/**
 * What a drift detector checks before any data reaches the engine: option
 * values, whether data is a table, and one meaning for a shared `threshold`.
 * Kept apart from prepared.ts so that a page creating a detector loads these
 * checks without the statistics (which run in the engine).
 */
import { ConfigError, describeValue } from '../../errors.js';
import { canonicalMethod, methodKind } from './methods.js';
import type { DriftOptions, FeatureDriftOptions } from './types.js';

/** Name used for the single feature of a non-table detector. */
export const SINGLE_FEATURE = 'value';

/** A small description of a prepared reference (returned across the worker boundary). */
export interface PreparedInfo {
  /** True when the reference was a table (an object of columns), false for a single feature. */
  table: boolean;
  /** Per feature name (`'value'` for a single feature): how its reference was prepared. */
  features: Record<
    string,
    {
      /** Whether the column was taken as numbers or as category labels. */
      kind: 'numeric' | 'categorical';
      /** The drift method used for this feature (canonical name, e.g. `'ks'`). */
      method: string;
      /** Reference values kept after dropping missing ones. */
      referenceSize: number;
      /** Reference values dropped as missing (NaN, null, undefined). */
      missing: number;
    }
  >;
}

/**
 * Checks option values that need no data (called synchronously by the facade too).
 *
 * @param options - detector options.
 * @throws ConfigError with "expected …, got …" for any bad value.
 * @example validateDriftOptions({ threshold: 0.05 })
 */
export function validateDriftOptions(options: DriftOptions): void {
  const check = (o: FeatureDriftOptions, where: string) => {
    if (o.method !== undefined) canonicalMethod(o.method, where);
    if (o.threshold !== undefined && !(Number.isFinite(o.threshold) && o.threshold >= 0)) {
      throw new ConfigError(
        `${where}threshold: expected a finite number ≥ 0, got ${describeValue(o.threshold)}`,
      );
    }
    if (o.alpha !== undefined && !(typeof o.alpha === 'number' && o.alpha > 0 && o.alpha < 1)) {
      throw new ConfigError(
        `${where}alpha: expected a p-value level in (0, 1), got ${describeValue(o.alpha)}`,
      );
    }
    if (
      o.minEffect !== undefined &&
      !(typeof o.minEffect === 'number' && Number.isFinite(o.minEffect) && o.minEffect >= 0)
    ) {
      throw new ConfigError(
        `${where}minEffect: expected a finite number ≥ 0, got ${describeValue(o.minEffect)}`,
      );
    }
    if (o.bins !== undefined && !(Number.isInteger(o.bins) && o.bins >= 2 && o.bins <= 10_000)) {
      throw new ConfigError(
        `${where}bins: expected an integer in [2, 10000], got ${describeValue(o.bins)}`,
      );
    }
    if (typeof o.calibrate === 'object' && o.calibrate !== null) {
      const c = o.calibrate;
      if (c.alpha !== undefined && !(c.alpha > 0 && c.alpha < 1)) {
        throw new ConfigError(
          `${where}calibrate.alpha: expected a number in (0, 1), got ${describeValue(c.alpha)}`,
        );
      }
      if (c.resamples !== undefined && !(Number.isInteger(c.resamples) && c.resamples >= 10)) {
        throw new ConfigError(
          `${where}calibrate.resamples: expected an integer ≥ 10, got ${describeValue(c.resamples)}`,
        );
      }
    }
  };
  check(options, '');
  for (const [name, o] of Object.entries(options.features ?? {})) check(o, `features.${name}.`);
  if (options.driftShare !== undefined && !(options.driftShare > 0 && options.driftShare <= 1)) {
    throw new ConfigError(
      `driftShare: expected a number in (0, 1], got ${describeValue(options.driftShare)}`,
    );
  }
  if (
    options.correction !== undefined &&
    options.correction !== 'bonferroni' &&
    options.correction !== 'fdr'
  ) {
    throw new ConfigError(
      `correction: expected 'bonferroni' or 'fdr', got ${describeValue(options.correction)}`,
    );
  }
}

/**
 * Whether reference data is a table (a plain object of columns).
 *
 * @param data - reference or current data.
 * @returns true for `{ column: values }`.
 * @example isTable({ a: [1] }) // => true
 */
export function isTable(data: unknown): data is Record<string, unknown> {
  return (
    typeof data === 'object' && data !== null && !Array.isArray(data) && !ArrayBuffer.isView(data)
  );
}

/**
 * Refuses a detector-level `threshold` that would be a p-value level for some
 * columns (test methods, `'auto'` included) and a distance for others. Needs
 * only the column names: `'auto'` always resolves to a test.
 *
 * @param options - detector options.
 * @param columns - the reference's column names.
 * @throws ConfigError naming the columns of each reading and the fix.
 * @example checkThresholdMeaning({ threshold: 0.05, features: { b: { method: 'psi' } } }, ['a', 'b']) // throws
 */
export function checkThresholdMeaning(options: DriftOptions, columns: readonly string[]): void {
  if (options.threshold === undefined) return;
  const shared = { test: [] as string[], distance: [] as string[] };
  for (const name of columns) {
    const own = options.features?.[name] ?? {};
    if (own.threshold !== undefined) continue;
    const method = canonicalMethod(own.method ?? options.method ?? 'auto');
    const kind = method === 'auto' ? 'test' : methodKind(method);
    if (kind === 'test' && (own.alpha !== undefined || options.alpha !== undefined)) continue;
    shared[kind].push(name);
  }
  if (shared.test.length > 0 && shared.distance.length > 0) {
    throw new ConfigError(
      `threshold: expected one meaning, got ${options.threshold} as a p-value level for ${shared.test.join(', ')} (tests) and as a distance for ${shared.distance.join(', ')}; set alpha for the tests and threshold for the distances, or per feature`,
    );
  }
}
