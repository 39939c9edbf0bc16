/**
 * Divergences between two binned distributions (counts or shares per bin):
 * PSI, Kullback–Leibler, Jensen–Shannon distance, Hellinger distance and total
 * variation distance. Inputs are normalized to shares. PSI and KL replace empty
 * bins by a small share (Evidently's rule: 1e-4, or min share / 1e6 when the
 * smallest non-zero share is ≤ 1e-4) so they stay finite; JS, Hellinger and TVD
 * need no smoothing. All O(k).
 */

function shares(counts: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  const out = new Float64Array(counts.length);
  if (total > 0) for (let i = 0; i < counts.length; i++) out[i] = (counts[i] as number) / total;
  return out;
}

/** Σ term(r_i, c_i) over the bin shares of two count vectors, in bin order. */
function sumOverShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  term: (r: number, c: number) => number,
): number {
  const p = shares(reference);
  const q = shares(current);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += term(p[i] as number, q[i] as number);
  return s;
}

function fillZeros(p: Float64Array): Float64Array {
  let min = Infinity;
  for (const v of p) if (v > 0 && v < min) min = v;
  const fill = min <= 1e-4 ? min / 1e6 : 1e-4;
  return p.map((v) => (v === 0 ? fill : v));
}

/**
 * Population stability index Σ (r − c) ln(r / c) over shares.
 *
 * @param reference - counts (or shares) per bin in the reference.
 * @param current - counts per bin in the current sample (same bins).
 * @returns PSI ≥ 0.
 * @example psiFromCounts([50, 50], [50, 50]) // => 0
 */
export function psiFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = fillZeros(shares(reference));
  const c = fillZeros(shares(current));
  let s = 0;
  for (let i = 0; i < r.length; i++)
    s += ((r[i] as number) - (c[i] as number)) * Math.log((r[i] as number) / (c[i] as number));
  return s;
}

/**
 * Kullback–Leibler divergence KL(reference ‖ current) in nats, as `scipy.stats.entropy(r, c)`
 * after zero filling.
 *
 * @param reference - counts per bin in the reference.
 * @param current - counts per bin in the current sample.
 * @returns KL ≥ 0.
 * @example klFromCounts([1, 1], [1, 1]) // => 0
 */
export function klFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const r = fillZeros(shares(reference));
  const c = fillZeros(shares(current));
  let rs = 0;
  let cs = 0;
  for (let i = 0; i < r.length; i++) {
    rs += r[i] as number;
    cs += c[i] as number;
  }
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const p = (r[i] as number) / rs;
    const q = (c[i] as number) / cs;
    if (p > 0) s += p * Math.log(p / q);
  }
  return s;
}

/**
 * Jensen–Shannon distance (the square root of the divergence, natural log), as
 * `scipy.spatial.distance.jensenshannon(r, c)`. Bounded by √ln 2.
 *
 * @param reference - counts per bin in the reference.
 * @param current - counts per bin in the current sample.
 * @returns the distance in [0, √ln2].
 * @example jensenShannonFromCounts([1, 0], [0, 1]) // => √ln 2 ≈ 0.8326
 */
export function jensenShannonFromCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  const p = shares(reference);
  const q = shares(current);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] as number;
    const b = q[i] as number;
    const m = (a + b) / 2;
    if (a > 0) s += a * Math.log(a / m);
    if (b > 0) s += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, s / 2));
}

/**
 * Hellinger distance √(Σ (√r − √c)²) / √2, in [0, 1].
 *
 * @param reference - counts per bin in the reference.
 * @param current - counts per bin in the current sample.
 * @returns the distance.
 * @example hellingerFromCounts([1, 0], [0, 1]) // => 1
 */
export function hellingerFromCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  const s = sumOverShares(reference, current, (r, c) => (Math.sqrt(r) - Math.sqrt(c)) ** 2);
  return Math.sqrt(s) / Math.SQRT2;
}

/**
 * Total variation distance ½ Σ |r − c|, in [0, 1].
 *
 * @param reference - counts per bin in the reference.
 * @param current - counts per bin in the current sample.
 * @returns the distance.
 * @example totalVariationFromCounts([3, 1], [1, 3]) // => 0.5
 */
export function totalVariationFromCounts(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  return sumOverShares(reference, current, (r, c) => Math.abs(r - c)) / 2;
}
