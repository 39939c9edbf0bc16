/** Seeded normal draws for the retrain tests. */

/** `n` draws of N(mean, 1): Box–Muller on a Park–Miller generator started at `seed`. */
export function parkMillerNormals(n: number, mean: number, seed: number): number[] {
  let s = seed;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Array.from(
    { length: n },
    () => mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()),
  );
}
