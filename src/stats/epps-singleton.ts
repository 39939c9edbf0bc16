/**
 * Two-sample Epps–Singleton test (Epps & Singleton 1986), as
 * `scipy.stats.epps_singleton_2samp(x, y, t=(0.4, 0.8))`: the empirical
 * characteristic functions of both samples at t / σ (σ = half the pooled
 * interquartile range, numpy's linear percentiles) are compared by a
 * quadratic form with the pseudo-inverse of their estimated covariance; the
 * statistic is chi-square with as many degrees of freedom as that
 * covariance's rank, after the small-sample correction when both samples
 * have fewer than 25 values. Evidently's `es` stattest.
 */
import { chiSquareSf } from './distributions.js';

/** Result of the Epps–Singleton test. */
export interface EppsSingletonResult {
  statistic: number;
  pValue: number;
}

const T = [0.4, 0.8];

/** numpy's default (linear) percentile of an ascending array. */
function linearPercentile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Mean vector and population covariance (divide by n) of the characteristic-function features. */
function cfMoments(
  x: ArrayLike<number>,
  ts: readonly number[],
): { mean: number[]; cov: number[][] } {
  const k = 2 * ts.length;
  const n = x.length;
  const rows: number[][] = [];
  const mean = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    const g = [...ts.map((t) => Math.cos(t * v)), ...ts.map((t) => Math.sin(t * v))];
    rows.push(g);
    for (let j = 0; j < k; j++) mean[j] = (mean[j] as number) + (g[j] as number) / n;
  }
  const cov = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const g of rows) {
    for (let a = 0; a < k; a++) {
      const da = (g[a] as number) - (mean[a] as number);
      for (let b = 0; b < k; b++) {
        (cov[a] as number[])[b] =
          ((cov[a] as number[])[b] as number) + (da * ((g[b] as number) - (mean[b] as number))) / n;
      }
    }
  }
  return { mean, cov };
}

/** Eigenvalues and eigenvectors (columns) of a small symmetric matrix by cyclic Jacobi rotations. */
function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const k = m.length;
  const a = m.map((r) => [...r]);
  const v: number[][] = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += (a[p]![q] as number) ** 2;
    if (off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p]![q] as number;
        if (apq === 0) continue;
        const theta = ((a[q]![q] as number) - (a[p]![p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r]![p] as number;
          const arq = a[r]![q] as number;
          a[r]![p] = c * arp - s * arq;
          a[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p]![r] as number;
          const aqr = a[q]![r] as number;
          a[p]![r] = c * apr - s * aqr;
          a[q]![r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r]![p] as number;
          const vrq = v[r]![q] as number;
          v[r]![p] = c * vrp - s * vrq;
          v[r]![q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i] as number), vectors: v };
}

/**
 * Epps–Singleton two-sample test. O(n1 + n2) plus the sort of the pooled sample.
 *
 * @param a - first sample, ascending, NaN-free, at least 5 values.
 * @param b - second sample, ascending, NaN-free, at least 5 values.
 * @returns statistic W and its chi-square p-value; NaN for fewer than 5 values in a
 *   sample or a zero pooled interquartile range (the callers turn those into errors).
 * @example eppsSingletonSorted(sortedA, sortedB).pValue
 */
export function eppsSingletonSorted(a: Float64Array, b: Float64Array): EppsSingletonResult {
  const nx = a.length;
  const ny = b.length;
  if (nx < 5 || ny < 5) return { statistic: NaN, pValue: NaN };
  const pooled = [...a, ...b].sort((x, y) => x - y);
  const iqr = linearPercentile(pooled, 0.75) - linearPercentile(pooled, 0.25);
  if (!(iqr > 0)) return { statistic: NaN, pValue: NaN };
  const sigma = iqr / 2;
  const ts = T.map((t) => t / sigma);
  const gx = cfMoments(a, ts);
  const gy = cfMoments(b, ts);
  const n = nx + ny;
  const k = 2 * ts.length;
  const cov = gx.cov.map((row, i) =>
    row.map((v, j) => (n / nx) * v + (n / ny) * ((gy.cov[i] as number[])[j] as number)),
  );
  // numpy.linalg.pinv (rcond 1e-15 of the largest singular value); rank of what is kept.
  const { values, vectors } = symmetricEigen(cov);
  const largest = Math.max(...values.map(Math.abs));
  const diff = gx.mean.map((m, i) => m - (gy.mean[i] as number));
  let w = 0;
  let rank = 0;
  for (let e = 0; e < k; e++) {
    const lambda = values[e] as number;
    if (!(Math.abs(lambda) > 1e-15 * largest)) continue;
    rank++;
    let proj = 0;
    for (let i = 0; i < k; i++) proj += (vectors[i]![e] as number) * (diff[i] as number);
    w += (proj * proj) / lambda;
  }
  w *= n;
  if (Math.max(nx, ny) < 25) {
    w *= 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
  }
  return { statistic: w, pValue: chiSquareSf(w, rank) };
}
