/**
 * Two-sample Anderson–Darling test (Scholz & Stephens 1987, midrank version
 * for ties), as `scipy.stats.anderson_ksamp([a, b])`: the standardized
 * statistic, and the p-value interpolated from the published critical values
 * (quadratic fit of log significance), capped to [0.001, 0.25] as scipy does.
 */
import { nextPooled, skipPast } from '../kernel/reference/ecdf-distances.js';

const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/** Result of the two-sample Anderson–Darling test. */
export interface AndersonResult {
  /** Standardized statistic (scipy's `statistic`). */
  statistic: number;
  /** Approximate p-value (scipy's `pvalue`), in [0.001, 0.25]. */
  pValue: number;
}

/**
 * Two-sample Anderson–Darling test on two ascending samples. O(n1 + n2).
 * When every value is equal the unstandardized statistic is 0 (no evidence), p = 0.25.
 *
 * @param a - ascending, NaN-free.
 * @param b - ascending, NaN-free.
 * @returns statistic and capped p-value; NaN for fewer than 4 values in total.
 * @example andersonDarlingSorted(sorted(a), sorted(b)).pValue
 */
export function andersonDarlingSorted(a: Float64Array, b: Float64Array): AndersonResult {
  const n1 = a.length;
  const n2 = b.length;
  const N = n1 + n2;
  if (n1 === 0 || n2 === 0 || N < 4) return { statistic: NaN, pValue: NaN };
  let i = 0;
  let j = 0;
  let below = 0; // values < z in the pooled sample
  let sum1 = 0;
  let sum2 = 0;
  while (i < n1 || j < n2) {
    // the next pooled value z and how many of each sample equal it
    const z = nextPooled(a, i, b, j);
    const f1 = skipPast(a, i, z) - i;
    const f2 = skipPast(b, j, z) - j;
    i += f1;
    j += f2;
    const lj = f1 + f2;
    const Bj = below + lj / 2;
    const denom = Bj * (N - Bj) - (N * lj) / 4;
    if (denom > 0) {
      const M1 = i - f1 / 2;
      const M2 = j - f2 / 2;
      const w = lj / N / denom;
      sum1 += w * (N * M1 - Bj * n1) ** 2;
      sum2 += w * (N * M2 - Bj * n2) ** 2;
    }
    below += lj;
  }
  const A2kN = ((sum1 / n1 + sum2 / n2) * (N - 1)) / N;
  const k = 2;
  const H = 1 / n1 + 1 / n2;
  let cum = 0;
  let g = 0;
  for (let t = N - 1, idx = 0; t >= 2; t--, idx++) {
    cum += 1 / t;
    g += cum / (idx + 2);
  }
  const h = cum + 1;
  const aa = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const bb = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const cc = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const dd = (2 * h + 6) * k * k - 4 * h * k;
  const sigmasq = (aa * N ** 3 + bb * N ** 2 + cc * N + dd) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const A2 = (A2kN - m) / Math.sqrt(sigmasq);
  return { statistic: A2, pValue: andersonPValue(A2, m) };
}

function andersonPValue(A2: number, m: number): number {
  const crit = B0.map(
    (b0, idx) => b0 + (B1[idx] as number) / Math.sqrt(m) + (B2[idx] as number) / m,
  );
  const minC = Math.min(...crit);
  const maxC = Math.max(...crit);
  if (A2 < minC) return 0.25;
  if (A2 > maxC) return 0.001;
  // Least-squares quadratic fit of log(sig) on the critical values (np.polyfit deg 2).
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  crit.forEach((x, idx) => {
    const y = Math.log(SIG[idx] as number);
    for (let p = 0; p <= 4; p++) S[p] = (S[p] as number) + x ** p;
    for (let p = 0; p <= 2; p++) T[p] = (T[p] as number) + y * x ** p;
  });
  const [c0, c1, c2] = solve3(
    [
      [S[0] as number, S[1] as number, S[2] as number],
      [S[1] as number, S[2] as number, S[3] as number],
      [S[2] as number, S[3] as number, S[4] as number],
    ],
    T as [number, number, number],
  );
  return Math.exp(c0 + c1 * A2 + c2 * A2 * A2);
}

function solve3(M: number[][], v: [number, number, number]): [number, number, number] {
  const A = M.map((row, r) => [...row, v[r] as number]);
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 4; k++) A[r]![k] = A[r]![k]! - f * A[c]![k]!;
    }
  }
  return [A[0]![3]! / A[0]![0]!, A[1]![3]! / A[1]![1]!, A[2]![3]! / A[2]![2]!];
}
