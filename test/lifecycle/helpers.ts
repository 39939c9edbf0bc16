/** Seeded random numbers for the lifecycle tests (mulberry32 + Box–Muller). */
export function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from a uniform source. */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * r());
}

/** Exact lower quantile at rank ⌊q(n−1)⌋ of a sample (sorts a copy). */
export function exactQuantile(values: readonly number[], q: number): number {
  const s = [...values].sort((x, y) => x - y);
  return s[Math.floor(q * (s.length - 1))]!;
}
