/** Checks of LatencyTracker percentiles against exact quantiles (unit and browser tests). */
import { expect } from 'vitest';

/** Exact quantile with the kernels' rank convention: the floor(q·(n−1))-th smallest (0-based). */
export function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}

/** p50, p95, p99 and p999 are each within `bound` (relative) of the exact quantile of `sorted`. */
export function expectPercentilesWithin(
  p: Record<'p50' | 'p95' | 'p99' | 'p999', number>,
  sorted: readonly number[],
  bound: number,
): void {
  for (const [key, q] of [
    ['p50', 0.5],
    ['p95', 0.95],
    ['p99', 0.99],
    ['p999', 0.999],
  ] as const) {
    const exact = exactQuantile(sorted, q);
    expect(Math.abs(p[key] - exact)).toBeLessThanOrEqual(bound * exact);
  }
}
