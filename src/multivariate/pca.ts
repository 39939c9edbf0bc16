/**
 * Multivariate drift by PCA reconstruction error (NannyML's data
 * reconstruction drift): standardise with the reference's column scales,
 * keep the principal components that explain a given share of the
 * reference's variance, and measure how far each row lies from that
 * subspace. A window whose mean error leaves the reference's band has
 * drifted in a way the reference's correlation structure does not explain.
 *
 * The band comes from the reference itself: per-row errors computed out of
 * fold (k-fold cross-fitting, so a row is never scored by a PCA fitted on it,
 * which would make the reference look tighter than new data). A window is
 * scored by the same fold models (its error is the average over them), so
 * under no shift it has the same expected error as the reference rows; its
 * mean over m rows is compared with mean ± z·sd/√m — a two-sided normal
 * test whose p-value is reported. (Scoring the window with a PCA fitted on
 * the whole reference instead biases it: in 256 dimensions the whole fit
 * keeps more components than an 80 % fit and every window looks "too good".)
 */
import { ConfigError, DataError } from '../errors.js';
import { normalQuantile, normalSf } from '../stats/distributions.js';
import { sampleIndices, seededUniform } from '../stats/random.js';
import { numberOptions, optionalNumber } from '../util/options.js';
import type { Matrix } from './matrix.js';
import { symmetricEigen } from './eigen.js';
import { columnScale, pickRows, toMatrix } from './matrix.js';

/** Options of {@link fitPcaDrift}. */
export interface PcaDriftOptions {
  /** Share of the reference's variance the kept components explain (default 0.65, as NannyML). */
  varianceShare?: number;
  /** Significance level of the window test (default 0.05). */
  alpha?: number;
  /** Folds of the cross-fitting behind the band (default 5; ≥ 2). */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
}

/** A fitted PCA drift model (plain data). */
export interface PcaDriftModel {
  /** Dimensions. */
  cols: number;
  /** Column means of the reference. */
  mean: Float64Array;
  /** Column standard deviations of the reference (1 for a constant column). */
  scale: Float64Array;
  /** Kept components: a cols × k row-major matrix whose columns are orthonormal. */
  components: Float64Array;
  /** Number of components kept. */
  k: number;
  /** Share of the variance they explain. */
  explained: number;
  /** Mean out-of-fold reconstruction error per row on the reference. */
  errorMean: number;
  /** Standard deviation of the per-row errors on the reference. */
  errorSd: number;
  /**
   * Variance of {@link PcaDriftModel.errorMean} as an estimate: the spread of the fold means
   * (Σ(ēf − ē)² / (k(k − 1))), at least errorSd² / n.
   */
  errorMeanVariance: number;
  /** The fold models that score windows (each fitted on all folds but one). */
  folds: PcaFit[];
  /** Significance level. */
  alpha: number;
}

/** One fitted PCA: standardisation and kept components. */
export interface PcaFit {
  /** Column means. */
  mean: Float64Array;
  /** Column standard deviations (1 for a constant column). */
  scale: Float64Array;
  /** Kept components, cols × k row-major, orthonormal columns. */
  components: Float64Array;
  /** Number kept. */
  k: number;
  /** Share of variance they explain. */
  explained: number;
}

/** A window's PCA drift result. */
export interface PcaDriftResult {
  /** Mean reconstruction error of the window's rows. */
  statistic: number;
  /** Lower end of the reference band for a window of this size. */
  lower: number;
  /** Upper end of the reference band. */
  upper: number;
  /** Two-sided p-value of the window's mean error against the reference. */
  pValue: number;
  /** pValue < alpha. */
  isDrift: boolean;
  /** Rows used. */
  n: number;
  /** Rows dropped for a non-finite value. */
  dropped: number;
}

function fit(m: Matrix, share: number): PcaFit {
  const { mean, scale } = columnScale(m);
  const d = m.cols;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) row[j] = (m.data[i * d + j]! - mean[j]!) / scale[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / Math.max(1, m.rows - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  let k = 0;
  let cum = 0;
  while (k < d) {
    cum += Math.max(0, values[k]!) / (total || 1);
    k++;
    if (cum > share) break;
  }
  const components = new Float64Array(d * k);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < k; c++) components[r * k + c] = vectors[r * d + c]!;
  return { mean, scale, components, k, explained: Math.min(1, cum) };
}

/** Reconstruction error ‖x − VVᵀx‖ of every row, x standardised. O(rows · cols · k). */
function rowErrors(f: PcaFit, m: Matrix): Float64Array {
  const d = m.cols;
  const { k, components } = f;
  const out = new Float64Array(m.rows);
  const x = new Float64Array(d);
  const proj = new Float64Array(k);
  for (let i = 0; i < m.rows; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = (m.data[i * d + j]! - f.mean[j]!) / f.scale[j]!;
      x[j] = v;
      norm += v * v;
    }
    proj.fill(0);
    for (let j = 0; j < d; j++) {
      const v = x[j]!;
      const base = j * k;
      for (let c = 0; c < k; c++) proj[c]! += v * components[base + c]!;
    }
    let kept = 0;
    for (let c = 0; c < k; c++) kept += proj[c]! * proj[c]!;
    out[i] = Math.sqrt(Math.max(0, norm - kept));
  }
  return out;
}

/**
 * Fits the PCA on the reference and derives the band from out-of-fold errors.
 * O(folds · (n·d² + d³)).
 *
 * @param reference - the reference vectors (rows with a non-finite value are dropped).
 * @param options - variance share, level, folds, seed.
 * @returns the model.
 * @throws ConfigError for bad options; DataError for bad vectors or fewer than 2·folds rows.
 * @example const model = fitPcaDrift(referenceRows); pcaDrift(model, windowRows).isDrift
 */
export function fitPcaDrift(reference: unknown, options: PcaDriftOptions = {}): PcaDriftModel {
  const where = 'fitPcaDrift';
  const share = optionalNumber(
    'varianceShare',
    options.varianceShare,
    0.65,
    { above: 0, max: 1 },
    where,
  );
  const { alpha, folds, seed } = numberOptions(
    options,
    {
      alpha: [0.05, { above: 0, max: 0.5 }],
      folds: [5, { min: 2, max: 50, integer: true }],
      seed: [1, { min: 0, integer: true }],
    },
    where,
  );
  const { matrix } = toMatrix(reference, 'reference');
  if (matrix.rows < 2 * folds)
    throw new ConfigError(
      `${where}: expected at least ${2 * folds} finite reference rows, got ${matrix.rows}`,
    );
  const whole = fit(matrix, share);
  const perm = sampleIndices(matrix.rows, matrix.rows, seededUniform(seed));
  const errors = new Float64Array(matrix.rows);
  const foldFits: PcaFit[] = [];
  const foldMeans: number[] = [];
  let at = 0;
  for (let f = 0; f < folds; f++) {
    const test: number[] = [];
    const train: number[] = [];
    perm.forEach((idx, r) => (r % folds === f ? test : train).push(idx));
    const foldFit = fit(pickRows(matrix, train), share);
    foldFits.push(foldFit);
    const e = rowErrors(foldFit, pickRows(matrix, test));
    errors.set(e, at);
    at += e.length;
    foldMeans.push(e.reduce((t, v) => t + v, 0) / e.length);
  }
  let mean = 0;
  for (const e of errors) mean += e;
  mean /= errors.length;
  let ss = 0;
  for (const e of errors) ss += (e - mean) * (e - mean);
  let between = 0;
  for (const m of foldMeans) between += (m - mean) * (m - mean);
  return {
    cols: matrix.cols,
    mean: whole.mean,
    scale: whole.scale,
    components: whole.components,
    k: whole.k,
    explained: whole.explained,
    errorMean: mean,
    errorSd: Math.sqrt(ss / (errors.length - 1)),
    errorMeanVariance: Math.max(
      between / (folds * (folds - 1)),
      ss / (errors.length - 1) / errors.length,
    ),
    folds: foldFits,
    alpha,
  };
}

/**
 * Per-row reconstruction errors under the PCA fitted on the whole reference
 * (sklearn's `PCA(n_components=share)` after `StandardScaler`). O(rows · cols · k).
 *
 * @param model - from {@link fitPcaDrift}.
 * @param rows - vectors of the model's dimension.
 * @returns one error per finite row.
 * @throws DataError for vectors of another dimension.
 * @example reconstructionErrors(model, [[0, 1, 2]]).length // => 1
 */
export function reconstructionErrors(model: PcaDriftModel, rows: unknown): Float64Array {
  return rowErrors(model, toMatrix(rows, 'current', model.cols).matrix);
}

/**
 * Tests a window's mean reconstruction error (averaged over the fold models) against the
 * reference band. O(folds · rows · cols · k).
 *
 * @param model - from {@link fitPcaDrift}.
 * @param current - the window's vectors.
 * @returns statistic, band, p-value and verdict.
 * @throws DataError for vectors of another dimension or a window without a finite row.
 * @example pcaDrift(model, windowRows).pValue
 */
export function pcaDrift(model: PcaDriftModel, current: unknown): PcaDriftResult {
  const { matrix, dropped } = toMatrix(current, 'current', model.cols);
  if (matrix.rows === 0)
    throw new DataError('pcaDrift: expected at least one finite row in the window, got none');
  let sum = 0;
  for (const f of model.folds) for (const e of rowErrors(f, matrix)) sum += e;
  const statistic = sum / (matrix.rows * model.folds.length);
  const se = Math.sqrt((model.errorSd * model.errorSd) / matrix.rows + model.errorMeanVariance);
  const z =
    se > 0 ? (statistic - model.errorMean) / se : statistic === model.errorMean ? 0 : Infinity;
  const pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  const half = se * normalQuantile(1 - model.alpha / 2);
  return {
    statistic,
    lower: model.errorMean - half,
    upper: model.errorMean + half,
    pValue,
    isDrift: pValue < model.alpha,
    n: matrix.rows,
    dropped,
  };
}
