/**
 * What a drift detector checks before any data reaches the engine: option
 * values, whether data is a table, and one meaning for a shared `threshold`.
 * Kept apart from prepared.ts so that a page creating a detector loads these
 * checks without the statistics (which run in the engine).
 */
import { ConfigError } from '../../errors.js';
import { numberOption, oneOfOption, type NumberCheck } from '../../util/options.js';
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
  // Options are optional: check a number only when one is given.
  const num = (key: string, value: unknown, c: NumberCheck) => {
    if (value !== undefined) numberOption(key, value, c);
  };
  const check = (o: FeatureDriftOptions, where: string) => {
    if (o.method !== undefined) canonicalMethod(o.method, where);
    num(`${where}threshold`, o.threshold, { min: 0 });
    num(`${where}alpha`, o.alpha, { above: 0, below: 1 });
    num(`${where}minEffect`, o.minEffect, { min: 0 });
    num(`${where}bins`, o.bins, { integer: true, min: 2, max: 10_000 });
    if (typeof o.calibrate === 'object' && o.calibrate !== null) {
      num(`${where}calibrate.alpha`, o.calibrate.alpha, { above: 0, below: 1 });
      num(`${where}calibrate.resamples`, o.calibrate.resamples, { integer: true, min: 10 });
    }
  };
  check(options, '');
  for (const [name, o] of Object.entries(options.features ?? {})) check(o, `features.${name}.`);
  num('driftShare', options.driftShare, { above: 0, max: 1 });
  if (options.correction !== undefined) {
    oneOfOption('correction', options.correction, ['bonferroni', 'fdr']);
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
