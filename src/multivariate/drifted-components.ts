/**
 * Share of drifted components (Evidently's embedding drift "share of drifted
 * components", alibi-detect's feature-wise KS): a two-sample KS test per
 * dimension, corrected for testing them all (Bonferroni or Benjamini–Hochberg),
 * and the share of dimensions that reject. The KS statistic and p-value are
 * the library's own (`edgewatch/stats`, scipy's `ks_2samp`).
 */
import { ConfigError, describeValue } from '../errors.js';
import { ksPValue } from '../stats/ks-test.js';
import { rejectHypotheses } from '../stats/multiple-testing.js';
import { tsSampleOps } from '../stats/sample-ops.js';
import { optionalNumber } from '../util/options.js';
import { toMatrix, type Matrix } from './matrix.js';

/** Options of {@link prepareDriftedComponents}. */
export interface DriftedComponentsOptions {
  /** Family level (default 0.05). */
  alpha?: number;
  /** `'bonferroni'` (default) or `'fdr'` (Benjamini–Hochberg). */
  correction?: 'bonferroni' | 'fdr';
  /** The window drifts when the share of drifted components exceeds this (default 0: any). */
  maxShare?: number;
}

/** A prepared reference: each dimension sorted (plain data). */
export interface DriftedComponentsModel {
  /** Dimensions. */
  cols: number;
  /** Sorted reference values per dimension. */
  sorted: Float64Array[];
  /** Family level. */
  alpha: number;
  /** Correction. */
  correction: 'bonferroni' | 'fdr';
  /** Share above which the window drifts. */
  maxShare: number;
}

/** A window's result. */
export interface DriftedComponentsResult {
  /** Share of dimensions whose KS test rejects after correction, in [0, 1]. */
  statistic: number;
  /** KS p-value per dimension (uncorrected). */
  pValues: number[];
  /** Whether each dimension rejects after correction. */
  drifted: boolean[];
  /** statistic > maxShare. */
  isDrift: boolean;
  /** Rows of the window used. */
  n: number;
  /** Rows dropped for a non-finite value. */
  dropped: number;
}

function sortedColumns(m: Matrix): Float64Array[] {
  const out: Float64Array[] = [];
  const col = new Float64Array(m.rows);
  for (let j = 0; j < m.cols; j++) {
    for (let i = 0; i < m.rows; i++) col[i] = m.data[i * m.cols + j]!;
    out.push(tsSampleOps.sortF64(col).slice());
  }
  return out;
}

/**
 * Sorts each reference dimension once. O(d · n log n).
 *
 * @param reference - the reference vectors.
 * @param options - level, correction, share threshold.
 * @returns the model for {@link driftedComponents}.
 * @throws ConfigError for bad options; DataError for bad vectors or no rows.
 * @example const model = prepareDriftedComponents(referenceRows, { correction: 'fdr' });
 */
export function prepareDriftedComponents(
  reference: unknown,
  options: DriftedComponentsOptions = {},
): DriftedComponentsModel {
  const where = 'prepareDriftedComponents';
  const alpha = optionalNumber('alpha', options.alpha, 0.05, { above: 0, max: 1 }, where);
  const correction = options.correction ?? 'bonferroni';
  if (correction !== 'bonferroni' && correction !== 'fdr')
    throw new ConfigError(
      `${where}: expected correction to be 'bonferroni' or 'fdr', got ${describeValue(correction)}`,
    );
  const maxShare = optionalNumber('maxShare', options.maxShare, 0, { min: 0, max: 1 }, where);
  const { matrix } = toMatrix(reference, 'reference', undefined, 1);
  return { cols: matrix.cols, sorted: sortedColumns(matrix), alpha, correction, maxShare };
}

/**
 * KS per dimension against the prepared reference, corrected. O(d · (m log m + n)).
 *
 * @param model - from {@link prepareDriftedComponents}.
 * @param current - the window's vectors.
 * @returns the share of drifted dimensions, per-dimension p-values and the verdict.
 * @throws DataError for vectors of another dimension or no finite row.
 * @example driftedComponents(model, windowRows).statistic // => 0 without drift, most of the time
 */
export function driftedComponents(
  model: DriftedComponentsModel,
  current: unknown,
): DriftedComponentsResult {
  const { matrix, dropped } = toMatrix(current, 'current', model.cols, 1);
  const pValues: number[] = [];
  const cur = sortedColumns(matrix);
  for (let j = 0; j < model.cols; j++) {
    const ref = model.sorted[j]!;
    const c = cur[j]!;
    pValues.push(ksPValue(tsSampleOps.ksStatisticSorted(ref, c), ref.length, c.length).pValue);
  }
  const drifted = rejectHypotheses(pValues, model.alpha, model.correction);
  const share = drifted.filter(Boolean).length / Math.max(1, model.cols);
  return {
    statistic: share,
    pValues,
    drifted,
    isDrift: share > model.maxShare,
    n: matrix.rows,
    dropped,
  };
}
