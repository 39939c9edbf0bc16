/**
 * Multivariate drift by a domain classifier (as NannyML's and Evidently's):
 * label the reference 0 and the window 1, train a logistic regression with
 * k-fold cross-validation, and read the pooled out-of-fold ROC-AUC. Near 0.5
 * the classifier cannot tell the two apart. The threshold is analytic: under
 * no shift the AUC is a Mann–Whitney U / (n₀n₁) with mean ½ and variance
 * (n₀ + n₁ + 1) / (12·n₀·n₁); the one-sided p-value is the normal tail.
 * (Cross-validated AUCs under no shift sit slightly below ½, so the test errs
 * on the side of fewer false alarms.)
 */
import { DataError } from '../errors.js';
import { WindowedAuc } from '../performance/windowed-auc.js';
import { normalSf } from '../stats/distributions.js';
import { sampleIndices, seededUniform } from '../stats/random.js';
import { optionalNumber } from '../util/options.js';
import { fitLogistic, logit } from './logistic.js';
import type { Matrix } from './matrix.js';
import { columnScale, pickRows, standardize, toMatrix } from './matrix.js';

/** Options of {@link prepareDomainClassifier}. */
export interface DomainClassifierOptions {
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Reference rows kept (a seeded subsample above this; default 1000). */
  maxReference?: number;
  /** Inverse L2 regularisation C (default 1, sklearn's). */
  c?: number;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Seed of the subsample and the folds (default 1). */
  seed?: number;
}

/** A prepared domain-classifier reference (plain data). */
export interface DomainClassifierModel {
  /** The (subsampled) reference. */
  reference: Matrix;
  /** Folds. */
  folds: number;
  /** Inverse regularisation. */
  c: number;
  /** Significance level. */
  alpha: number;
  /** Seed. */
  seed: number;
}

/** A window's domain-classifier result. */
export interface DomainClassifierResult {
  /** Pooled out-of-fold ROC-AUC of reference-vs-window. */
  statistic: number;
  /** One-sided p-value of the AUC under no shift (normal approximation of Mann–Whitney). */
  pValue: number;
  /** pValue < alpha. */
  isDrift: boolean;
  /** Rows of the window used. */
  n: number;
  /** Rows dropped for a non-finite value. */
  dropped: number;
}

/**
 * Prepares a reference. O(n·d).
 *
 * @param reference - the reference vectors.
 * @param options - folds, subsample size, C, level, seed.
 * @returns the model for {@link domainClassifierTest}.
 * @throws ConfigError for bad options; DataError for bad vectors or fewer rows than folds.
 * @example const model = prepareDomainClassifier(referenceRows);
 */
export function prepareDomainClassifier(
  reference: unknown,
  options: DomainClassifierOptions = {},
): DomainClassifierModel {
  const where = 'prepareDomainClassifier';
  const folds = optionalNumber(
    'folds',
    options.folds,
    5,
    { min: 2, max: 50, integer: true },
    where,
  );
  const maxReference = optionalNumber(
    'maxReference',
    options.maxReference,
    1000,
    { min: 2, integer: true },
    where,
  );
  const c = optionalNumber('c', options.c, 1, { above: 0 }, where);
  const alpha = optionalNumber('alpha', options.alpha, 0.05, { above: 0, max: 1 }, where);
  const seed = optionalNumber('seed', options.seed, 1, { min: 0, integer: true }, where);
  let { matrix } = toMatrix(reference, 'reference');
  if (matrix.rows < folds)
    throw new DataError(`reference: expected at least ${folds} finite rows, got ${matrix.rows}`);
  if (matrix.rows > maxReference)
    matrix = pickRows(matrix, sampleIndices(matrix.rows, maxReference, seededUniform(seed)));
  return { reference: matrix, folds, c, alpha, seed };
}

/**
 * Trains reference-vs-window classifiers with k-fold CV and tests the pooled AUC.
 * O(folds · iterations · N · d), N = reference + window rows.
 *
 * @param model - from {@link prepareDomainClassifier}.
 * @param current - the window's vectors (at least `folds` finite rows).
 * @returns AUC, p-value and verdict.
 * @throws DataError for vectors of another dimension or too few rows.
 * @example domainClassifierTest(model, windowRows).statistic // ≈ 0.5 without drift
 */
export function domainClassifierTest(
  model: DomainClassifierModel,
  current: unknown,
): DomainClassifierResult {
  const x0 = model.reference;
  const { matrix: x1, dropped } = toMatrix(current, 'current', x0.cols);
  if (x1.rows < model.folds)
    throw new DataError(`current: expected at least ${model.folds} finite rows, got ${x1.rows}`);
  const d = x0.cols;
  const n = x0.rows + x1.rows;
  const pooled: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
  pooled.data.set(x0.data, 0);
  pooled.data.set(x1.data, x0.data.length);
  const z = standardize(pooled, columnScale(pooled));
  const labels = new Uint8Array(n);
  labels.fill(1, x0.rows);
  // Stratified folds: each class shuffled, then dealt round-robin.
  const uniform = seededUniform(model.seed);
  const fold = new Int32Array(n);
  sampleIndices(x0.rows, x0.rows, uniform).forEach((idx, r) => (fold[idx] = r % model.folds));
  sampleIndices(x1.rows, x1.rows, uniform).forEach(
    (idx, r) => (fold[x0.rows + idx] = r % model.folds),
  );
  const scores = new Float64Array(n);
  for (let f = 0; f < model.folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const tr = pickRows(z, train);
    const fit = fitLogistic(
      tr.data,
      tr.rows,
      d,
      train.map((i) => labels[i]!),
      model.c,
    );
    for (const i of test) scores[i] = logit(fit, z.data, i);
  }
  const auc = new WindowedAuc();
  for (let i = 0; i < n; i++) auc.add(scores[i]!, labels[i] as 0 | 1);
  const statistic = auc.value();
  const n0 = x0.rows;
  const n1 = x1.rows;
  const sd = Math.sqrt((n0 + n1 + 1) / (12 * n0 * n1));
  const pValue = normalSf((statistic - 0.5) / sd);
  return { statistic, pValue, isDrift: pValue < model.alpha, n: n1, dropped };
}
