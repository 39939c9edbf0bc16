import { seededUniform } from '../../src/stats/random.js';

/** Seeded uniform [0, 1): the code base's one seeded generator (CPython-compatible). */
export const rng = seededUniform;

/** A standard normal draw from a uniform source. */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * r());
}

/** Exact lower quantile at rank ⌊q(n−1)⌋ of a sample (sorts a copy). */
export function exactQuantile(values: readonly number[], q: number): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(q * (s.length - 1))]!;
}
