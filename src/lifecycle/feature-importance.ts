/**
 * Feature importances: validation against the model's features and
 * normalisation to weights that sum to one.
 */
import { ConfigError, describeValue } from '../errors.js';

/** Importance per feature name (any non-negative scale). */
export type Importances = Record<string, number>;

/** Options of {@link normalizeImportances}. */
export interface NormalizeOptions {
  /** Clip negative importances to 0 instead of throwing (permutation importance can be slightly negative by noise). */
  clipNegative?: boolean;
}

/**
 * Checks that `importances` names exactly `features` and turns them into
 * weights that sum to 1 (all-zero importances give equal weights).
 * @param importances - importance per feature.
 * @param features - the features the model (or the drift result) has.
 * @param options - `clipNegative`.
 * @returns weights per feature, summing to 1.
 * @throws ConfigError when a feature lacks an importance, an importance names an unknown feature,
 *   or a value is not finite (or negative, unless clipped).
 * @example normalizeImportances({ a: 3, b: 1 }, ['a', 'b']) // => { a: 0.75, b: 0.25 }
 */
export function normalizeImportances(
  importances: Importances,
  features: readonly string[],
  options: NormalizeOptions = {},
): Importances {
  if (typeof importances !== 'object' || importances === null) {
    throw new ConfigError(
      `expected importances as { feature: number }, got ${describeValue(importances)}`,
    );
  }
  const known = new Set(features);
  const extra = Object.keys(importances).filter((f) => !known.has(f));
  const missing = features.filter((f) => !Object.prototype.hasOwnProperty.call(importances, f));
  if (extra.length > 0 || missing.length > 0) {
    throw new ConfigError(
      `expected importances for exactly the features [${features.join(', ')}], got ` +
        [
          missing.length ? `missing [${missing.join(', ')}]` : '',
          extra.length ? `unknown [${extra.join(', ')}]` : '',
        ]
          .filter(Boolean)
          .join(' and '),
    );
  }
  const out: Importances = {};
  let total = 0;
  for (const f of features) {
    let v = importances[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ConfigError(
        `expected importance of "${f}" to be a finite number, got ${describeValue(v)}`,
      );
    }
    if (v < 0) {
      if (!options.clipNegative)
        throw new ConfigError(`expected importance of "${f}" to be ≥ 0, got ${v}`);
      v = 0;
    }
    out[f] = v;
    total += v;
  }
  for (const f of features) out[f] = total > 0 ? out[f]! / total : 1 / features.length;
  return out;
}
