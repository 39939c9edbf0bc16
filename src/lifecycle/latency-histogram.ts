/**
 * A small caller-thread quantile sketch for the A/B latency comparison: a thin
 * synchronous wrapper over the reference kernel's exponential sketch
 * (`ExpSketch`), so there is one sketch implementation — the same bucket
 * layout and bucket index (float bits, not `log`) as every other sketch here.
 * Bucket i covers (b^i, b^(i+1)], b = 2^(2^−scale), so the relative error is
 * (b − 1)/(b + 1) (scale 6: 0.54 %).
 *
 * Why not through the engine: `ABTest.decide()` is synchronous and its two arms
 * are tiny compared with a monitoring window, so the pure-TS sketch is used
 * in-process (O(1) per record, O(B) per quantile, B = buckets in range).
 */
import { ExpSketch } from '../kernel/reference/exp-sketch.js';

/** Relative-error quantile sketch for non-negative values. */
export class LatencyHistogram {
  /** Buckets per power of two is 2^scale. */
  readonly scale: number;
  /** Guaranteed relative error of {@link LatencyHistogram.quantile}. */
  readonly relativeError: number;
  private readonly sketch: ExpSketch;
  /** Reused one-value batches: record() and quantile() allocate nothing. */
  private readonly one = new Float64Array(1);
  private readonly q = new Float64Array(1);

  /**
   * @param scale - 0…10 (default 6).
   */
  constructor(scale = 6) {
    this.scale = scale;
    this.sketch = new ExpSketch(scale);
    const base = 2 ** (2 ** -scale);
    this.relativeError = (base - 1) / (base + 1);
  }

  /** Values recorded. */
  get count(): number {
    return this.sketch.count;
  }

  /**
   * Records one value (caller guarantees finite and ≥ 0). O(1).
   * @param value - a latency.
   */
  record(value: number): void {
    // negatives are out of contract; they count as zeros, as before
    this.one[0] = value > 0 ? value : 0;
    this.sketch.record(this.one);
  }

  /**
   * The q-quantile (rank ⌊q·(n − 1)⌋, lower), within the relative error. NaN when empty.
   * @param q - in [0, 1] (clamped).
   * @returns the estimate: the bucket's relative-error-minimising point 2·b^(i+1)/(1 + b),
   * clamped to the recorded min and max.
   * Cost: O(B) (B = buckets between the smallest and largest value recorded).
   */
  quantile(q: number): number {
    this.q[0] = Math.min(1, Math.max(0, q));
    return this.sketch.quantiles(this.q)[0]!;
  }
}
