/**
 * Monitor overhead: the time spent inside edgewatch calls, per prediction —
 * the cost the monitoring adds to inference, as a metric and a budget.
 */

/** Metrics of an {@link OverheadMeter}. */
export interface OverheadMetrics {
  /** Total ms measured inside edgewatch calls. */
  monitorOverheadMs: number;
  /** Predictions counted. */
  predictions: number;
  /** monitorOverheadMs / predictions (0 before the first prediction). */
  monitorOverheadMsPerPrediction: number;
}

/**
 * Times edgewatch calls and counts predictions.
 * @example
 * const meter = new OverheadMeter();
 * const y = model(x); meter.prediction();
 * meter.measure(() => { latency.record(ms); monitor.update(y, label); });
 * meter.metrics().monitorOverheadMsPerPrediction;
 */
export class OverheadMeter {
  private total = 0;
  private count = 0;
  private readonly now: () => number;

  /** @param options - `now`: clock in ms (default `performance.now`). */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Runs `fn` and adds its duration to the overhead (also when it throws).
   * @param fn - the edgewatch work.
   * @returns what `fn` returns.
   */
  measure<T>(fn: () => T): T {
    const t0 = this.now();
    try {
      return fn();
    } finally {
      this.total += this.now() - t0;
    }
  }

  /**
   * Awaits `fn` and adds its wall time to the overhead (includes waiting on the worker).
   * @param fn - async edgewatch work.
   * @returns what `fn` resolves to.
   */
  async measureAsync<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = this.now();
    try {
      return await fn();
    } finally {
      this.total += this.now() - t0;
    }
  }

  /**
   * Adds ms measured elsewhere.
   * @param ms - a non-negative finite duration (anything else is ignored).
   */
  add(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.total += ms;
  }

  /**
   * Counts predictions.
   * @param n - how many (default 1; non-positive or non-integer counts are ignored).
   */
  prediction(n = 1): void {
    if (Number.isInteger(n) && n > 0) this.count += n;
  }

  /** @returns the overhead metrics. */
  metrics(): OverheadMetrics {
    return {
      monitorOverheadMs: this.total,
      predictions: this.count,
      monitorOverheadMsPerPrediction: this.count > 0 ? this.total / this.count : 0,
    };
  }

  /** Starts a new measuring period. */
  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
