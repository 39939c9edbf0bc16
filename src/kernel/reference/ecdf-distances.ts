/**
 * Distances between the empirical CDFs of two sorted samples, by one merge walk
 * over the pooled values (O(n + m)).
 */

/**
 * The merge walk's next pooled value: the smaller of the two samples' next
 * values (either sample may be exhausted, not both).
 * @param a - ascending.
 * @param i - next index into `a`.
 * @param b - ascending.
 * @param j - next index into `b`.
 * @returns the smallest value at or after `a[i]`, `b[j]`.
 * @example nextPooled(new Float64Array([1, 3]), 1, new Float64Array([2]), 0) // => 2
 */
export function nextPooled(a: Float64Array, i: number, b: Float64Array, j: number): number {
  return i < a.length && (j >= b.length || (a[i] as number) <= (b[j] as number))
    ? (a[i] as number)
    : (b[j] as number);
}

/**
 * Advances an index of an ascending sample past every value <= `v` (the ECDF
 * steps past all tied values at once).
 * @param x - ascending.
 * @param k - current index.
 * @param v - the pooled value just reached.
 * @returns the first index whose value is > `v` (or `x.length`).
 * @example skipPast(new Float64Array([1, 1, 2]), 0, 1) // => 2
 */
export function skipPast(x: Float64Array, k: number, v: number): number {
  let at = k;
  while (at < x.length && (x[at] as number) <= v) at++;
  return at;
}

/**
 * Two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b|, evaluated at every pooled
 * value with right-continuous ECDFs (ties included). Computed exactly: the largest
 * |i·m − j·n| over the walk is an integer, and D = (that / g) / lcm(n, m) with
 * g = gcd(n, m) is rounded once. This is bit-identical to scipy.stats.ks_2samp's
 * statistic in its exact mode (which rounds d·lcm to an integer) and within 1 ulp of
 * its asymptotic mode; exact while n·m ≤ 2^53.
 * @param a - ascending, NaN-free.
 * @param b - ascending, NaN-free.
 * @returns D in [0, 1]; NaN when either sample is empty.
 * @example ksStatisticSorted(new Float64Array([1, 2]), new Float64Array([3, 4])) // => 1
 */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let most = 0;
  while (i < n || j < m) {
    // the next pooled value; advance both samples past everything <= it
    const v = nextPooled(a, i, b, j);
    i = skipPast(a, i, v);
    j = skipPast(b, j, v);
    const diff = Math.abs(i * m - j * n);
    if (diff > most) most = diff;
  }
  const g = gcd(n, m);
  return most / g / ((n / g) * m);
}

/** Greatest common divisor of two positive integers. */
function gcd(x: number, y: number): number {
  let p = x;
  let q = y;
  while (q !== 0) {
    const r = p % q;
    p = q;
    q = r;
  }
  return p;
}

/**
 * Wasserstein-1 distance ∫|F_a − F_b| dx of two sorted samples (scipy.stats.wasserstein_distance
 * with unit weights), summed with Neumaier compensation.
 * @param a - ascending, NaN-free, finite.
 * @param b - ascending, NaN-free, finite.
 * @returns the distance ≥ 0; NaN when either sample is empty.
 * @example wasserstein1Sorted(new Float64Array([0, 1]), new Float64Array([1, 2])) // => 1
 */
export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  return ecdfPowerIntegral(a, b, 1);
}

/**
 * ∫ |F_a − F_b|^p dx over the pooled values of two sorted samples, summed with
 * Neumaier compensation: for p = 1 the Wasserstein-1 distance, for p = 2 the
 * square of the Cramér (L2) distance behind scipy's energy distance.
 * @param a - ascending, NaN-free, finite.
 * @param b - ascending, NaN-free, finite.
 * @param p - 1 or 2.
 * @returns the integral ≥ 0; NaN when either sample is empty.
 * @example ecdfPowerIntegral(new Float64Array([0]), new Float64Array([2]), 2) // => 2
 */
export function ecdfPowerIntegral(a: Float64Array, b: Float64Array, p: 1 | 2): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let sum = 0;
  let comp = 0;
  let prev = NaN;
  let prevDiff = 0;
  while (i < n || j < m) {
    const v = nextPooled(a, i, b, j);
    if (i + j > 0) {
      const term = (p === 1 ? prevDiff : prevDiff * prevDiff) * (v - prev);
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
    }
    i = skipPast(a, i, v);
    j = skipPast(b, j, v);
    prev = v;
    prevDiff = Math.abs(i / n - j / m);
  }
  return sum + comp;
}
