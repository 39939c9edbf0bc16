/**
 * The open window's counters and drop reasons, and the conversion of the
 * `PerformanceMonitor`'s cumulative counters (dropped, expired, unmatched)
 * into per-window deltas.
 */
import type { PerformanceMetrics } from '../performance/types.js';
import { bump } from './window-contents.js';

/** What {@link WindowTally.take} hands over. */
export interface TallyTake {
  counters: Record<string, number>;
  drops: Record<string, number>;
  /** Nothing was counted: no prediction, label or drop. */
  empty: boolean;
}

/** Counters and drops of the open window. */
export class WindowTally {
  /** Predictions observed in the window. */
  predictions = 0;
  private counters: Record<string, number> = {};
  private drops: Record<string, number> = {};
  private seen = { dropped: 0, expired: 0, unmatched: 0 };

  /**
   * Adds to a counter.
   *
   * @param key - counter name.
   * @param n - amount (default 1).
   */
  count(key: string, n = 1): void {
    bump(this.counters, key, n);
  }

  /**
   * Counts dropped values by reason.
   *
   * @param reason - why.
   * @param n - how many (default 1).
   */
  drop(reason: string, n = 1): void {
    bump(this.drops, reason, n);
  }

  /** Forgets the performance counters seen so far (a new PerformanceMonitor starts at 0). */
  restartPerformance(): void {
    this.seen = { dropped: 0, expired: 0, unmatched: 0 };
  }

  /**
   * Hands over the window's counters and drops (plus the performance
   * monitor's deltas since the last take) and starts a new window. O(keys).
   *
   * @param m - the performance metrics read at close.
   * @returns the counters and drops.
   */
  take(m: PerformanceMetrics): TallyTake {
    const { counters, drops } = this;
    const expired = m.expiredLabels ?? 0;
    const unmatched = m.unmatchedLabels ?? 0;
    bump(drops, 'performance', m.dropped - this.seen.dropped);
    bump(drops, 'label_expired', expired - this.seen.expired);
    bump(drops, 'label_unmatched', unmatched - this.seen.unmatched);
    this.seen = { dropped: m.dropped, expired, unmatched };
    if (this.predictions > 0) counters.predictions = this.predictions;
    this.predictions = 0;
    this.counters = {};
    this.drops = {};
    return {
      counters,
      drops,
      empty: Object.keys(counters).length === 0 && Object.keys(drops).length === 0,
    };
  }
}
