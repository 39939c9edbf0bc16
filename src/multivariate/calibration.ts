/**
 * Probability calibration fitted on a labelled reference, so that CBPE can
 * read a score as the probability that the positive class is the truth.
 * Isotonic regression (pool-adjacent-violators, as sklearn's
 * `IsotonicRegression(out_of_bounds='clip')`) and Platt scaling (a logistic
 * fit of the label on the score with Platt's smoothed targets, as sklearn's
 * `CalibratedClassifierCV(method='sigmoid')`). A fitted calibrator is plain
 * data: it crosses the worker boundary as is.
 */
import { DataError } from '../errors.js';
import { sigmoid, softplus } from './logistic.js';

/** Calibration methods: `'isotonic'`, `'platt'`, or `'none'` (scores are already calibrated). */
export type CalibrationMethod = 'isotonic' | 'platt' | 'none';

/** A fitted calibrator: apply it with {@link calibrate}. */
export type Calibrator =
  | {
      /** Isotonic: a non-decreasing step function, linearly interpolated between knots. */
      method: 'isotonic';
      /** Distinct reference scores, increasing. */
      x: number[];
      /** Fitted probability at each knot, non-decreasing. */
      y: number[];
    }
  | {
      /** Platt: p = 1 / (1 + exp(a·score + b)). */
      method: 'platt';
      /** Slope (negative when higher scores mean positive). */
      a: number;
      /** Intercept. */
      b: number;
    }
  | {
      /** The identity, clipped to [0, 1]. */
      method: 'none';
    };

function checkPairs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length)
    throw new DataError(
      `expected as many labels as scores, got ${labels.length} and ${scores.length}`,
    );
  if (scores.length === 0) throw new DataError('expected at least one labelled score, got none');
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]))
      throw new DataError(`expected finite scores, got ${String(scores[i])} at ${i}`);
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new DataError(`expected labels 0 or 1, got ${String(labels[i])} at ${i}`);
  }
}

/**
 * Isotonic regression of 0/1 labels on scores (increasing), by
 * pool-adjacent-violators after averaging tied scores. O(n log n).
 *
 * @param scores - the model's scores on the reference (finite).
 * @param labels - the true labels, 0 or 1.
 * @returns the fitted calibrator.
 * @throws DataError for mismatched lengths, no data, non-finite scores or labels other than 0/1.
 * @example calibrate(fitIsotonic([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.9) // => 1
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  checkPairs(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (i, j) => (scores[i] as number) - (scores[j] as number),
  );
  // Distinct scores with the mean label of their ties, weighted by count.
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const s = scores[i] as number;
    if (xs.length > 0 && xs[xs.length - 1] === s) {
      sums[sums.length - 1]! += labels[i] as number;
      weights[weights.length - 1]! += 1;
    } else {
      xs.push(s);
      sums.push(labels[i] as number);
      weights.push(1);
    }
  }
  // PAVA: a stack of blocks (mean, weight, number of knots).
  const mean: number[] = [];
  const w: number[] = [];
  const len: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    mean.push((sums[k] as number) / (weights[k] as number));
    w.push(weights[k] as number);
    len.push(1);
    while (mean.length > 1 && mean[mean.length - 2]! > mean[mean.length - 1]!) {
      const m2 = mean.pop()!;
      const w2 = w.pop()!;
      const l2 = len.pop()!;
      const t = mean.length - 1;
      mean[t] = (mean[t]! * w[t]! + m2 * w2) / (w[t]! + w2);
      w[t]! += w2;
      len[t]! += l2;
    }
  }
  const y: number[] = [];
  mean.forEach((m, b) => {
    for (let r = 0; r < len[b]!; r++) y.push(m);
  });
  return { method: 'isotonic', x: xs, y };
}

/**
 * Platt scaling: fits p = 1 / (1 + exp(a·s + b)) by Newton's method on the
 * log-loss against Platt's smoothed targets ((N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2)). O(n) per iteration.
 *
 * @param scores - the model's scores on the reference (finite).
 * @param labels - the true labels, 0 or 1.
 * @returns the fitted calibrator.
 * @throws DataError for mismatched lengths, no data, non-finite scores or labels other than 0/1.
 * @example fitPlatt([-2, -1, 1, 2], [0, 0, 1, 1]).a < 0 // => true
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  checkPairs(scores, labels);
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] as number;
  const neg = n - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 0;
  let b = Math.log((neg + 1) / (pos + 1));
  const loss = (aa: number, bb: number): number => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const f = aa * (scores[i] as number) + bb; // p = σ(−f)
      const t = labels[i] === 1 ? hi : lo;
      // −[t log σ(−f) + (1−t) log σ(f)] = t·log1p(e^f) + (1−t)·log1p(e^−f)
      l += t * softplus(f) + (1 - t) * softplus(-f);
    }
    return l;
  };
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const s = scores[i] as number;
      const f = a * s + b;
      const t = labels[i] === 1 ? hi : lo;
      const q = sigmoid(f); // 1 − p
      const r = q - (1 - t);
      const h = q * (1 - q);
      gA += r * s;
      gB += r;
      hAA += h * s * s;
      hAB += h * s;
      hBB += h;
    }
    const det = hAA * hBB - hAB * hAB;
    let dA = (hBB * gA - hAB * gB) / det;
    let dB = (hAA * gB - hAB * gA) / det;
    let step = 1;
    let next = loss(a - dA, b - dB);
    while (next > current && step > 1e-10) {
      step /= 2;
      dA /= 2;
      dB /= 2;
      next = loss(a - dA, b - dB);
    }
    a -= dA;
    b -= dB;
    const done = Math.abs(dA) + Math.abs(dB) < 1e-12 * (1 + Math.abs(a) + Math.abs(b));
    current = next;
    if (done) break;
  }
  return { method: 'platt', a, b };
}

/**
 * Fits the chosen calibration.
 *
 * @param method - `'isotonic'`, `'platt'` or `'none'`.
 * @param scores - reference scores.
 * @param labels - reference labels, 0 or 1.
 * @returns the calibrator.
 * @throws DataError as {@link fitIsotonic}.
 * @example fitCalibration('none', [0.2], [0]) // => { method: 'none' }
 */
export function fitCalibration(
  method: CalibrationMethod,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): Calibrator {
  if (method === 'isotonic') return fitIsotonic(scores, labels);
  if (method === 'platt') return fitPlatt(scores, labels);
  checkPairs(scores, labels);
  return { method: 'none' };
}

/**
 * The calibrated probability of one score. O(log k) for isotonic (k knots), O(1) otherwise.
 *
 * @param c - a fitted calibrator.
 * @param score - the model's score.
 * @returns a probability in [0, 1] (NaN for a NaN score).
 * @example calibrate({ method: 'platt', a: -1, b: 0 }, 0) // => 0.5
 */
export function calibrate(c: Calibrator, score: number): number {
  if (Number.isNaN(score)) return NaN;
  if (c.method === 'platt') return sigmoid(-(c.a * score + c.b));
  if (c.method === 'none') return Math.min(1, Math.max(0, score));
  const { x, y } = c;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[x.length - 1]!) return y[y.length - 1]!;
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo]!;
  const y0 = y[lo]!;
  const y1 = y[hi]!;
  // The fraction first, then the clamp: with subnormal gaps between knots the
  // rounded interpolation could otherwise step past y1 (or above 1).
  const t = Math.min(1, (score - x0) / (x[hi]! - x0));
  return Math.min(y1, y0 + (y1 - y0) * t);
}
