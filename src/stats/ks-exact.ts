/**
 * Exact null distribution of the two-sample Kolmogorov–Smirnov statistic
 * (two-sided), as `scipy.stats.ks_2samp(method='exact')`: the share of
 * monotone lattice paths from (0,0) to (n1,n2) that touch the band
 * |i/n1 − j/n2| ≥ d. Probabilities are propagated (not counts), and the
 * "outside" mass is carried directly so small p-values keep full precision.
 */

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Largest n1·n2/g² for which scipy (and this module) still attempts the exact method. */
export const KS_EXACT_MAX_PRODUCT = 2147483647;

/**
 * Exact two-sided p-value P(D ≥ d) of the two-sample KS statistic.
 * O(n) for equal sizes, O(n1 · band) otherwise.
 *
 * @param n1 - size of the first sample (positive integer).
 * @param n2 - size of the second sample (positive integer).
 * @param d - the observed statistic.
 * @returns the p-value in [0, 1], or NaN when the product of the reduced
 *   sizes is too large for the exact method (callers fall back to the asymptotic one).
 * @example ksExactPValue(5, 5, 0.6) // ≈ 0.3571
 */
export function ksExactPValue(n1: number, n2: number, d: number): number {
  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  if (n1g >= KS_EXACT_MAX_PRODUCT / n2g) return NaN;
  const lcm = n1g * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * The statistic snapped to the lattice of attainable values, h / lcm(n1, n2),
 * as scipy reports it when it uses the exact method (removes float noise such
 * as 0.08000000000000002).
 *
 * @param n1 - size of the first sample.
 * @param n2 - size of the second sample.
 * @param d - the statistic.
 * @returns round(d · lcm) / lcm.
 * @example ksSnapStatistic(10, 20, 0.30000000000000004) // => 0.3
 */
export function ksSnapStatistic(n1: number, n2: number, d: number): number {
  const lcm = (n1 / gcd(n1, n2)) * n2;
  return Math.round(d * lcm) / lcm;
}

/** Equal sizes: 2 Σ_{j≥1} (−1)^{j+1} C(2n, n − jh) / C(2n, n), evaluated innermost-first. */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Unequal sizes. Q(i, j) = share of paths to (i, j) that have touched the
 * boundary; Q = 1 outside the band, else Q(i,j) = (i·Q(i−1,j) + j·Q(i,j−1)) / (i+j).
 */
function outsideBand(n1: number, n2: number, g: number, h: number): number {
  let m = n1;
  let n = n2;
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  // (i, j) is inside iff |i·ng − j·mg| < h.
  const col = new Float64Array(n + 1);
  // Column i = 0: inside iff j·mg < h.
  let prevLo = 0;
  let prevHi = -1;
  for (let j = 0; j <= n; j++) {
    if (j * mg < h) {
      col[j] = 0;
      prevHi = j;
    } else col[j] = 1;
  }
  for (let i = 1; i <= m; i++) {
    const lo = Math.max(0, Math.floor((i * ng - h) / mg) + 1);
    const hi = Math.min(n, Math.ceil((i * ng + h) / mg) - 1);
    for (let j = lo; j <= hi; j++) {
      const left = j >= prevLo && j <= prevHi ? (col[j] as number) : 1;
      const down = j === 0 ? 0 : j - 1 >= lo ? (col[j - 1] as number) : 1;
      col[j] = (i * left + j * down) / (i + j);
    }
    prevLo = lo;
    prevHi = hi;
    if (i === m) return n >= lo && n <= hi ? (col[n] as number) : 1;
  }
  return 1;
}
