/**
 * Seeded benchmark data: every case and every peer sees the same Float64Arrays,
 * generated from a fixed seed so runs are reproducible across machines.
 */
import { seededUniform } from '../../src/stats/random.js';

/** Standard normal draws by Box–Muller from a seeded uniform. */
function normals(n: number, seed: number): Float64Array {
  const u = seededUniform(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/**
 * Lognormal latencies in ms: median `median`, log-sd `sigma`.
 * @param n - how many values.
 * @param seed - PRNG seed.
 * @param median - the median (default 12 ms).
 * @param sigma - sd of log(x) (default 0.8).
 * @returns the values.
 * @example lognormal(1e6, 1)
 */
export function lognormal(n: number, seed: number, median = 12, sigma = 0.8): Float64Array {
  const z = normals(n, seed);
  for (let i = 0; i < n; i++) z[i] = median * Math.exp(sigma * (z[i] as number));
  return z;
}

/**
 * Pareto latencies in ms (heavy tail): scale `xm`, shape `alpha`.
 * @param n - how many values.
 * @param seed - PRNG seed.
 * @param xm - the minimum (default 1 ms).
 * @param alpha - the tail index (default 1.5: finite mean, infinite variance).
 * @returns the values.
 * @example pareto(1e6, 2)
 */
export function pareto(n: number, seed: number, xm = 1, alpha = 1.5): Float64Array {
  const u = seededUniform(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = xm / Math.pow(1 - u(), 1 / alpha);
  return out;
}

/**
 * Normal feature values (drift cases): mean `mu`, sd `sd`.
 * @param n - how many values.
 * @param seed - PRNG seed.
 * @param mu - mean.
 * @param sd - standard deviation.
 * @returns the values.
 * @example normal(1e5, 3, 0, 1)
 */
export function normal(n: number, seed: number, mu = 0, sd = 1): Float64Array {
  const z = normals(n, seed);
  for (let i = 0; i < n; i++) z[i] = mu + sd * (z[i] as number);
  return z;
}

/** The two latency datasets of cases 1–3. */
export interface LatencyData {
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * The latency datasets: lognormal and Pareto, `n` values each.
 * @param n - size of each.
 * @returns both datasets.
 * @example latencyData(1e6)
 */
export function latencyData(n: number): LatencyData[] {
  return [
    { name: 'lognormal', values: lognormal(n, 0x5eed1) },
    { name: 'pareto', values: pareto(n, 0x5eed2) },
  ];
}
