/** Seeded test data for the drift tests (independent of the code under test). */
import { seededUniform } from '../../src/stats/random.js';

/** A seeded standard-normal generator (Box–Muller). */
export function normals(seed: number): (n: number, mean?: number, sd?: number) => Float64Array {
  const u = seededUniform(seed);
  return (n, mean = 0, sd = 1) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(-2 * Math.log(1 - u()));
      out[i] = mean + sd * r * Math.cos(2 * Math.PI * u());
    }
    return out;
  };
}

/** Draws n category labels with the given weights. */
export function categories(
  seed: number,
): (n: number, labels: string[], weights: number[]) => string[] {
  const u = seededUniform(seed);
  return (n, labels, weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    return Array.from({ length: n }, () => {
      let x = u() * total;
      for (let i = 0; i < labels.length; i++) {
        x -= weights[i] as number;
        if (x < 0) return labels[i] as string;
      }
      return labels[labels.length - 1] as string;
    });
  };
}
