/**
 * Drift results ranked and weighted by feature importance: a drifted feature
 * the model barely uses matters less than a drifted top feature.
 */
import { ConfigError, describeValue } from '../errors.js';
import { normalizeImportances } from './feature-importance.js';
import type { Importances } from './feature-importance.js';

/** The fields of a per-feature drift result this needs (a `DriftResult` fits). */
export interface FeatureDriftLike {
  isDrift: boolean;
  statistic: number;
  pValue?: number;
  method?: string;
}

/** A table drift result (`DriftDetector.detect` on a table fits). */
export interface TableDriftLike {
  features: Record<string, FeatureDriftLike>;
}

/** One feature in the ranking. */
export interface RankedFeature {
  /** Feature name. */
  feature: string;
  /** Normalised importance (weights sum to 1). */
  weight: number;
  /** Whether the feature drifted, from the drift result. */
  isDrift: boolean;
  /** The drift test statistic, from the drift result. */
  statistic: number;
  /** The drift test p-value, undefined for tests without one. */
  pValue: number | undefined;
  /** `weight` if drifted, else 0: its share of the weighted drift score. */
  contribution: number;
}

/** Result of {@link rankDrift}. */
export interface RankedDrift {
  /** Importance-weighted drift share Σ weight·[isDrift], in [0, 1]. */
  score: number;
  /** Unweighted share of drifted features, for comparison. */
  driftShare: number;
  /** Drifted features first, by weight (then statistic), then the rest by weight. */
  ranked: RankedFeature[];
}

/**
 * Ranks a table drift result by feature importance.
 * @param result - `{ features: { name: { isDrift, statistic, pValue? } } }`.
 * @param importances - importance per feature (any non-negative scale; normalised here).
 * @param options - `clipNegative` for noisy permutation importances.
 * @returns the weighted drift score and the ranking. O(f log f).
 * @throws ConfigError when the importances do not name exactly the result's features.
 * @example rankDrift({ features: { a: { isDrift: true, statistic: 0.3 }, b: { isDrift: false, statistic: 0.01 } } }, { a: 3, b: 1 }).score // => 0.75
 */
export function rankDrift(
  result: TableDriftLike,
  importances: Importances,
  options: { clipNegative?: boolean } = {},
): RankedDrift {
  if (
    typeof result !== 'object' ||
    result === null ||
    typeof result.features !== 'object' ||
    result.features === null
  ) {
    throw new ConfigError(
      `expected a table drift result { features: {...} }, got ${describeValue(result)}`,
    );
  }
  const names = Object.keys(result.features);
  if (names.length === 0)
    throw new ConfigError('expected a drift result with at least one feature, got none');
  const weights = normalizeImportances(importances, names, options);
  const ranked: RankedFeature[] = names.map((feature) => {
    const r = result.features[feature]!;
    const weight = weights[feature]!;
    return {
      feature,
      weight,
      isDrift: r.isDrift,
      statistic: r.statistic,
      pValue: r.pValue,
      contribution: r.isDrift ? weight : 0,
    };
  });
  ranked.sort(
    (a, b) =>
      Number(b.isDrift) - Number(a.isDrift) || b.weight - a.weight || b.statistic - a.statistic,
  );
  const score = ranked.reduce((s, r) => s + r.contribution, 0);
  const driftShare = ranked.filter((r) => r.isDrift).length / ranked.length;
  return { score, driftShare, ranked };
}
