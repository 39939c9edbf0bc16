/**
 * The demo's model: multinomial (softmax) logistic regression on standardized
 * features, trained with full-batch Adam. Plain TypeScript, small enough to train
 * in the page in a few tens of milliseconds (inside the model worker).
 */

/** A trained model: standardization, weights and bias. Plain data, structured-clone safe. */
export interface SoftmaxModel {
  version: number;
  numFeatures: number;
  numClasses: number;
  /** Training mean per feature (also the imputation value for a NaN input). */
  mean: Float64Array;
  /** Training σ per feature (1 where the feature was constant). */
  std: Float64Array;
  /** Weights, class-major: `weights[c * numFeatures + j]`. */
  weights: Float64Array;
  bias: Float64Array;
}

/** Training options. */
export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
}

function columnStats(rows: Float64Array, nf: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(nf);
  const m2 = new Float64Array(nf);
  const count = new Float64Array(nf);
  const n = rows.length / nf;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nf; j++) {
      const x = rows[i * nf + j]!;
      if (Number.isNaN(x)) continue;
      count[j]! += 1;
      const d = x - mean[j]!;
      mean[j]! += d / count[j]!;
      m2[j]! += d * (x - mean[j]!);
    }
  }
  const std = new Float64Array(nf);
  for (let j = 0; j < nf; j++) {
    const s = count[j]! > 1 ? Math.sqrt(m2[j]! / (count[j]! - 1)) : 0;
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** Standardizes one row into `out`, imputing NaN with the training mean (0 after scaling). */
function standardize(model: SoftmaxModel, rows: Float64Array, i: number, out: Float64Array): void {
  const nf = model.numFeatures;
  for (let j = 0; j < nf; j++) {
    const x = rows[i * nf + j]!;
    out[j] = Number.isNaN(x) ? 0 : (x - model.mean[j]!) / model.std[j]!;
  }
}

function softmaxInto(model: SoftmaxModel, z: Float64Array, p: Float64Array): void {
  const nf = model.numFeatures;
  let max = -Infinity;
  for (let c = 0; c < model.numClasses; c++) {
    let s = model.bias[c]!;
    for (let j = 0; j < nf; j++) s += model.weights[c * nf + j]! * z[j]!;
    p[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < model.numClasses; c++) {
    const e = Math.exp(p[c]! - max);
    p[c] = e;
    sum += e;
  }
  for (let c = 0; c < model.numClasses; c++) p[c]! /= sum;
}

/**
 * Trains a softmax regression. O(epochs · n · features · classes).
 *
 * @param rows - row-major training rows (NaN allowed: imputed with the mean).
 * @param labels - class index per row, in [0, numClasses).
 * @param numFeatures - values per row.
 * @param numClasses - number of classes.
 * @param version - version number stamped on the model.
 * @param options - epochs (300), learning rate (0.1), L2 penalty (1e-3).
 * @returns the trained model.
 * @throws RangeError when rows and labels disagree in length or a label is out of range.
 * @example
 * const m = trainSoftmax(rows, labels, 6, 4, 1);
 * predictClass(m, rows, 0); // => a class index
 */
export function trainSoftmax(
  rows: Float64Array,
  labels: Int32Array,
  numFeatures: number,
  numClasses: number,
  version: number,
  options: TrainOptions = {},
): SoftmaxModel {
  const n = labels.length;
  if (rows.length !== n * numFeatures)
    throw new RangeError(`expected ${n * numFeatures} values, got ${rows.length}`);
  for (const y of labels)
    if (y < 0 || y >= numClasses)
      throw new RangeError(`expected a label in [0, ${numClasses}), got ${y}`);
  const { epochs = 300, learningRate = 0.1, l2 = 1e-3 } = options;
  const { mean, std } = columnStats(rows, numFeatures);
  const model: SoftmaxModel = {
    version,
    numFeatures,
    numClasses,
    mean,
    std,
    weights: new Float64Array(numClasses * numFeatures),
    bias: new Float64Array(numClasses),
  };
  // Standardize once.
  const z = new Float64Array(n * numFeatures);
  const tmp = new Float64Array(numFeatures);
  for (let i = 0; i < n; i++) {
    standardize(model, rows, i, tmp);
    z.set(tmp, i * numFeatures);
  }
  const np = numClasses * numFeatures + numClasses;
  const grad = new Float64Array(np);
  const m1 = new Float64Array(np);
  const m2 = new Float64Array(np);
  const p = new Float64Array(numClasses);
  const b1 = 0.9;
  const b2 = 0.999;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const zi = z.subarray(i * numFeatures, (i + 1) * numFeatures);
      softmaxInto(model, zi, p);
      for (let c = 0; c < numClasses; c++) {
        const g = p[c]! - (labels[i] === c ? 1 : 0);
        for (let j = 0; j < numFeatures; j++) grad[c * numFeatures + j]! += g * zi[j]!;
        grad[numClasses * numFeatures + c]! += g;
      }
    }
    for (let k = 0; k < np; k++) {
      const isWeight = k < numClasses * numFeatures;
      const w = isWeight ? model.weights[k]! : model.bias[k - numClasses * numFeatures]!;
      const g = grad[k]! / n + (isWeight ? l2 * w : 0);
      m1[k] = b1 * m1[k]! + (1 - b1) * g;
      m2[k] = b2 * m2[k]! + (1 - b2) * g * g;
      const step =
        (learningRate * (m1[k]! / (1 - b1 ** epoch))) /
        (Math.sqrt(m2[k]! / (1 - b2 ** epoch)) + 1e-8);
      if (isWeight) model.weights[k] = w - step;
      else model.bias[k - numClasses * numFeatures] = w - step;
    }
  }
  return model;
}

/**
 * Predicts the class of row `i` (arg max of the softmax). O(features · classes).
 *
 * @param model - a trained model.
 * @param rows - row-major rows.
 * @param i - row index.
 * @param scratch - optional scratch buffers to avoid allocation on the hot path.
 * @returns the predicted class index.
 */
export function predictClass(
  model: SoftmaxModel,
  rows: Float64Array,
  i: number,
  scratch?: { z: Float64Array; p: Float64Array },
): number {
  const z = scratch?.z ?? new Float64Array(model.numFeatures);
  const p = scratch?.p ?? new Float64Array(model.numClasses);
  standardize(model, rows, i, z);
  softmaxInto(model, z, p);
  let best = 0;
  for (let c = 1; c < model.numClasses; c++) if (p[c]! > p[best]!) best = c;
  return best;
}

/**
 * Class probabilities of every row (the softmax). O(n · features · classes).
 *
 * @param model - a trained model.
 * @param rows - row-major rows.
 * @returns row-major probabilities, `numClasses` per row.
 */
export function predictProbaAll(model: SoftmaxModel, rows: Float64Array): Float64Array {
  const n = rows.length / model.numFeatures;
  const out = new Float64Array(n * model.numClasses);
  const z = new Float64Array(model.numFeatures);
  for (let i = 0; i < n; i++) {
    standardize(model, rows, i, z);
    softmaxInto(model, z, out.subarray(i * model.numClasses, (i + 1) * model.numClasses));
  }
  return out;
}

/**
 * Predicts every row. O(n · features · classes).
 *
 * @param model - a trained model.
 * @param rows - row-major rows.
 * @returns predicted class per row.
 */
export function predictAll(model: SoftmaxModel, rows: Float64Array): Int32Array {
  const n = rows.length / model.numFeatures;
  const out = new Int32Array(n);
  const scratch = { z: new Float64Array(model.numFeatures), p: new Float64Array(model.numClasses) };
  for (let i = 0; i < n; i++) out[i] = predictClass(model, rows, i, scratch);
  return out;
}

/**
 * Share of predictions equal to their label. O(n).
 *
 * @param predictions - predicted classes.
 * @param labels - true classes, same length.
 * @returns the accuracy (NaN for no rows).
 */
export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++;
  return hits / labels.length;
}
