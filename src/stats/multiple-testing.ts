/**
 * Multiple-testing corrections for a table of per-feature p-values.
 */

/**
 * Which hypotheses are rejected at family level `alpha`: Bonferroni
 * (p ≤ alpha / m) or Benjamini–Hochberg FDR (largest k with p₍ₖ₎ ≤ k·alpha / m). O(m log m).
 *
 * @param pValues - one p-value per feature (NaN never rejects).
 * @param alpha - family-wise level or false discovery rate, in (0, 1).
 * @param method - `'bonferroni'` or `'fdr'`.
 * @returns a boolean per input, true = rejected (drift).
 * @example rejectHypotheses([0.01, 0.04, 0.5], 0.05, 'fdr') // => [true, false, false]
 */
export function rejectHypotheses(
  pValues: readonly number[],
  alpha: number,
  method: 'bonferroni' | 'fdr',
): boolean[] {
  const m = pValues.length;
  if (method === 'bonferroni') return pValues.map((p) => p <= alpha / m);
  const order = pValues
    .map((p, i) => ({ p: Number.isNaN(p) ? Infinity : p, i }))
    .sort((x, y) => x.p - y.p);
  let cut = -1;
  order.forEach((o, rank) => {
    if (o.p <= ((rank + 1) * alpha) / m) cut = rank;
  });
  const out = new Array<boolean>(m).fill(false);
  for (let r = 0; r <= cut; r++) out[order[r]!.i] = true;
  return out;
}
