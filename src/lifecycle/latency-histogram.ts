/**
 * A small caller-thread quantile sketch for the A/B latency comparison:
 * base-2 exponential buckets at a fixed scale, the same bucket layout as the
 * kernel sketch (bucket i covers (b^i, b^(i+1)], b = 2^(2^−scale)), so its
 * relative error is (b − 1)/(b + 1) (scale 6: 0.54 %).
 *
 * Why not the kernel sketch: `ABTest.decide()` is synchronous and its two arms
 * are tiny compared with a monitoring window; a Map of bucket counts is O(1)
 * per record and O(B log B) per quantile (B = occupied buckets, a few hundred).
 * The index uses Math.log2 rather than the kernel's float-bit trick — exact
 * bucket agreement with the kernel is not needed here.
 */

/** Relative-error quantile sketch for non-negative values. */
export class LatencyHistogram {
  /** Buckets per power of two is 2^scale. */
  readonly scale: number;
  /** Guaranteed relative error of {@link LatencyHistogram.quantile}. */
  readonly relativeError: number;
  private readonly factor: number;
  private readonly base: number;
  private readonly counts = new Map<number, number>();
  private zeros = 0;
  private total = 0;
  /** Sorted bucket indexes and cumulative counts, rebuilt lazily after records. */
  private sortedKeys: number[] = [];
  private cumulative: number[] = [];
  private dirty = false;

  /**
   * @param scale - 0…10 (default 6).
   */
  constructor(scale = 6) {
    this.scale = scale;
    this.factor = 2 ** scale;
    this.base = 2 ** (1 / this.factor);
    this.relativeError = (this.base - 1) / (this.base + 1);
  }

  /** Values recorded. */
  get count(): number {
    return this.total;
  }

  /**
   * Records one value (caller guarantees finite and ≥ 0). O(1).
   * @param value - a latency.
   */
  record(value: number): void {
    this.total++;
    this.dirty = true;
    if (value <= 0) {
      this.zeros++;
      return;
    }
    const i = Math.ceil(Math.log2(value) * this.factor) - 1;
    this.counts.set(i, (this.counts.get(i) ?? 0) + 1);
  }

  /**
   * The q-quantile (rank ⌊q·(n − 1)⌋, lower), within the relative error. NaN when empty.
   * @param q - in [0, 1].
   * @returns the estimate: the bucket's relative-error-minimising point 2·b^(i+1)/(1 + b).
   * Cost: O(log B) after an O(B log B) rebuild following new records (B = occupied buckets).
   */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.total - 1));
    if (rank < this.zeros) return 0;
    if (this.dirty) this.rebuild();
    // first bucket whose cumulative count exceeds the rank (binary search)
    let lo = 0;
    let hi = this.sortedKeys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    const k = this.sortedKeys[lo]!;
    return (2 * this.base ** (k + 1)) / (1 + this.base);
  }

  private rebuild(): void {
    this.sortedKeys = [...this.counts.keys()].sort((x, y) => x - y);
    this.cumulative = new Array<number>(this.sortedKeys.length);
    let seen = this.zeros;
    for (let i = 0; i < this.sortedKeys.length; i++) {
      seen += this.counts.get(this.sortedKeys[i]!)!;
      this.cumulative[i] = seen;
    }
    this.dirty = false;
  }
}
