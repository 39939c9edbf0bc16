/**
 * The one seeded random generator of the code base: a port of CPython's
 * `random.Random` (MT19937 seeded by `init_by_array`, `random()`,
 * `getrandbits`, `randint`, `sample`, `choices`). Given the same integer
 * seed it returns the same draws as Python, so detectors that sample (KSWIN)
 * reproduce River's results, and resampling (calibrated thresholds) is
 * reproducible. Not for cryptography.
 */
import { ConfigError, describeValue } from '../errors.js';

/** A uniform generator on [0, 1). */
export type Uniform = () => number;

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Splits a non-negative integer into 32-bit words, least significant first (CPython's seed key). */
function seedKey(seed: number | bigint): number[] {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new ConfigError(`seed: expected a safe integer or a bigint, got ${describeValue(seed)}`);
  }
  let v = BigInt(seed);
  if (v < 0n) v = -v;
  const key: number[] = [];
  while (v > 0n) {
    key.push(Number(v & 0xffffffffn));
    v >>= 32n;
  }
  return key.length > 0 ? key : [0];
}

/** Number of bits needed to write n ≥ 1 (Python's `int.bit_length`). */
function bitLength(n: number): number {
  let k = 0;
  while (2 ** k <= n) k++;
  return k;
}

/**
 * CPython-compatible `random.Random`: `new PyRandom(42).random()` equals
 * Python's `random.Random(42).random()`, and so on for every method here.
 *
 * @example
 * const rng = new PyRandom(42);
 * rng.random();              // => 0.6394267984578837
 * rng.sample(70, 30);        // like random.Random(...).sample(range(70), 30)
 */
export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  /**
   * @param seed - an integer (a safe-integer number or a bigint; the sign is ignored, as Python).
   * @throws ConfigError for a seed that is not an integer.
   */
  constructor(seed: number | bigint) {
    this.seed(seed);
  }

  /**
   * Re-seeds the generator (Python's `seed(int)`).
   *
   * @param seed - an integer.
   * @throws ConfigError for a seed that is not an integer.
   */
  seed(seed: number | bigint): void {
    this.initByArray(seedKey(seed));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, p ^ (p >>> 30)) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const p = mt[i - 1] as number;
      mt[i] =
        (((mt[i] as number) ^ Math.imul(p ^ (p >>> 30), 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const p = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul(p ^ (p >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /**
   * One 32-bit output of MT19937 (CPython's `genrand_uint32`).
   *
   * @returns an integer in [0, 2^32).
   */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
        mt[kk] = (mt[kk + M] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
        mt[kk] = (mt[kk + (M - N)] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = ((mt[N - 1] as number) & UPPER_MASK) | ((mt[0] as number) & LOWER_MASK);
      mt[N - 1] = (mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A float in [0, 1) with 53 random bits (Python's `random()`).
   *
   * @returns the draw.
   */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * An integer with `k` random bits (Python's `getrandbits`), for k ≤ 53.
   *
   * @param k - number of bits, 0..53.
   * @returns an integer in [0, 2^k).
   * @throws ConfigError for k outside 0..53.
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) {
      throw new ConfigError(`k: expected an integer in [0, 53], got ${describeValue(k)}`);
    }
    if (k <= 32) return k === 0 ? 0 : this.nextUint32() >>> (32 - k);
    const low = this.nextUint32();
    const high = this.nextUint32() >>> (64 - k);
    return high * 4294967296 + low;
  }

  /**
   * Uniform integer in [0, n) by rejection on `bit_length(n)` bits (Python's `_randbelow`).
   *
   * @param n - upper bound, 1 ≤ n ≤ 2^53.
   * @returns the draw.
   */
  randbelow(n: number): number {
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /**
   * Uniform integer in [a, b], both included (Python's `randint`).
   *
   * @param a - lower bound (integer).
   * @param b - upper bound (integer), ≥ a.
   * @returns the draw.
   * @throws ConfigError when b < a or a bound is not an integer.
   */
  randint(a: number, b: number): number {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a) {
      throw new ConfigError(`randint: expected integers a ≤ b, got ${a}, ${b}`);
    }
    return a + this.randbelow(b - a + 1);
  }

  /**
   * `k` distinct indices drawn from [0, n), in selection order — the same
   * draws as Python's `sample(range(n), k)`, including its switch between
   * the pool and the set algorithms. O(n) or O(k) expected.
   *
   * @param n - population size.
   * @param k - sample size, 0 ≤ k ≤ n.
   * @returns the indices.
   * @throws ConfigError when k is not in [0, n].
   * @example new PyRandom(1).sample(10, 3).length // => 3
   */
  sample(n: number, k: number): number[] {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(k) || k < 0 || k > n) {
      throw new ConfigError(`sample: expected 0 ≤ k ≤ n, got n = ${n}, k = ${k}`);
    }
    const result = new Array<number>(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j] as number;
        pool[j] = pool[n - i - 1] as number;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = j;
      }
    }
    return result;
  }

  /**
   * `k` draws with replacement (Python's `choices`), uniform or weighted.
   *
   * @param population - the values to draw from (non-empty).
   * @param k - number of draws.
   * @param weights - optional relative weights, one per value.
   * @returns the draws.
   * @throws ConfigError for an empty population, mismatched or non-positive weights.
   */
  choices<T>(population: readonly T[], k: number, weights?: readonly number[]): T[] {
    const n = population.length;
    if (n === 0) throw new ConfigError('choices: expected a non-empty population, got none');
    if (!weights) {
      return Array.from({ length: k }, () => population[Math.floor(this.random() * n)] as T);
    }
    if (weights.length !== n) {
      throw new ConfigError(`choices: expected ${n} weights, got ${weights.length}`);
    }
    const cum: number[] = [];
    let acc = 0;
    for (const w of weights) cum.push((acc += w));
    const total = acc;
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new ConfigError(`choices: expected weights with a positive finite total, got ${total}`);
    }
    return Array.from({ length: k }, () => {
      const x = this.random() * total;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x < (cum[mid] as number)) hi = mid;
        else lo = mid + 1;
      }
      return population[lo] as T;
    });
  }
}

/**
 * A seeded uniform generator on [0, 1): Python's `random.Random(seed).random`.
 *
 * @param seed - an integer.
 * @returns a function returning numbers in [0, 1).
 * @throws ConfigError for a seed that is not an integer.
 * @example const u = seededUniform(42); u(); // => 0.6394267984578837
 */
export function seededUniform(seed: number | bigint): Uniform {
  const rng = new PyRandom(seed);
  return () => rng.random();
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

/**
 * Standard normal draws from a uniform generator (Box–Muller, one draw per
 * pair of uniforms so that the sequence does not depend on call parity).
 *
 * @param uniform - the generator, e.g. {@link seededUniform}.
 * @returns a function returning N(0, 1) draws.
 * @example const z = normalDraws(seededUniform(1)); z(); // a standard normal number
 */
export function normalDraws(uniform: Uniform): () => number {
  return () => {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    return r * Math.cos(2 * Math.PI * uniform());
  };
}
