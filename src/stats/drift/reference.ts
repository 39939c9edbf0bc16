/**
 * Reference summaries, computed once per feature and reused by every check:
 * the sorted sample and its moments (numeric), quantile bin edges with their
 * counts per `bins` (cached), and category counts.
 */
import type { SampleMoments, SampleOps } from '../sample-ops.js';
import type { Column } from './column.js';

/** Summary of a numeric reference. */
export interface NumericReference {
  kind: 'numeric';
  feature: string;
  sorted: Float64Array;
  moments: SampleMoments;
  missing: number;
  unique: number;
  /** Quantile edges and reference counts per bin count (filled lazily). */
  binned: Map<number, { edges: Float64Array; counts: Float64Array }>;
  /** Counts per distinct value, for categorical methods on numeric data (filled lazily). */
  categories?: Map<string, number>;
}

/** Summary of a categorical reference. */
export interface CategoricalReference {
  kind: 'categorical';
  feature: string;
  counts: Map<string, number>;
  size: number;
  missing: number;
  unique: number;
}

/** Either summary. */
export type FeatureReference = NumericReference | CategoricalReference;

/**
 * Builds the summary of a normalized column. O(n log n) numeric (one sort), O(n) categorical.
 *
 * @param column - the normalized column.
 * @param feature - the feature's name.
 * @param ops - kernel primitives.
 * @returns the summary.
 * @example prepareReference(normalizeColumn(values, 'x', false), 'x', tsSampleOps)
 */
export function prepareReference(
  column: Column,
  feature: string,
  ops: SampleOps,
): FeatureReference {
  if (column.kind === 'categorical') {
    const counts = countStrings(column.values);
    return {
      kind: 'categorical',
      feature,
      counts,
      size: column.values.length,
      missing: column.missing,
      unique: counts.size,
    };
  }
  const sorted = ops.sortF64(column.values);
  return {
    kind: 'numeric',
    feature,
    sorted,
    moments: ops.moments(sorted),
    missing: column.missing,
    unique: countUniqueSorted(sorted),
    binned: new Map(),
  };
}

/** Number of non-missing reference values. */
export function referenceSize(ref: FeatureReference): number {
  return ref.kind === 'numeric' ? ref.sorted.length : ref.size;
}

/**
 * Counts per category.
 *
 * @param values - category labels.
 * @returns label → count.
 * @example countStrings(['a', 'b', 'a']).get('a') // => 2
 */
export function countStrings(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/**
 * Counts per distinct value of an ascending sample, keyed by `String(value)`. O(n).
 *
 * @param sorted - ascending values.
 * @returns label → count.
 * @example countSortedValues(new Float64Array([1, 1, 2])).get('1') // => 2
 */
export function countSortedValues(sorted: Float64Array): Map<string, number> {
  const counts = new Map<string, number>();
  let i = 0;
  while (i < sorted.length) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + (j - i));
    i = j;
  }
  return counts;
}

function countUniqueSorted(sorted: Float64Array): number {
  let u = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) u++;
  return u;
}

/**
 * Quantile bin edges of an ascending reference: the values at ranks ⌊i·n/bins⌋
 * for i = 1..bins−1, de-duplicated, so each bin holds ~n/bins reference values
 * (fewer bins when the data has fewer distinct values). The outer bins are open,
 * so current values outside the reference range are kept. O(bins).
 *
 * @param sorted - ascending reference.
 * @param bins - number of bins (≥ 2).
 * @returns ascending, distinct edges (length ≤ bins − 1).
 * @example quantileEdges(new Float64Array([1, 2, 3, 4]), 2) // => [3]
 */
export function quantileEdges(sorted: Float64Array, bins: number): Float64Array {
  const n = sorted.length;
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const v = sorted[Math.min(n - 1, Math.floor((i * n) / bins))] as number;
    if (
      v > (sorted[0] as number) &&
      (edges.length === 0 || v > (edges[edges.length - 1] as number))
    )
      edges.push(v);
  }
  return Float64Array.from(edges);
}

/**
 * Edges and reference counts for a bin count (cached on the reference).
 *
 * @param ref - numeric reference.
 * @param bins - number of bins.
 * @param ops - kernel primitives.
 * @returns edges and counts per bin.
 * @example binnedReference(ref, 10, ops).counts.length // ≤ 10
 */
export function binnedReference(
  ref: NumericReference,
  bins: number,
  ops: SampleOps,
): { edges: Float64Array; counts: Float64Array } {
  let b = ref.binned.get(bins);
  if (!b) {
    const edges = quantileEdges(ref.sorted, bins);
    b = { edges, counts: ops.binCounts(ref.sorted, edges) };
    ref.binned.set(bins, b);
  }
  return b;
}

/**
 * Category counts of a reference (numeric values taken as categories when needed).
 *
 * @param ref - the reference.
 * @returns label → count.
 * @example referenceCategories(ref).size
 */
export function referenceCategories(ref: FeatureReference): Map<string, number> {
  if (ref.kind === 'categorical') return ref.counts;
  ref.categories ??= countSortedValues(ref.sorted);
  return ref.categories;
}
