/**
 * Sliding-window regression error statistics with O(1) add and remove:
 * MAE, RMSE, MAPE, R² and mean error.
 */
import { CompensatedSum } from './compensated-sum.js';

/** Regression metrics of a window. NaN where undefined (see each field). */
export interface RegressionMetrics {
  /** Mean absolute error `Σ|p−y|/n`. */
  mae: number;
  /** Root mean squared error `√(Σ(p−y)²/n)`. */
  rmse: number;
  /**
   * Mean absolute percentage error as a fraction (0.1 = 10%), over the samples
   * whose actual is non-zero; NaN when every actual is zero.
   */
  mape: number;
  /**
   * Coefficient of determination `1 − SSres/SStot`. NaN with fewer than 2
   * samples; when every actual is equal (SStot = 0): 1 for a perfect fit,
   * else 0 (scikit-learn's `force_finite` rule).
   */
  r2: number;
  /** Mean signed error (bias) `Σ(p−y)/n`; positive = over-prediction. */
  meanError: number;
}

/**
 * Running sums over the samples currently in a window. Actuals are summed
 * shifted by a pivot (a recent actual) so SStot = Σd² − (Σd)²/n keeps its
 * precision when the actuals sit far from zero; `rebuild` refreshes the sums
 * and pivot from the window (the monitor calls it once per window turnover,
 * amortised O(1)). A constant window is detected exactly by tracking the last
 * position where the actual changed, so R² follows the SStot = 0 rule exactly.
 *
 * @example
 * ```ts
 * const s = new RegressionStats();
 * s.add(1.5, 1); s.add(2, 3);
 * s.metrics().mae; // => 0.75
 * ```
 */
export class RegressionStats {
  private n = 0;
  private readonly sumErr = new CompensatedSum();
  private readonly sumAbs = new CompensatedSum();
  private readonly sumSq = new CompensatedSum();
  private readonly sumApe = new CompensatedSum();
  private nApe = 0;
  private pivot: number | undefined;
  private readonly sumD = new CompensatedSum();
  private readonly sumDD = new CompensatedSum();
  // Sequence numbers: samples in the window are [removed, added).
  private added = 0;
  private removed = 0;
  private lastChange = 0;
  private prevY: number | undefined;

  /** Adds a sample. O(1). */
  add(p: number, y: number): void {
    if (this.prevY !== undefined && y !== this.prevY) this.lastChange = this.added;
    this.prevY = y;
    this.added++;
    this.accumulate(p, y, 1);
  }

  /** Removes the oldest sample (must be the one added first among those held). O(1). */
  remove(p: number, y: number): void {
    this.removed++;
    this.accumulate(p, y, -1);
    if (this.n === 0) this.rebuild([]);
  }

  /**
   * Recomputes the sums from the samples held, oldest first (bounds rounding drift).
   *
   * @param samples - the window's samples.
   */
  rebuild(samples: Iterable<{ p: number; y: number }>): void {
    this.n = 0;
    for (const s of [this.sumErr, this.sumAbs, this.sumSq, this.sumApe, this.sumD, this.sumDD])
      s.reset();
    this.nApe = 0;
    this.pivot = undefined;
    for (const { p, y } of samples) this.accumulate(p, y, 1);
  }

  /** Resets everything. */
  clear(): void {
    this.rebuild([]);
    this.added = 0;
    this.removed = 0;
    this.lastChange = 0;
    this.prevY = undefined;
  }

  /**
   * True when the variance of the actuals is computed with heavy cancellation
   * (Σd² more than 1e6 × the centred sum of squares, i.e. more than ~1e-10
   * relative error in r2): the pivot sits far from the data now held, typically
   * after an outlier left the window. The caller then rebuilds from the window.
   * O(1).
   */
  illConditioned(): boolean {
    if (this.n < 2) return false;
    const d = this.sumD.value;
    const sst = this.sumDD.value - (d * d) / this.n;
    return this.sumDD.value > 1e6 * Math.max(sst, 0);
  }

  /** The metrics of the samples held. O(1). */
  metrics(): RegressionMetrics {
    const n = this.n;
    if (n === 0) return { mae: NaN, rmse: NaN, mape: NaN, r2: NaN, meanError: NaN };
    const sse = Math.max(0, this.sumSq.value);
    let r2 = NaN;
    if (n >= 2) {
      const constant = this.lastChange <= this.removed;
      const d = this.sumD.value;
      const sst = constant ? 0 : Math.max(0, this.sumDD.value - (d * d) / n);
      if (sst === 0) r2 = sse === 0 ? 1 : 0;
      else r2 = 1 - sse / sst;
    }
    return {
      mae: Math.max(0, this.sumAbs.value) / n,
      rmse: Math.sqrt(sse / n),
      mape: this.nApe === 0 ? NaN : Math.max(0, this.sumApe.value) / this.nApe,
      r2,
      meanError: this.sumErr.value / n,
    };
  }

  private accumulate(p: number, y: number, sign: 1 | -1): void {
    const e = p - y;
    this.n += sign;
    this.sumErr.add(sign * e);
    this.sumAbs.add(sign * Math.abs(e));
    this.sumSq.add(sign * e * e);
    if (y !== 0) {
      this.sumApe.add((sign * Math.abs(e)) / Math.abs(y));
      this.nApe += sign;
    }
    this.pivot ??= y;
    const d = y - this.pivot;
    this.sumD.add(sign * d);
    this.sumDD.add(sign * d * d);
  }
}
