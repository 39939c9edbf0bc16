/**
 * Types of the drift layer: methods, options and results. Shared by the engine
 * (which computes) and the `DriftDetector` facade (which users hold).
 */

/**
 * Evidently's stattest names, accepted as aliases (see `EVIDENTLY_METHOD_ALIASES`):
 * kl_div, jensenshannon, wasserstein, chisquare, z, fisher_exact, g_test,
 * hellinger, ed, es, t_test, anderson, cramer_von_mises, TVD, psi, ks.
 */
export type EvidentlyMethodName =
  | 'kl_div'
  | 'jensenshannon'
  | 'wasserstein'
  | 'chisquare'
  | 'z'
  | 'fisher_exact'
  | 'g_test'
  | 'hellinger'
  | 'ed'
  | 'es'
  | 't_test'
  | 'anderson'
  | 'cramer_von_mises'
  | 'TVD'
  | 'psi'
  | 'ks';

/** Methods for numeric features. */
export type NumericDriftMethod =
  | 'ks'
  | 'wasserstein'
  | 'psi'
  | 'jensenshannon'
  | 'kl'
  | 'hellinger'
  | 'tvd'
  | 'anderson'
  | 'cramervonmises'
  | 'ttest'
  | 'energy'
  | 'eppssingleton';

/** Methods for categorical features (also usable on numeric values, taken as categories). */
export type CategoricalDriftMethod =
  'chisquare' | 'ztest' | 'fisher' | 'gtest' | 'tvd' | 'psi' | 'jensenshannon' | 'kl' | 'hellinger';

/** Every drift method. */
export type DriftMethod = NumericDriftMethod | CategoricalDriftMethod;

/**
 * Reference-calibrated threshold (NannyML-style): the threshold is set from the
 * reference itself by comparing `resamples` random windows of the current
 * sample's size with the rest of the reference, so that repeated checks on
 * undrifted data alarm at rate `alpha`.
 */
export interface CalibrationOptions {
  /** Target false-alarm rate per check (default 0.05). */
  alpha?: number;
  /** Number of resampled windows (default 200). */
  resamples?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
}

/**
 * Options that can be set for the whole detector and overridden per feature.
 *
 * One number, one meaning: `alpha` is always a p-value level (hypothesis
 * tests), `threshold` a distance cut for distance methods. `threshold` given
 * without `alpha` is also taken as the level of test methods — the short form
 * `{ threshold: 0.05 }` — because `'auto'` always picks a test. A detector-level
 * `threshold` that would be a p-value level for some features and a distance
 * for others is refused (ConfigError); give `alpha` and `threshold` separately.
 */
export interface FeatureDriftOptions {
  /**
   * `'auto'` (default) picks a hypothesis test at every reference size: KS for
   * numeric data with more than 5 distinct values, else chi-square (more than 2
   * categories) or a two-proportion Z-test, paired with the `minEffect` floor.
   */
  method?: DriftMethod | EvidentlyMethodName | 'auto';
  /** p-value level of test methods: drift when p < alpha (default 0.05). */
  alpha?: number;
  /**
   * Distance cut of distance methods (drift when d ≥ threshold; defaults per
   * method, 0.1). Without `alpha` it is also the p-value level of test methods.
   */
  threshold?: number;
  /**
   * Effect-size floor for test methods: drift also needs the effect
   * (normed Wasserstein W1 / std(reference) for numeric data, Jensen–Shannon
   * distance for categories) to reach this value, so that large samples do not
   * flag tiny, harmless shifts. Default 0.1 with `method: 'auto'`, 0 (off) for
   * a test named explicitly.
   */
  minEffect?: number;
  /** Number of quantile bins of the reference for binned methods on numeric data (default 10). */
  bins?: number;
  /** Calibrate the threshold from the reference (item 7); `true` uses the defaults. */
  calibrate?: boolean | CalibrationOptions;
}

/** Options of a `DriftDetector`. */
export interface DriftOptions extends FeatureDriftOptions {
  /** Column names to treat as categorical (numbers become category labels). */
  categorical?: readonly string[];
  /** Per-feature overrides of method, threshold, bins and calibration. */
  features?: Record<string, FeatureDriftOptions>;
  /** Table drift when the share of drifted features ≥ this (default 0.5). Ignored with `correction`. */
  driftShare?: number;
  /**
   * Table drift by a multiple-testing correction of the per-feature p-values
   * instead of the share rule: `'bonferroni'` or `'fdr'` (Benjamini–Hochberg),
   * at family level `threshold` (default 0.05). Features are then marked drifted
   * when rejected; distance methods keep their own threshold.
   */
  correction?: 'bonferroni' | 'fdr';
}

/** Result for one feature. */
export interface DriftResult {
  /** Whether this feature drifted (statistic or p-value beyond `threshold`). */
  isDrift: boolean;
  /** The test or distance used. */
  method: DriftMethod;
  /** Whether the feature was treated as numeric or categorical. */
  kind: 'numeric' | 'categorical';
  /** The test statistic or distance (for `wasserstein`: W1 / std(reference), as Evidently). */
  statistic: number;
  /** p-value, for hypothesis tests only. */
  pValue?: number;
  /** What the statistic (distances) or p-value (tests) was held against. */
  threshold: number;
  /**
   * Effect size held against `minEffect` (tests with a floor only): normed
   * Wasserstein for numeric data, Jensen–Shannon distance for categories.
   */
  effect?: number;
  /** The effect-size floor the verdict required (tests with a floor only). */
  minEffect?: number;
  /** Whether `threshold` was calibrated from the reference. */
  calibrated: boolean;
  /** Raw (un-normalized) Wasserstein-1 distance, for `wasserstein`. */
  distance?: number;
  /** (mean(current) − mean(reference)) / std(reference); NaN for categorical features. */
  meanShift: number;
  /** (std(current) − std(reference)) / std(reference), i.e. std ratio − 1; NaN for categorical. */
  stdShift: number;
  /** Values in the reference (missing ones excluded). */
  referenceSize: number;
  /** Values in the current sample (missing ones excluded). */
  currentSize: number;
  /** NaN, null and undefined values, counted and excluded from every test. */
  missing: {
    /** Missing values in the reference. */
    reference: number;
    /** Missing values in the current sample. */
    current: number;
  };
}

/** Result for a table. */
export interface TableDriftResult {
  /** `driftShare >= options.driftShare` (default 0.5). */
  isDrift: boolean;
  /** Fraction of features that drifted. */
  driftShare: number;
  /** Number of features that drifted. */
  driftedCount: number;
  /** One result per column. */
  features: Record<string, DriftResult>;
}

/** Values for one feature as accepted by the detector. */
export type FeatureValues =
  ArrayLike<number | null | undefined> | readonly (string | null | undefined)[];

/** A table: column name → values. */
export type TableValues = Record<string, FeatureValues>;
