/**
 * A small seeded pseudo-random generator (mulberry32) for resampling, so that
 * calibrated thresholds and KSWIN are reproducible given a seed.
 */

/** A uniform generator on [0, 1). */
export type Uniform = () => number;

/**
 * Creates a seeded uniform generator (mulberry32; period 2^32).
 *
 * @param seed - any 32-bit integer.
 * @returns a function returning numbers in [0, 1).
 * @example const u = seededUniform(42); u(); // deterministic
 */
export function seededUniform(seed: number): Uniform {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws `k` distinct indices from [0, n) (partial Fisher–Yates). O(n).
 *
 * @param n - population size.
 * @param k - sample size, ≤ n.
 * @param uniform - the generator.
 * @returns k distinct indices in random order.
 * @example sampleIndices(10, 3, seededUniform(1)).length // => 3
 */
export function sampleIndices(n: number, k: number, uniform: Uniform): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(uniform() * (n - i));
    const t = idx[i] as number;
    idx[i] = idx[j] as number;
    idx[j] = t;
  }
  return idx.subarray(0, k);
}
