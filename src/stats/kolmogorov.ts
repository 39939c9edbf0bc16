/**
 * The one-sample Kolmogorov distribution at finite n, P(D_n ≥ d) — what
 * `scipy.stats.kstwo.sf(d, n)` computes and what `ks_2samp` uses for its
 * asymptotic p-value (with n = round(n1·n2 / (n1 + n2))). Branches follow
 * Simard & L'Ecuyer (2011): exact closed forms at the extremes, the
 * Birnbaum–Tingey one-sided sum (doubled) in the tail, the Durbin matrix
 * (Marsaglia–Tsang–Wang) for small n, and the Pelz–Good expansion for large n.
 */
import { logGamma } from './special-functions.js';

/**
 * One-sided Smirnov survival P(D⁺_n ≥ d) (Birnbaum–Tingey sum, exact). O(n) at
 * worst; the sum stops once the falling terms no longer change it.
 *
 * @param n - sample size, a positive integer.
 * @param d - the statistic in [0, 1].
 * @returns the upper-tail probability.
 * @example smirnovSf(10, 0.5) // ≈ 0.00459
 */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const jmax = Math.floor(n * (1 - d) + 1e-12);
  const lnFactN = logGamma(n + 1);
  let sum = 0;
  let prev = 0;
  for (let j = 0; j <= jmax; j++) {
    const a = 1 - d - j / n;
    const b = d + j / n;
    if (a <= 0 && n - j > 0) continue;
    const logTerm =
      lnFactN -
      logGamma(j + 1) -
      logGamma(n - j + 1) +
      (n - j) * Math.log(a) +
      (j - 1) * Math.log(b);
    const term = Math.exp(logTerm);
    sum += term;
    // The terms rise to one peak and then fall (binomial-like); past the peak,
    // once a term no longer moves the sum, neither can the rest (for large n
    // this skips most of the O(n) loop).
    if (term < prev && term < sum * 1e-18) break;
    prev = term;
  }
  return Math.min(1, Math.max(0, d * sum));
}

/**
 * Two-sided one-sample Kolmogorov survival P(D_n ≥ d) at finite n
 * (as `scipy.stats.kstwo.sf`). O(n) in the tail, O(k³ log n) for the matrix branch.
 *
 * @param n - sample size, a positive integer.
 * @param d - the statistic.
 * @returns the p-value in [0, 1]; NaN for a non-positive or non-integer n.
 * @example kolmogorovSf(100, 0.1) // ≈ 0.2637
 */
export function kolmogorovSf(n: number, d: number): number {
  if (!(n > 0) || !Number.isInteger(n) || Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // P(D_n < d) = n!/n^n (2t − 1)^n for 1/(2n) ≤ d ≤ 1/n (Ruben–Gambino).
    const logCdf = logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1);
    return clip(1 - Math.exp(logCdf));
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip(2 * smirnovSf(n, d));
  const nxx = t * d;
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, d));
  if (n <= 140) return clip(1 - durbinCdf(n, d));
  return clip(1 - pelzGoodCdf(n, d));
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** P(D_n < d) by the Durbin matrix (Marsaglia, Tsang & Wang 2003), with exponent tracking. */
function durbinCdf(n: number, d: number): number {
  const k = Math.floor(n * d) + 1;
  const m = 2 * k - 1;
  const h = k - n * d;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  for (let i = 0; i < m; i++) {
    H[i * m] = (H[i * m] as number) - Math.pow(h, i + 1);
    H[(m - 1) * m + i] = (H[(m - 1) * m + i] as number) - Math.pow(h, m - i);
  }
  if (2 * h - 1 > 0) H[(m - 1) * m] = (H[(m - 1) * m] as number) + Math.pow(2 * h - 1, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i - j + 1 > 0) {
        let f = 1;
        for (let g = 1; g <= i - j + 1; g++) f *= g;
        H[i * m + j] = (H[i * m + j] as number) / f;
      }
    }
  }
  const { matrix, exp2 } = matrixPower(H, m, n);
  // P = n!/n^n · Q[k-1][k-1] · 2^exp2, accumulated in logs to avoid overflow.
  const q = matrix[(k - 1) * m + (k - 1)] as number;
  if (q <= 0) return 0;
  const logP = logGamma(n + 1) - n * Math.log(n) + Math.log(q) + exp2 * Math.LN2;
  return Math.exp(logP);
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++)
        c[i * m + j] = (c[i * m + j] as number) + ail * (b[l * m + j] as number);
    }
  }
  return c;
}

function rescale(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] as number));
  if (max === 0 || (max > 1e-140 && max < 1e140)) return 0;
  const e = Math.round(Math.log2(max));
  const s = Math.pow(2, -e);
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * s;
  return e;
}

function matrixPower(
  h: Float64Array,
  m: number,
  n: number,
): { matrix: Float64Array; exp2: number } {
  if (n === 1) return { matrix: h, exp2: 0 };
  const half = matrixPower(h, m, Math.floor(n / 2));
  let v = matMul(half.matrix, half.matrix, m);
  let e = 2 * half.exp2;
  if (n % 2 === 1) v = matMul(h, v, m);
  e += rescale(v);
  return { matrix: v, exp2: e };
}

/** P(D_n ≤ d) by the Pelz–Good (1976) expansion to order n^(-3/2). */
function pelzGoodCdf(n: number, d: number): number {
  const PI2 = Math.PI * Math.PI;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z6 * z2;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const mm = 2 * k - 1;
    const m2 = mm * mm;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qp + (c[i] as number);
  }
  const div = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT2PI) / (div[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const ks2 = k * k;
    const qk = Math.pow(q, ks2);
    const kspi = Math.PI * k;
    k2extra += ks2 * qk;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qk;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / Math.pow(n, i / 2);
  return clip(sum);
}
