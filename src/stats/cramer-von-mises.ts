/**
 * Two-sample Cramér–von Mises test, as
 * `scipy.stats.cramervonmises_2samp(a, b, method='asymptotic')`: the statistic
 * T from average ranks (ties included) and the p-value from the limiting
 * distribution after the mean/variance standardization of Anderson (1962);
 * like scipy's `method='auto'`, the exact permutation distribution is used
 * when both samples have at most 20 values.
 */
import { nextPooled, skipPast } from '../kernel/reference/ecdf-distances.js';
import { logGamma } from './special-functions.js';

/** Result of the two-sample Cramér–von Mises test. */
export interface CramerVonMisesResult {
  statistic: number;
  pValue: number;
}

/** Largest per-sample size for which `'auto'` uses the exact distribution (scipy's rule). */
export const CVM_EXACT_MAX_N = 20;

/**
 * Cramér–von Mises two-sample test on two ascending samples. O(n1 + n2) asymptotic;
 * exact (both sizes ≤ 20) enumerates U over all arrangements by dynamic programming.
 *
 * @param a - ascending, NaN-free, non-empty.
 * @param b - ascending, NaN-free, non-empty.
 * @param method - `'auto'` (default: exact when both sizes ≤ 20), `'exact'` or `'asymptotic'`.
 * @returns statistic T and p-value (NaN when a sample is empty).
 * @example cramerVonMisesSorted(sorted(a), sorted(b)).pValue
 */
export function cramerVonMisesSorted(
  a: Float64Array,
  b: Float64Array,
  method: 'auto' | 'exact' | 'asymptotic' = 'auto',
): CramerVonMisesResult {
  const nx = a.length;
  const ny = b.length;
  if (nx === 0 || ny === 0) return { statistic: NaN, pValue: NaN };
  let i = 0;
  let j = 0;
  let pos = 0;
  let sx = 0;
  let sy = 0;
  while (i < nx || j < ny) {
    const z = nextPooled(a, i, b, j);
    const i0 = i;
    const j0 = j;
    i = skipPast(a, i, z);
    j = skipPast(b, j, z);
    const size = i - i0 + (j - j0);
    const rank = pos + (size + 1) / 2;
    for (let t = i0; t < i; t++) sx += (rank - (t + 1)) ** 2;
    for (let t = j0; t < j; t++) sy += (rank - (t + 1)) ** 2;
    pos += size;
  }
  const u = nx * sx + ny * sy;
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  const exact = method === 'exact' || (method === 'auto' && Math.max(nx, ny) <= CVM_EXACT_MAX_N);
  if (exact) return { statistic: t, pValue: cvmExactPValue(nx, ny, u) };
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  const p = tn < 0.003 ? 1 : Math.max(0, 1 - cvmLimitCdf(tn));
  return { statistic: t, pValue: p };
}

/**
 * Exact P(U ≥ u) under the null for sample sizes nx, ny (no ties): every
 * arrangement of the pooled ranks is equally likely; placing the (i+1)-th x
 * after j y's adds nx·j², placing the (j+1)-th y after i x's adds ny·i².
 * O(nx · ny · distinct U values); meant for sizes ≤ 20.
 *
 * @param nx - size of the first sample.
 * @param ny - size of the second sample.
 * @param u - the observed U = nx Σ(r_i − i)² + ny Σ(s_j − j)².
 * @returns the p-value.
 * @example cvmExactPValue(3, 3, 36) // ≈ 0.1 (most extreme arrangements)
 */
export function cvmExactPValue(nx: number, ny: number, u: number): number {
  // row[j] = distribution of U over paths reaching (i, j): value -> count.
  let row: Map<number, number>[] = Array.from({ length: ny + 1 }, () => new Map<number, number>());
  row[0]!.set(0, 1);
  for (let j = 1; j <= ny; j++) for (const [v, c] of row[j - 1]!) addTo(row[j]!, v, c); // i = 0: adding y contributes 0
  for (let i = 1; i <= nx; i++) {
    const next: Map<number, number>[] = Array.from(
      { length: ny + 1 },
      () => new Map<number, number>(),
    );
    for (let j = 0; j <= ny; j++) {
      const m = next[j]!;
      const addX = nx * j * j;
      for (const [v, c] of row[j]!) addTo(m, v + addX, c);
      if (j > 0) {
        const addY = ny * i * i;
        for (const [v, c] of next[j - 1]!) addTo(m, v + addY, c);
      }
    }
    row = next;
  }
  let total = 0;
  let tail = 0;
  const tol = 1e-9 * Math.max(1, Math.abs(u));
  for (const [v, c] of row[ny]!) {
    total += c;
    if (v >= u - tol) tail += c;
  }
  return tail / total;
}

function addTo(m: Map<number, number>, v: number, c: number): void {
  m.set(v, (m.get(v) ?? 0) + c);
}

/** CDF of the limiting Cramér–von Mises distribution (Csörgő & Faraway 1996 series). */
export function cvmLimitCdf(x: number): number {
  if (!(x > 0)) return 0;
  let total = 0;
  for (let k = 0; k < 1000; k++) {
    const u = Math.exp(logGamma(k + 0.5) - logGamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) break;
  }
  return total;
}

/**
 * Modified Bessel function of the second kind K_ν(q) for q > 0, by the
 * trapezoid rule on ∫₀^∞ exp(−q cosh t) cosh(νt) dt (spectrally accurate for
 * this doubly-exponentially decaying integrand).
 */
export function besselK(nu: number, q: number): number {
  if (!(q > 0)) return Infinity;
  const tMax = Math.acosh(Math.max(1, 750 / q)) + 1;
  const step = Math.min(0.05, tMax / 200);
  let sum = 0.5 * Math.exp(-q);
  for (let t = step; t <= tMax; t += step) sum += Math.exp(-q * Math.cosh(t)) * Math.cosh(nu * t);
  return sum * step;
}
