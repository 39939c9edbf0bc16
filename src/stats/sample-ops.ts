/**
 * The O(n) primitives the statistics need, as a structural subset of the
 * engine's `Kernel`: the engine passes its (WASM or reference) kernel, the
 * plain exported functions pass {@link tsSampleOps}. So each statistic is
 * written once and runs on either.
 */
import { ksStatisticSorted, wasserstein1Sorted } from './ecdf-distances.js';

/** Count, mean, population variance, min, max and sum of a batch. */
export interface SampleMoments {
  count: number;
  mean: number;
  /** Population variance (divide by n). */
  variance: number;
  min: number;
  max: number;
  sum: number;
}

/** The primitives (a subset of `Kernel`). Inputs are NaN-free; outputs are fresh arrays. */
export interface SampleOps {
  sortF64(values: Float64Array): Float64Array;
  moments(values: Float64Array): SampleMoments;
  binCounts(values: Float64Array, edges: Float64Array): Float64Array;
  ksStatisticSorted(a: Float64Array, b: Float64Array): number;
  wasserstein1Sorted(a: Float64Array, b: Float64Array): number;
}

/**
 * Count, mean, population variance (Welford), min, max, sum. O(n).
 *
 * @param values - NaN-free values.
 * @returns the moments; mean/variance NaN and min/max ±Infinity when empty.
 * @example momentsOf(new Float64Array([1, 2, 3])).variance // => 2/3
 */
export function momentsOf(values: Float64Array): SampleMoments {
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const n = values.length;
  return { count: n, mean: n ? mean : NaN, variance: n ? m2 / n : NaN, min, max, sum };
}

/**
 * Counts per bin for ascending edges (k edges → k + 1 bins, the outer ones open). O(n log k).
 *
 * @param values - NaN-free values.
 * @param edges - ascending edges.
 * @returns k + 1 counts.
 * @example binCountsOf(new Float64Array([0, 1, 2]), new Float64Array([1])) // => [1, 2]
 */
export function binCountsOf(values: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}

/** Pure-TypeScript primitives, used by the plain exported functions. */
export const tsSampleOps: SampleOps = {
  sortF64: (values) => Float64Array.from(values).sort(),
  moments: momentsOf,
  binCounts: binCountsOf,
  ksStatisticSorted,
  wasserstein1Sorted,
};
