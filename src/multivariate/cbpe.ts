/**
 * Confidence-based performance estimation (CBPE, as NannyML describes it):
 * with calibrated probabilities, the expected confusion matrix of a window
 * needs no labels — a row predicted positive with probability p of being
 * positive adds p to the expected true positives and 1 − p to the expected
 * false positives. Accuracy, precision, recall, F1 (macro for multiclass) and
 * ROC-AUC follow from it.
 *
 * The band: the realised metric of a window is random even when calibration is
 * perfect, because each label is a draw from its probability. The band is the
 * estimate ± z·σ, where σ is the standard deviation of the realised metric
 * over `draws` simulated label sets drawn from the window's calibrated
 * probabilities (seeded, so reproducible); for accuracy σ is also the
 * Poisson–binomial value √(Σ qᵢ(1 − qᵢ))/n. It covers the sampling of labels,
 * not a calibration that no longer holds: under concept shift the estimate
 * and its band are wrong together (see docs/multivariate.md).
 */
import { ConfigError, DataError, describeValue } from '../errors.js';
import { normalQuantile } from '../stats/distributions.js';
import { seededUniform } from '../stats/random.js';
import { numberOptions } from '../util/options.js';
import type { CalibrationMethod, Calibrator } from './calibration.js';
import { calibrate, fitCalibration } from './calibration.js';
import { toMatrix, type Matrix } from './matrix.js';

/** The metrics CBPE estimates. */
export const CBPE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'] as const;

/** One of {@link CBPE_METRICS}. */
export type CbpeMetric = (typeof CBPE_METRICS)[number];

/** Options of {@link fitCbpe}. */
export interface CbpeOptions {
  /** Calibration fitted on the reference (default `'isotonic'`; `'none'` when scores are calibrated). */
  calibration?: CalibrationMethod;
  /** Binary: a row is predicted positive when its raw score is ≥ this (default 0.5). */
  threshold?: number;
  /** The band's level: 1 − alpha coverage (default 0.05). */
  alpha?: number;
  /** Simulated label sets behind the band (default 200; 0 = no band). */
  draws?: number;
  /** Seed of the simulations (default 1). */
  seed?: number;
}

/** A fitted CBPE model: plain data, structured-clone safe. */
export interface CbpeModel {
  /** `'binary'` (scores are numbers) or `'multiclass'` (scores are one probability vector per row). */
  task: 'binary' | 'multiclass';
  /** Number of classes (2 for binary). */
  classes: number;
  /** Binary: one calibrator; multiclass: one per class (one-vs-rest), rows renormalised after. */
  calibrators: Calibrator[];
  /** Binary decision threshold on the raw score. */
  threshold: number;
  /** Band level. */
  alpha: number;
  /** Simulated label sets per estimate. */
  draws: number;
  /** Seed of the simulations. */
  seed: number;
}

/** One estimated metric with its band. */
export interface EstimatedMetric {
  /** The estimate. */
  value: number;
  /** Lower end of the band (clipped to 0). */
  lower: number;
  /** Upper end of the band (clipped to 1). */
  upper: number;
}

/** The estimate for one window. */
export interface CbpeEstimate {
  /** Rows used. */
  n: number;
  /** Rows dropped for a non-finite score. */
  dropped: number;
  /** Each metric with its band (macro average over classes for multiclass precision, recall, F1, ROC-AUC). */
  metrics: Record<CbpeMetric, EstimatedMetric>;
}

interface Scored {
  /** Binary: score per row; multiclass: n×K. */
  raw: Matrix;
  dropped: number;
}

function readScores(
  task: 'binary' | 'multiclass',
  scores: unknown,
  name: string,
  classes?: number,
): Scored {
  if (task === 'binary') {
    if (!Array.isArray(scores) && !ArrayBuffer.isView(scores))
      throw new DataError(`${name}: expected an array of scores, got ${describeValue(scores)}`);
    const arr = scores as ArrayLike<unknown>;
    const data = new Float64Array(arr.length);
    let k = 0;
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v === 'number' && Number.isFinite(v)) data[k++] = v;
    }
    return { raw: { rows: k, cols: 1, data: data.slice(0, k) }, dropped: arr.length - k };
  }
  const { matrix, dropped } = toMatrix(scores, name, classes);
  return { raw: matrix, dropped };
}

function isVectorRows(scores: unknown): boolean {
  if (Array.isArray(scores)) {
    const first: unknown = scores[0];
    return Array.isArray(first) || ArrayBuffer.isView(first);
  }
  return typeof scores === 'object' && scores !== null && !ArrayBuffer.isView(scores);
}

/**
 * Fits CBPE on a labelled reference: the calibration of the scores.
 * O(n log n) per class.
 *
 * @param scores - binary: one score per row (higher = positive); multiclass: one probability vector per row.
 * @param labels - binary: 0/1; multiclass: the class index 0…K−1.
 * @param options - calibration, threshold, band level and draws.
 * @returns the model to pass to {@link estimatePerformance}.
 * @throws ConfigError for bad options; DataError for mismatched, empty or non-finite data or bad labels.
 * @example
 * const model = fitCbpe([0.2, 0.7, 0.9, 0.1], [0, 1, 1, 0], { calibration: 'none' });
 * estimatePerformance(model, [0.8, 0.3]).metrics.accuracy.value // => 0.75
 */
export function fitCbpe(
  scores: unknown,
  labels: ArrayLike<number>,
  options: CbpeOptions = {},
): CbpeModel {
  const where = 'fitCbpe';
  const calibration = options.calibration ?? 'isotonic';
  if (calibration !== 'isotonic' && calibration !== 'platt' && calibration !== 'none')
    throw new ConfigError(
      `${where}: expected calibration to be 'isotonic', 'platt' or 'none', got ${describeValue(calibration)}`,
    );
  const { threshold, alpha, draws, seed } = numberOptions(
    options,
    {
      threshold: [0.5, {}],
      alpha: [0.05, { above: 0, max: 0.5 }],
      draws: [200, { min: 0, max: 100_000, integer: true }],
      seed: [1, { integer: true, min: 0 }],
    },
    where,
  );
  const task = isVectorRows(scores) ? 'multiclass' : 'binary';
  const { raw, dropped } = readScores(task, scores, 'scores');
  if (dropped > 0)
    throw new DataError(
      `scores: expected finite reference scores, got ${dropped} rows that are not`,
    );
  if (labels.length !== raw.rows)
    throw new DataError(
      `labels: expected ${raw.rows} labels (one per score), got ${labels.length}`,
    );
  if (task === 'binary') {
    return {
      task,
      classes: 2,
      calibrators: [fitCalibration(calibration, raw.data, labels)],
      threshold,
      alpha,
      draws,
      seed,
    };
  }
  const k = raw.cols;
  if (k < 2)
    throw new DataError(`scores: expected probability vectors of at least 2 classes, got ${k}`);
  const calibrators: Calibrator[] = [];
  const col = new Float64Array(raw.rows);
  const hit = new Float64Array(raw.rows);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < raw.rows; i++) {
      const y = labels[i];
      if (!Number.isInteger(y) || (y as number) < 0 || (y as number) >= k)
        throw new DataError(`labels: expected class indices 0…${k - 1}, got ${String(y)} at ${i}`);
      col[i] = raw.data[i * k + c]!;
      hit[i] = y === c ? 1 : 0;
    }
    calibrators.push(fitCalibration(calibration, col, hit));
  }
  return { task, classes: k, calibrators, threshold, alpha, draws, seed };
}

/**
 * Calibrated class probabilities and predicted classes of a window.
 * Binary: `prob` holds P(y = 1) per row; multiclass: n×K rows summing to 1.
 */
interface Window {
  n: number;
  classes: number;
  prob: Float64Array;
  predicted: Int32Array;
  /** Raw score used to rank rows, per class (binary: one column). */
  rank: Float64Array;
}

function prepareWindow(model: CbpeModel, raw: Matrix): Window {
  const n = raw.rows;
  if (model.task === 'binary') {
    const prob = new Float64Array(n);
    const predicted = new Int32Array(n);
    const cal = model.calibrators[0]!;
    for (let i = 0; i < n; i++) {
      const s = raw.data[i]!;
      prob[i] = calibrate(cal, s);
      predicted[i] = s >= model.threshold ? 1 : 0;
    }
    return { n, classes: 2, prob, predicted, rank: raw.data };
  }
  const k = model.classes;
  const prob = new Float64Array(n * k);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const s = raw.data[i * k + c]!;
      if (s > raw.data[i * k + best]!) best = c;
      const p = calibrate(model.calibrators[c]!, s);
      prob[i * k + c] = p;
      sum += p;
    }
    for (let c = 0; c < k; c++) prob[i * k + c] = sum > 0 ? prob[i * k + c]! / sum : 1 / k;
    predicted[i] = best;
  }
  return { n, classes: k, prob, predicted, rank: raw.data };
}

/**
 * Metrics of one window from per-row class weights: `weight(i, c)` is the
 * probability (estimate) or the 0/1 indicator (realised) that row i is class c.
 */
function metricsFrom(
  w: Window,
  weight: (i: number, c: number) => number,
  order: Int32Array[],
): Record<CbpeMetric, number> {
  const { n, predicted } = w;
  const k = w.classes;
  const binary = k === 2 && w.rank.length === n;
  const classesScored = binary ? [1] : Array.from({ length: k }, (_, c) => c);
  let correct = 0;
  for (let i = 0; i < n; i++) correct += weight(i, predicted[i]!);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let auc = 0;
  for (const c of classesScored) {
    let tp = 0;
    let predictedC = 0;
    let actualC = 0;
    for (let i = 0; i < n; i++) {
      const y = weight(i, c);
      actualC += y;
      if (predicted[i] === c) {
        predictedC++;
        tp += y;
      }
    }
    const fp = predictedC - tp;
    const fn = actualC - tp;
    precision += predictedC > 0 ? tp / predictedC : 0;
    recall += actualC > 0 ? tp / actualC : 0;
    f1 += 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    auc += weightedAuc(w, c, binary, weight, order[binary ? 0 : c]!);
  }
  const m = classesScored.length;
  return {
    accuracy: correct / n,
    precision: precision / m,
    recall: recall / m,
    f1: f1 / m,
    roc_auc: auc / m,
  };
}

/**
 * AUC with weights: Σᵢ≠ⱼ wᵢ(1 − wⱼ)([sᵢ > sⱼ] + ½[sᵢ = sⱼ]) / Σᵢ≠ⱼ wᵢ(1 − wⱼ), with rows ranked
 * by their score for class c. With 0/1 weights this is the Mann–Whitney AUC. O(n) given the order.
 */
function weightedAuc(
  w: Window,
  c: number,
  binary: boolean,
  weight: (i: number, c: number) => number,
  order: Int32Array,
): number {
  const k = binary ? 1 : w.classes;
  const col = binary ? 0 : c;
  const score = (i: number): number => w.rank[i * k + col]!;
  let below = 0; // Σ (1 − w) over rows with a lower score
  let num = 0;
  let sumPos = 0;
  let sumNeg = 0;
  let self = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    const s = score(order[start]!);
    let groupPos = 0;
    let groupNeg = 0;
    let groupSelf = 0;
    while (end < order.length && score(order[end]!) === s) {
      const p = weight(order[end]!, c);
      groupPos += p;
      groupNeg += 1 - p;
      groupSelf += p * (1 - p);
      end++;
    }
    num += groupPos * below + 0.5 * (groupPos * groupNeg - groupSelf);
    below += groupNeg;
    sumPos += groupPos;
    sumNeg += groupNeg;
    self += groupSelf;
    start = end;
  }
  const den = sumPos * sumNeg - self;
  return den > 0 ? num / den : NaN;
}

function rankOrders(w: Window, binary: boolean): Int32Array[] {
  const k = binary ? 1 : w.classes;
  const out: Int32Array[] = [];
  for (let c = 0; c < k; c++) {
    const idx = Int32Array.from({ length: w.n }, (_, i) => i);
    idx.sort((a, b) => w.rank[a * k + c]! - w.rank[b * k + c]!);
    out.push(idx);
  }
  return out;
}

function probWeight(w: Window, binary: boolean): (i: number, c: number) => number {
  if (binary) return (i, c) => (c === 1 ? w.prob[i]! : 1 - w.prob[i]!);
  return (i, c) => w.prob[i * w.classes + c]!;
}

/**
 * Estimates a window's performance without labels. O(n log n + draws · n · K).
 *
 * @param model - from {@link fitCbpe}.
 * @param scores - the window's scores, shaped as the reference's.
 * @returns the estimated metrics with their bands; rows with a non-finite score are dropped and counted.
 * @throws DataError when the window has no usable row or multiclass rows have the wrong length.
 * @example estimatePerformance(model, windowScores).metrics.accuracy // => { value, lower, upper }
 */
export function estimatePerformance(model: CbpeModel, scores: unknown): CbpeEstimate {
  const { raw, dropped } = readScores(
    model.task,
    scores,
    'scores',
    model.task === 'multiclass' ? model.classes : undefined,
  );
  if (raw.rows === 0)
    throw new DataError('scores: expected at least one finite score in the window, got none');
  const w = prepareWindow(model, raw);
  const binary = model.task === 'binary';
  const order = rankOrders(w, binary);
  const est = metricsFrom(w, probWeight(w, binary), order);
  const sd = simulatedSd(model, w, binary, order);
  const z = normalQuantile(1 - model.alpha / 2);
  const metrics = {} as Record<CbpeMetric, EstimatedMetric>;
  for (const m of CBPE_METRICS) {
    const v = est[m];
    const s = sd[m];
    metrics[m] = {
      value: v,
      lower: Number.isNaN(v) ? NaN : Math.max(0, v - z * s),
      upper: Number.isNaN(v) ? NaN : Math.min(1, v + z * s),
    };
  }
  return { n: w.n, dropped, metrics };
}

/** Standard deviation of each realised metric over label sets drawn from the calibrated probabilities. */
function simulatedSd(
  model: CbpeModel,
  w: Window,
  binary: boolean,
  order: Int32Array[],
): Record<CbpeMetric, number> {
  const out = { accuracy: 0, precision: 0, recall: 0, f1: 0, roc_auc: 0 };
  if (model.draws < 2) return out;
  const uniform = seededUniform(model.seed);
  const labels = new Int32Array(w.n);
  const sums = { ...out };
  const squares = { ...out };
  const indicator = (i: number, c: number): number => (labels[i] === c ? 1 : 0);
  for (let d = 0; d < model.draws; d++) {
    for (let i = 0; i < w.n; i++) {
      const u = uniform();
      if (binary) labels[i] = u < w.prob[i]! ? 1 : 0;
      else {
        let c = 0;
        let acc = w.prob[i * w.classes]!;
        while (u >= acc && c < w.classes - 1) acc += w.prob[i * w.classes + ++c]!;
        labels[i] = c;
      }
    }
    const r = metricsFrom(w, indicator, order);
    for (const m of CBPE_METRICS) {
      const v = Number.isNaN(r[m]) ? 0 : r[m];
      sums[m] += v;
      squares[m] += v * v;
    }
  }
  for (const m of CBPE_METRICS) {
    const mean = sums[m] / model.draws;
    out[m] = Math.sqrt(Math.max(0, squares[m] / model.draws - mean * mean));
  }
  return out;
}

/**
 * The realised metrics of a window with its true labels, computed the same way as the
 * estimate (for comparing the two). O(n log n · K).
 *
 * @param model - from {@link fitCbpe}.
 * @param scores - the window's scores.
 * @param labels - the window's true labels (0/1, or class indices).
 * @returns each metric's realised value.
 * @throws DataError for mismatched lengths or non-finite scores.
 * @example realisedPerformance(model, [0.8, 0.3], [1, 0]).accuracy // => 1
 */
export function realisedPerformance(
  model: CbpeModel,
  scores: unknown,
  labels: ArrayLike<number>,
): Record<CbpeMetric, number> {
  const { raw, dropped } = readScores(
    model.task,
    scores,
    'scores',
    model.task === 'multiclass' ? model.classes : undefined,
  );
  if (dropped > 0)
    throw new DataError(`scores: expected finite scores, got ${dropped} rows that are not`);
  if (labels.length !== raw.rows)
    throw new DataError(
      `labels: expected ${raw.rows} labels (one per score), got ${labels.length}`,
    );
  const w = prepareWindow(model, raw);
  const binary = model.task === 'binary';
  return metricsFrom(w, (i, c) => (labels[i] === c ? 1 : 0), rankOrders(w, binary));
}
