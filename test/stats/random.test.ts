/**
 * PyRandom against draws recorded from CPython's random.Random
 * (test/fixtures/river/random.json, written by scripts/gen-river-fixtures.py).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { PyRandom, seededUniform } from '../../src/stats/random.js';

interface Case {
  seed: string;
  random: number[];
  getrandbits: number[];
  randint: number[];
  sample70_30: number[];
  sample1000_5: number[];
  sample5_5: number[];
  choices: number[];
  choicesWeighted: number[];
  after: number;
}

const cases = JSON.parse(
  readFileSync(new URL('../fixtures/river/random.json', import.meta.url), 'utf8'),
) as Case[];

describe('PyRandom equals CPython random.Random', () => {
  it.each(cases.map((c) => [c.seed, c] as const))('seed %s', (seed, c) => {
    const big = BigInt(seed);
    const r = new PyRandom(Number.isSafeInteger(Number(big)) ? Number(big) : big);
    expect(Array.from({ length: 8 }, () => r.random())).toEqual(c.random);
    expect([1, 5, 31, 32].map((k) => r.getrandbits(k))).toEqual(c.getrandbits);
    const ints = Array.from({ length: 5 }, () => r.randint(0, 9));
    ints.push(r.randint(-3, 1000000));
    expect(ints).toEqual(c.randint);
    expect(r.sample(70, 30)).toEqual(c.sample70_30);
    expect(r.sample(1000, 5)).toEqual(c.sample1000_5);
    expect(r.sample(5, 5)).toEqual(c.sample5_5);
    expect(r.choices([4, 5, 6, 7], 6)).toEqual(c.choices);
    expect(r.choices([0, 1], 6, [0.3, 0.7])).toEqual(c.choicesWeighted);
    expect(r.random()).toBe(c.after);
  });

  it('a bigint seed and the equal number seed give the same stream', () => {
    expect(new PyRandom(12345n).random()).toBe(new PyRandom(12345).random());
    expect(seededUniform(42)()).toBe(0.6394267984578837);
  });

  it('rejects seeds that are not integers and bad arguments', () => {
    expect(() => new PyRandom(1.5)).toThrow(ConfigError);
    expect(() => new PyRandom(Number.NaN)).toThrow(ConfigError);
    const r = new PyRandom(1);
    expect(() => r.sample(3, 4)).toThrow(ConfigError);
    expect(() => r.randint(2, 1)).toThrow(ConfigError);
    expect(() => r.choices([], 1)).toThrow(ConfigError);
    expect(() => r.choices([1, 2], 1, [0, 0])).toThrow(ConfigError);
    expect(() => r.getrandbits(54)).toThrow(ConfigError);
  });

  it('property: sample returns k distinct indices in range; random() stays in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 300 }),
        (seed, n) => {
          const r = new PyRandom(seed);
          const k = Math.min(n, 1 + (seed % n));
          const s = r.sample(n, k);
          expect(new Set(s).size).toBe(k);
          expect(s.every((j) => j >= 0 && j < n)).toBe(true);
          const u = r.random();
          expect(u >= 0 && u < 1).toBe(true);
        },
      ),
    );
  });
});
