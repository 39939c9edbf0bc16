/**
 * A small seeded random source for the demo: every run of the page with the same
 * seed produces the same sensor stream, so screenshots and the e2e test are stable.
 */

/** A seeded random source: uniform in [0, 1) and standard normal draws. */
export interface Rng {
  /** Uniform draw in [0, 1). */
  next(): number;
  /** Standard normal draw (Box–Muller, one value per call). */
  normal(): number;
}

/**
 * Creates a mulberry32 generator (32-bit state, period 2^32 — plenty for a demo).
 *
 * @param seed - any 32-bit integer.
 * @returns a seeded {@link Rng}.
 * @example
 * const rng = createRng(7);
 * rng.normal(); // => a standard normal draw, the same for every run with seed 7
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() keeps the logarithm's argument in (0, 1].
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { next, normal };
}
