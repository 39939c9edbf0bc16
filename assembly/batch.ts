// Batch kernels over f64 arrays in kernel memory (mirrors of src/kernel/reference/*):
// fixed-edge binning, corrected two-pass moments, ECDF distances (sorting is in sort.ts).

// @ts-ignore: decorator
@inline
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

/** out[0..k] = counts per bin; bin = number of edges <= value (upper bound). */
export function binCountsImpl(values: usize, n: i32, edges: usize, k: i32, out: usize): void {
  memory.fill(out, 0, (<usize>(k + 1)) << 3);
  for (let i: i32 = 0; i < n; i++) {
    const v = f64At(values, i);
    let lo: i32 = 0;
    let hi: i32 = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f64At(edges, mid) <= v) lo = mid + 1;
      else hi = mid;
    }
    const p = out + ((<usize>lo) << 3);
    store<f64>(p, load<f64>(p) + 1);
  }
}

/** Writes count, mean, variance, min, max, sum to out (corrected two-pass). */
export function momentsImpl(p: usize, n: i32, out: usize): void {
  let sum: f64 = 0;
  let mn: f64 = Infinity;
  let mx: f64 = -Infinity;
  for (let i: i32 = 0; i < n; i++) {
    const x = f64At(p, i);
    sum += x;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
  }
  let mean: f64 = NaN;
  let variance: f64 = NaN;
  if (n > 0) {
    const nf = <f64>n;
    const mean0 = sum / nf;
    let s1: f64 = 0;
    let s2: f64 = 0;
    for (let i: i32 = 0; i < n; i++) {
      const d = f64At(p, i) - mean0;
      s1 += d;
      s2 += d * d;
    }
    mean = mean0 + s1 / nf;
    variance = (s2 - (s1 * s1) / nf) / nf;
    if (variance < 0) variance = 0;
  }
  store<f64>(out, <f64>n);
  store<f64>(out + 8, mean);
  store<f64>(out + 16, variance);
  store<f64>(out + 24, mn);
  store<f64>(out + 32, mx);
  store<f64>(out + 40, sum);
}

/** First index in [from, n] of sorted `a` whose value is > v (`above`) or >= v (else): galloping search. */
function gallop(a: usize, n: i32, from: i32, v: f64, above: bool): i32 {
  let lo = from;
  let hi = from;
  let step: i32 = 1;
  while (hi < n) {
    const x = f64At(a, hi);
    if (above ? x > v : x >= v) break;
    lo = hi + 1;
    hi = n - hi > step ? hi + step : n;
    step <<= 1;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = f64At(a, mid);
    if (above ? x > v : x >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * max |i m - j n| over the merged samples (i of the n values of `a`, j of the m of `b`, at
 * or below each value), visiting only the distinct values of `b`: between two of them j
 * is constant and i rises, so the largest gap is at one end, just below a value of b
 * (i = #a < v, j = #b < v) or at it (i = #a <= v, j = #b <= v).
 */
function ksMostGap(a: usize, n: i32, b: usize, m: i32): f64 {
  const nf = <f64>n;
  const mf = <f64>m;
  let most: f64 = 0;
  let i: i32 = 0;
  let j: i32 = 0;
  while (j < m) {
    const v = f64At(b, j);
    let next = j + 1;
    while (next < m && f64At(b, next) <= v) next++;
    const below = gallop(a, n, i, v, false);
    const upTo = gallop(a, n, below, v, true);
    const d1 = Math.abs(<f64>below * mf - <f64>j * nf);
    const d2 = Math.abs(<f64>upTo * mf - <f64>next * nf);
    if (d1 > most) most = d1;
    if (d2 > most) most = d2;
    i = upTo;
    j = next;
  }
  return most;
}

/** KS statistic of two sorted samples, exact rational rounded once (scipy ks_2samp exact mode). */
export function ksImpl(a: usize, n: i32, b: usize, m: i32): f64 {
  if (n == 0 || m == 0) return NaN;
  // the exact integer max |i m - j n| (symmetric: walk the distinct values of the shorter one)
  const most = m <= n ? ksMostGap(a, n, b, m) : ksMostGap(b, m, a, n);
  // then one rounding: (most / g) / lcm
  const nf = <f64>n;
  const mf = <f64>m;
  let p = n;
  let q = m;
  while (q != 0) {
    const r = p % q;
    p = q;
    q = r;
  }
  const g = <f64>p;
  return most / g / ((nf / g) * mf);
}

/** Wasserstein-1 distance of two sorted samples, Neumaier-compensated sum. */
export function w1Impl(a: usize, n: i32, b: usize, m: i32): f64 {
  if (n == 0 || m == 0) return NaN;
  let i: i32 = 0;
  let j: i32 = 0;
  let sum: f64 = 0;
  let comp: f64 = 0;
  let prev: f64 = NaN;
  let prevDiff: f64 = 0;
  const nf = <f64>n;
  const mf = <f64>m;
  while (i < n || j < m) {
    const v = i < n && (j >= m || f64At(a, i) <= f64At(b, j)) ? f64At(a, i) : f64At(b, j);
    if (i + j > 0) {
      const term = prevDiff * (v - prev);
      const t = sum + term;
      comp += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
    }
    while (i < n && f64At(a, i) <= v) i++;
    while (j < m && f64At(b, j) <= v) j++;
    prev = v;
    prevDiff = Math.abs(<f64>i / nf - <f64>j / mf);
  }
  return sum + comp;
}
