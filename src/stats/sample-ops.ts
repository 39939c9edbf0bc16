/**
 * The O(n) primitives the statistics need, as a structural subset of the
 * engine's `Kernel`: the engine passes its (WASM or reference) kernel, the
 * plain exported functions pass {@link tsSampleOps} — the reference kernel's
 * own functions, so each primitive is written once and every path runs either
 * the WASM kernel or its TypeScript twin.
 */
import type { Moments } from '../kernel/kernel.js';
import { binCounts } from '../kernel/reference/binning.js';
import { ksStatisticSorted, wasserstein1Sorted } from '../kernel/reference/ecdf-distances.js';
import { moments } from '../kernel/reference/moments.js';
import { sortF64 } from '../kernel/reference/radix-sort.js';

/** Count, mean, population variance, min, max and sum of a batch (the kernel's `Moments`). */
export type SampleMoments = Moments;

/** The primitives (a subset of `Kernel`). Inputs are NaN-free; outputs are fresh arrays. */
export interface SampleOps {
  sortF64(values: Float64Array): Float64Array;
  moments(values: Float64Array): SampleMoments;
  binCounts(values: Float64Array, edges: Float64Array): Float64Array;
  ksStatisticSorted(a: Float64Array, b: Float64Array): number;
  wasserstein1Sorted(a: Float64Array, b: Float64Array): number;
}

/**
 * Count, mean, population variance, min, max, sum (the reference kernel's
 * corrected two-pass moments). O(n).
 *
 * @param values - NaN-free values.
 * @returns the moments; mean/variance NaN and min/max ±Infinity when empty.
 * @example momentsOf(new Float64Array([1, 2, 3])).variance // => 2/3
 */
export const momentsOf: (values: Float64Array) => SampleMoments = moments;

/**
 * Counts per bin for ascending edges (k edges → k + 1 bins, the outer ones open;
 * the reference kernel's binning). O(n log k).
 *
 * @param values - NaN-free values.
 * @param edges - ascending edges.
 * @returns k + 1 counts.
 * @example binCountsOf(new Float64Array([0, 1, 2]), new Float64Array([1])) // => [1, 2]
 */
export const binCountsOf: (values: Float64Array, edges: Float64Array) => Float64Array = binCounts;

/** Pure-TypeScript primitives (the reference kernel's), used by the plain exported functions. */
export const tsSampleOps: SampleOps = {
  sortF64: (values) => sortF64(values),
  moments,
  binCounts,
  ksStatisticSorted,
  wasserstein1Sorted,
};
