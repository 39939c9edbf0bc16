/**
 * Option and result types of `PerformanceMonitor`. Types only.
 */

/** A class label: a number, a string or a boolean. */
export type Label = number | string | boolean;

/**
 * What the monitor measures:
 * - `'regression'`: numeric predictions and actuals;
 * - `'binary'`: a probability (or hard 0/1 / boolean / label) against a binary label;
 * - `'multiclass'`: predicted label against actual label;
 * - `'auto'`: decided by the first valid sample — numbers on both sides report
 *   the regression metrics **and** `accuracy` (exact-match rate), as the
 *   documented quick start shows; labels (strings, booleans) report the multiclass metrics.
 */
export type PerformanceTask = 'auto' | 'regression' | 'binary' | 'multiclass';

/** Options of `PerformanceMonitor`. */
export interface PerformanceMonitorOptions {
  /**
   * Count-based window: the metrics cover the last `windowSize` samples.
   * Default 100 when `windowMs` is not given; with `windowMs` alone it only
   * bounds memory (default 1 000 000).
   */
  windowSize?: number;
  /** Time-based window: samples older than `windowMs` (by the clock) leave the window. */
  windowMs?: number;
  /** See {@link PerformanceTask}. Default `'auto'`. */
  task?: PerformanceTask;
  /**
   * Metrics measured on a holdout set. Enables `degradation` in the result:
   * per metric, the relative drop, positive = worse (see `relativeDegradation`).
   */
  baseline?: Readonly<Partial<Record<DegradableMetric, number>>>;
  /** Clock in epoch ms (default `Date.now`). Used by `windowMs` and label expiry. */
  now?: () => number;
  /**
   * Binary task: the label value that counts as positive (default 1; `true`
   * always counts as positive and `false` as negative).
   */
  positiveLabel?: Label;
  /**
   * Binary task: the negative label. When omitted: 0 if `positiveLabel` is the
   * default, else any label of the positive label's type that is not positive.
   */
  negativeLabel?: Label;
  /** Binary task: a probability `>= threshold` predicts positive (default 0.5). */
  threshold?: number;
  /** Binary task: equal-width bins of the expected calibration error (default 10). */
  calibrationBins?: number;
  /**
   * Delayed labels: a prediction waiting for its label longer than this expires
   * (counted in `expiredLabels`). Default: `windowMs`, else 3 600 000 (1 h).
   */
  labelTtlMs?: number;
  /** Delayed labels: most predictions waiting at once; the oldest expires first (default 10 000). */
  maxPendingLabels?: number;
}

/** Per-class classification metrics. */
export interface ClassMetrics {
  /** TP / (TP + FP); 0 when the class was never predicted. */
  precision: number;
  /** TP / (TP + FN); 0 when the class never occurred. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** Occurrences of the class among the actuals. */
  support: number;
}

/** Confusion matrix: `matrix[i][j]` counts actual `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  /** Labels in order: booleans, then numbers ascending, then strings (code-unit order). */
  labels: Label[];
  /** `matrix[i][j]`: samples whose actual label is `labels[i]` and prediction `labels[j]`. */
  matrix: number[][];
}

/** Metric names that a baseline may hold (and `degradation` reports). */
export type DegradableMetric =
  | 'accuracy'
  | 'precision'
  | 'recall'
  | 'f1'
  | 'macroPrecision'
  | 'macroRecall'
  | 'macroF1'
  | 'r2'
  | 'auc'
  | 'mae'
  | 'rmse'
  | 'mape'
  | 'logLoss'
  | 'brier'
  | 'ece'
  | 'meanError';

/**
 * What `getMetrics()` returns. Only the fields of the task are present; a
 * field is NaN when undefined on the current window (e.g. an empty window).
 */
export type PerformanceMetrics = {
  /** Samples in the window. */
  numSamples: number;
  /** Samples refused since creation (NaN, mismatched types, probability outside [0, 1], …). */
  dropped: number;
  /** Regression (and `'auto'` with numbers): mean absolute error. */
  mae?: number;
  /** Root mean squared error. */
  rmse?: number;
  /**
   * Mean of |error| / |actual| as a fraction (0.05 = 5 %), over the samples whose actual
   * is not 0: those are skipped (NaN when every actual is 0). scikit-learn's
   * `mean_absolute_percentage_error` keeps them, dividing by 2.2e-16 instead.
   */
  mape?: number;
  /** Coefficient of determination. */
  r2?: number;
  /** Mean of (prediction − actual), the bias; positive = over-prediction. */
  meanError?: number;
  /** Exact-match rate (classification, and `'auto'` with numbers). */
  accuracy?: number;
  /** Binary: of the positive class; multiclass: macro average (same as `macroPrecision`). */
  precision?: number;
  /** Binary: of the positive class; multiclass: macro average. */
  recall?: number;
  /** Binary: of the positive class; multiclass: macro average. */
  f1?: number;
  /** Unweighted mean of the per-class precisions. */
  macroPrecision?: number;
  /** Unweighted mean of the per-class recalls. */
  macroRecall?: number;
  /** Unweighted mean of the per-class F1 scores. */
  macroF1?: number;
  /** Keyed by `String(label)`. */
  perClass?: Record<string, ClassMetrics>;
  /** Counts by (actual, predicted) label. */
  confusionMatrix?: ConfusionMatrix;
  /** Binary with probabilities: mean log loss (probabilities clipped to [1e-15, 1 − 1e-15]). */
  logLoss?: number;
  /** Mean squared difference between the probability and the 0/1 label. */
  brier?: number;
  /** Exact ROC AUC of the window (ties count ½); NaN without both classes. */
  auc?: number;
  /**
   * Expected calibration error over `calibrationBins` equal-width bins of the positive-class
   * probability, left-closed: bin b holds [b/bins, (b+1)/bins), the last also holds p = 1.
   */
  ece?: number;
  /** Relative drop per baseline metric, positive = worse. */
  degradation?: Partial<Record<DegradableMetric, number>>;
  /** Delayed labels: predictions waiting for their label. */
  pendingLabels?: number;
  /** Delayed labels: predictions that expired unmatched (since creation). */
  expiredLabels?: number;
  /** Delayed labels: labels that arrived for an unknown or expired id (since creation). */
  unmatchedLabels?: number;
};
