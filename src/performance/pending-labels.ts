/**
 * Predictions waiting for their (delayed) ground-truth label, keyed by id,
 * with expiry by age and by count. O(1) amortised per operation: a `Map`
 * keeps insertion order, which is time order for a monotone clock.
 */
import type { Label } from './types.js';

/** An identifier of a prediction. */
export type PredictionId = string | number;

interface Pending {
  pred: Label;
  at: number;
}

/**
 * The store behind `recordPrediction` / `recordLabel`.
 *
 * @example
 * ```ts
 * const p = new PendingLabels(60_000, 1000);
 * p.put('req-1', 0.8, Date.now());
 * p.take('req-1', Date.now()); // => 0.8
 * ```
 */
export class PendingLabels {
  private readonly map = new Map<PredictionId, Pending>();
  /** Predictions that expired unmatched. */
  expired = 0;
  /** Labels that arrived for an unknown (or already expired) id. */
  unmatched = 0;

  /**
   * @param ttlMs - age at which a waiting prediction expires.
   * @param maxPending - most predictions waiting at once.
   */
  constructor(
    private readonly ttlMs: number,
    private readonly maxPending: number,
  ) {}

  /** Predictions waiting. */
  get size(): number {
    return this.map.size;
  }

  /**
   * Stores a prediction (a second prediction for the same id replaces the first).
   *
   * @param id - the prediction's id.
   * @param pred - the prediction.
   * @param now - current time (ms).
   */
  put(id: PredictionId, pred: Label, now: number): void {
    this.expire(now);
    this.map.delete(id);
    while (this.map.size >= this.maxPending) {
      const oldest = this.map.keys().next();
      if (oldest.done === true) break;
      this.map.delete(oldest.value);
      this.expired++;
    }
    this.map.set(id, { pred, at: now });
  }

  /**
   * Takes the prediction of `id`, counting an unmatched label when there is none.
   *
   * @param id - the prediction's id.
   * @param now - current time (ms).
   * @returns the prediction, or undefined.
   */
  take(id: PredictionId, now: number): Label | undefined {
    this.expire(now);
    const p = this.map.get(id);
    if (p === undefined) {
      this.unmatched++;
      return undefined;
    }
    this.map.delete(id);
    return p.pred;
  }

  /**
   * Expires predictions older than the TTL.
   *
   * @param now - current time (ms).
   */
  expire(now: number): void {
    for (const [id, p] of this.map) {
      if (now - p.at < this.ttlMs) break;
      this.map.delete(id);
      this.expired++;
    }
  }

  /** Forgets every waiting prediction and resets the counters. */
  clear(): void {
    this.map.clear();
    this.expired = 0;
    this.unmatched = 0;
  }
}
