/**
 * Space-saving top-K (Metwally et al. 2005) in its mergeable form (Agarwal et al. 2012).
 * The summary keeps at most `capacity` items, each with an upper bound `count` and an
 * overestimate `error`: true frequency ∈ [count − error, count]. An item not in the
 * summary occurred at most `absentBound` times. Every item with frequency > total /
 * capacity is in the summary. These bounds survive {@link mergeTopK} and
 * {@link suppressRare}, which is what lets a collector add summaries from many devices.
 */

/** One monitored item. */
export interface TopKEntry {
  /** The category. */
  item: string;
  /** Upper bound on its frequency. */
  count: number;
  /** Overestimate: the frequency is at least `count - error`. */
  error: number;
}

/** A space-saving summary. */
export interface TopKSummary {
  /** Most items kept. */
  capacity: number;
  /** Items counted (all of them, monitored or not). */
  total: number;
  /** Upper bound on the frequency of any item not in `entries`. */
  absentBound: number;
  /** Monitored items, by descending count. */
  entries: TopKEntry[];
}

/** A summary that accepts items one at a time. */
export class TopKBuilder {
  private readonly counts = new Map<string, TopKEntry>();
  private total = 0;

  /** @param capacity - most items kept. */
  constructor(readonly capacity: number) {}

  /**
   * Counts one occurrence. O(1) while not full, O(capacity) when an item is evicted.
   * @param item - the category.
   */
  add(item: string): void {
    this.total++;
    const hit = this.counts.get(item);
    if (hit) {
      hit.count++;
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(item, { item, count: 1, error: 0 });
      return;
    }
    let min: TopKEntry | undefined;
    for (const e of this.counts.values()) if (!min || e.count < min.count) min = e;
    const m = min as TopKEntry;
    this.counts.delete(m.item);
    this.counts.set(item, { item, count: m.count + 1, error: m.count });
  }

  /** @returns the summary so far (a copy). */
  summary(): TopKSummary {
    const entries = [...this.counts.values()].map((e) => ({ ...e }));
    entries.sort(byCount);
    const full = entries.length >= this.capacity;
    const absentBound = full ? (entries[entries.length - 1]?.count ?? 0) : 0;
    return { capacity: this.capacity, total: this.total, absentBound, entries };
  }
}

function byCount(a: TopKEntry, b: TopKEntry): number {
  return b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);
}

/**
 * Merges two summaries: an item's bounds add (an item absent from one side takes that
 * side's `absentBound` as its upper bound and 0 as its lower bound); the `capacity`
 * (the larger of the two) items with the largest upper bound are kept, and the largest
 * dropped upper bound becomes part of `absentBound`. O(k log k).
 * @param a - one summary.
 * @param b - the other.
 * @returns the merged summary (inputs untouched).
 * @example mergeTopK(s1, s2).total // => s1.total + s2.total
 */
export function mergeTopK(a: TopKSummary, b: TopKSummary): TopKSummary {
  const capacity = Math.max(a.capacity, b.capacity);
  const byItem = new Map<string, TopKEntry>();
  for (const e of a.entries) {
    byItem.set(e.item, {
      item: e.item,
      count: e.count + b.absentBound,
      error: e.error + b.absentBound,
    });
  }
  for (const e of b.entries) {
    const hit = byItem.get(e.item);
    if (hit) {
      hit.count += e.count - b.absentBound;
      hit.error += e.error - b.absentBound;
    } else {
      byItem.set(e.item, {
        item: e.item,
        count: e.count + a.absentBound,
        error: e.error + a.absentBound,
      });
    }
  }
  const all = [...byItem.values()].sort(byCount);
  const kept = all.slice(0, capacity);
  let absentBound = a.absentBound + b.absentBound;
  for (let i = capacity; i < all.length; i++)
    absentBound = Math.max(absentBound, (all[i] as TopKEntry).count);
  return { capacity, total: a.total + b.total, absentBound, entries: kept };
}

/**
 * Removes items seen fewer than `k` times (upper bound below k) so rare categories
 * never leave the device; `absentBound` rises to cover them. O(k).
 * @param s - the summary.
 * @param k - the minimum count to keep (≤ 1 keeps all).
 * @returns a new summary.
 * @example suppressRare(s, 5).entries.every((e) => e.count >= 5) // => true
 */
export function suppressRare(s: TopKSummary, k: number): TopKSummary {
  if (k <= 1) return { ...s, entries: s.entries.map((e) => ({ ...e })) };
  let absentBound = s.absentBound;
  const entries: TopKEntry[] = [];
  for (const e of s.entries) {
    if (e.count >= k) entries.push({ ...e });
    else absentBound = Math.max(absentBound, e.count);
  }
  return { ...s, absentBound, entries };
}
