/**
 * Fixed-edge binning (for PSI, Jensen–Shannon, chi-square): counts per bin.
 */

/**
 * Counts per bin for non-decreasing `edges` (length k): k + 1 counts, bin 0 is
 * (-inf, edges[0]), bin i is [edges[i-1], edges[i]), bin k is [edges[k-1], +inf).
 * A value's bin is the number of edges ≤ it (binary search, upper bound); NaN lands
 * in bin 0 (callers filter NaN first). Cost O(n log k).
 * @param values - the batch.
 * @param edges - bin edges, validated by the caller.
 * @returns k + 1 counts.
 * @example binCounts(new Float64Array([0, 1, 1.5, 3]), new Float64Array([1, 2])) // => [1, 2, 1]
 */
export function binCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const k = edges.length;
  const counts = new Float64Array(k + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}
