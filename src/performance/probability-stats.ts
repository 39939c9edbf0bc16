/**
 * Sliding-window metrics of binary probabilities: log loss, Brier score,
 * exact AUC and expected calibration error (ECE), all updated per sample
 * (O(1), AUC O(log n)).
 */
import { CompensatedSum } from './compensated-sum.js';
import { WindowedAuc } from './windowed-auc.js';

/** Probabilities are clipped to [EPS, 1 − EPS] inside the log loss (scikit-learn's historical 1e-15). */
export const LOG_LOSS_EPS = 1e-15;

/** Probabilistic metrics of a window (NaN when empty; `auc` NaN without both classes). */
export interface ProbabilityMetrics {
  logLoss: number;
  brier: number;
  auc: number;
  ece: number;
}

/**
 * Calibration bin of a probability: `min(floor(p·bins), bins − 1)`, so bin b
 * covers [b/bins, (b+1)/bins) and the last bin also holds p = 1.
 *
 * @param p - probability in [0, 1].
 * @param bins - number of equal-width bins.
 */
export function calibrationBin(p: number, bins: number): number {
  return Math.min(Math.floor(p * bins), bins - 1);
}

/**
 * Per-sample log loss of probability `p` for label `y` (clipped, natural log).
 *
 * @param p - probability of the positive class.
 * @param y - 0 or 1.
 */
export function logLossTerm(p: number, y: 0 | 1): number {
  const q = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
  return y === 1 ? -Math.log(q) : -Math.log1p(-q);
}

/**
 * Running sums of a window of (probability, label) pairs.
 *
 * ECE = Σ_b (n_b / n)·|mean label_b − mean probability_b| = Σ_b |Σy_b − Σp_b| / n:
 * the reliability of the positive-class probability (as plotted by
 * scikit-learn's `calibration_curve`), not the "top-label confidence" variant.
 *
 * @example
 * ```ts
 * const s = new ProbabilityStats(10);
 * s.add(0.9, 1); s.add(0.2, 0);
 * s.metrics().auc; // => 1
 * ```
 */
export class ProbabilityStats {
  private n = 0;
  private readonly logLoss = new CompensatedSum();
  private readonly brier = new CompensatedSum();
  private readonly binN: number[];
  private readonly binY: number[];
  private readonly binP: CompensatedSum[];
  private readonly auc = new WindowedAuc();

  /** @param bins - number of calibration bins (validated by the caller). */
  constructor(private readonly bins: number) {
    this.binN = new Array<number>(bins).fill(0);
    this.binY = new Array<number>(bins).fill(0);
    this.binP = Array.from({ length: bins }, () => new CompensatedSum());
  }

  /** Adds a sample. O(log n) (the AUC), O(1) otherwise. */
  add(p: number, y: 0 | 1): void {
    this.accumulate(p, y, 1);
    this.auc.add(p, y);
  }

  /** Removes a sample previously added. */
  remove(p: number, y: 0 | 1): void {
    this.accumulate(p, y, -1);
    this.auc.remove(p, y);
    if (this.n === 0) this.rebuild([]);
  }

  /**
   * Recomputes the floating sums from the samples held (the AUC is exact and kept).
   *
   * @param samples - the window's samples.
   */
  rebuild(samples: Iterable<{ prob: number; y01: 0 | 1 }>): void {
    this.n = 0;
    this.logLoss.reset();
    this.brier.reset();
    this.binN.fill(0);
    this.binY.fill(0);
    for (const s of this.binP) s.reset();
    for (const { prob, y01 } of samples) this.accumulate(prob, y01, 1);
  }

  /** Removes everything. */
  clear(): void {
    this.rebuild([]);
    this.auc.clear();
  }

  /** The metrics. O(bins). */
  metrics(): ProbabilityMetrics {
    const n = this.n;
    if (n === 0) return { logLoss: NaN, brier: NaN, auc: NaN, ece: NaN };
    let gap = 0;
    for (let b = 0; b < this.bins; b++) {
      if ((this.binN[b] ?? 0) > 0)
        gap += Math.abs((this.binY[b] ?? 0) - (this.binP[b]?.value ?? 0));
    }
    return {
      logLoss: Math.max(0, this.logLoss.value) / n,
      brier: Math.max(0, this.brier.value) / n,
      auc: this.auc.value(),
      ece: gap / n,
    };
  }

  private accumulate(p: number, y: 0 | 1, sign: 1 | -1): void {
    this.n += sign;
    this.logLoss.add(sign * logLossTerm(p, y));
    const d = p - y;
    this.brier.add(sign * d * d);
    const b = calibrationBin(p, this.bins);
    this.binN[b] = (this.binN[b] ?? 0) + sign;
    this.binY[b] = (this.binY[b] ?? 0) + sign * y;
    this.binP[b]?.add(sign * p);
  }
}
