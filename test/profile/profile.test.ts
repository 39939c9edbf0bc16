/**
 * Feature profiles: byte form (round trip, corrupt input → DataError), HyperLogLog
 * against exact distinct counts, space-saving guarantees, moments against exact
 * computation, merge = profile of the concatenation, privacy suppression, and size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  decodeProfile,
  encodeProfile,
  hllEstimate,
  mergeProfiles,
  type FeatureProfile,
  type NumericProfile,
  type TopKSummary,
} from '../../src/entry/stats.js';
import { TopKBuilder, mergeTopK, suppressRare } from '../../src/profile/space-saving.js';
import { PyRandom } from '../../src/stats/random.js';
import { categoricalProfile, numericProfile } from './profile-of.js';

function normals(seed: number, n: number, mu = 0, sigma = 1): number[] {
  const r = new PyRandom(seed);
  return Array.from({ length: n }, () => {
    const u1 = r.random();
    const u2 = r.random();
    return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  });
}

function exactCounts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function checkTopK(s: TopKSummary, items: string[], suppressed = false): void {
  const exact = exactCounts(items);
  const listed = new Set(s.entries.map((e) => e.item));
  expect(s.total).toBe(items.length);
  for (const e of s.entries) {
    const t = exact.get(e.item) ?? 0;
    expect(t).toBeLessThanOrEqual(e.count);
    expect(t).toBeGreaterThanOrEqual(e.count - e.error);
  }
  for (const [item, t] of exact) {
    if (!listed.has(item)) expect(t).toBeLessThanOrEqual(s.absentBound);
    // every item above total / capacity is listed
    if (!suppressed && t > items.length / s.capacity) expect(listed.has(item)).toBe(true);
  }
}

describe('numeric profile', () => {
  it('counts missing and invalid values and keeps exact moments', () => {
    const xs = normals(1, 5000, 3, 2);
    const p = numericProfile([...xs, null, undefined, NaN, 'x', Infinity, {}]);
    expect(p.missing).toBe(3);
    expect(p.invalid).toBe(3);
    expect(p.sketch.count).toBe(5000);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const m2 = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
    expect(p.mean).toBeCloseTo(mean, 12);
    expect(p.m2 / m2).toBeCloseTo(1, 12);
    expect(p.sketch.min).toBe(Math.min(...xs));
  });

  it('merge equals the profile of the concatenation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 200 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (a, b, sa, sb) => {
          const m = mergeProfiles(numericProfile(a, sa), numericProfile(b, sb)) as NumericProfile;
          const all = numericProfile([...a, ...b], Math.min(sa, sb));
          expect(m.sketch.count).toBe(all.sketch.count);
          expect(m.sketch.zeroCount).toBe(all.sketch.zeroCount);
          // buckets, extremes and counts merge exactly; the sum is a float sum in another order
          const { sum: s1, ...rest1 } = m.sketch;
          const { sum: s2, ...rest2 } = all.sketch;
          expect(rest1).toEqual(rest2);
          const scaleTol = Math.max(1, ...[...a, ...b].map(Math.abs));
          expect(Math.abs(s1 - s2)).toBeLessThanOrEqual(1e-9 * scaleTol * (a.length + b.length));
          expect(Math.abs(m.mean - all.mean)).toBeLessThanOrEqual(1e-9 * scaleTol);
          expect(Math.abs(m.m2 - all.m2)).toBeLessThanOrEqual(1e-7 * Math.max(1, all.m2));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('bytes per feature: 1,000 normal values at the default scale fit in 2 KB', () => {
    const bytes = encodeProfile(numericProfile(normals(2, 1000))).length;
    console.log(`profile bytes: numeric N(0,1) x1000 default scale = ${bytes}`);
    expect(bytes).toBeLessThanOrEqual(2048);
  });
});

describe('categorical profile', () => {
  it('HyperLogLog stays within 4 standard errors of the exact distinct count', () => {
    const r = new PyRandom(3);
    for (const n of [10, 100, 1000, 10_000, 50_000]) {
      const items = Array.from({ length: n * 2 }, () => `c${r.randbelow(n * 4)}`);
      const exact = new Set(items).size;
      const est = hllEstimate(categoricalProfile(items).hll);
      console.log(`hll p=10: exact=${exact} est=${est.toFixed(1)}`);
      expect(Math.abs(est - exact) / exact).toBeLessThan(4 * (1.04 / 32));
    }
  });

  it('space-saving bounds hold for one summary and for merges (property)', () => {
    const item = fc.integer({ min: 0, max: 40 }).map((i) => `k${i % 7 === 0 ? 0 : i}`);
    fc.assert(
      fc.property(
        fc.array(fc.array(item, { maxLength: 120 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        (parts, cap) => {
          let merged: TopKSummary | undefined;
          for (const part of parts) {
            const b = new TopKBuilder(cap);
            part.forEach((x) => b.add(x));
            checkTopK(b.summary(), part);
            merged = merged ? mergeTopK(merged, b.summary()) : b.summary();
          }
          checkTopK(merged as TopKSummary, parts.flat());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('suppresses categories seen fewer than k times and keeps the bounds', () => {
    const items = [...Array(50).fill('a'), ...Array(3).fill('rare'), 'once'];
    const p = categoricalProfile(items, { minCategoryCount: 5 });
    expect(p.topK.entries.map((e) => e.item)).toEqual(['a']);
    checkTopK(p.topK, items, true);
    expect(suppressRare(p.topK, 1).entries).toHaveLength(1);
  });

  it('counts missing and invalid; numbers and booleans are categories', () => {
    const p = categoricalProfile(['a', 1, true, null, undefined, NaN, {}, [], Infinity]);
    expect(p.missing).toBe(3);
    expect(p.invalid).toBe(3);
    expect(p.topK.entries.map((e) => e.item).sort()).toEqual(['1', 'a', 'true']);
  });
});

describe('profile byte form', () => {
  const samples: FeatureProfile[] = [
    numericProfile(normals(4, 300, -2, 3)),
    numericProfile([]),
    numericProfile([0, 0, null]),
    categoricalProfile(['x', 'y', 'x', 'é', null]),
    categoricalProfile(Array.from({ length: 3000 }, (_, i) => `v${i % 700}`)),
  ];

  it('round-trips', () => {
    for (const p of samples) {
      const back = decodeProfile(encodeProfile(p));
      expect(encodeProfile(back)).toEqual(encodeProfile(p));
      expect(back.kind).toBe(p.kind);
    }
  });

  it('any truncation, byte flip or trailing byte is a DataError or a valid profile, never a crash', () => {
    const encoded = samples.map(encodeProfile);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: encoded.length - 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('cut', 'flip', 'append'),
        (which, pos, byte, op) => {
          const src = encoded[which] as Uint8Array;
          let bytes: Uint8Array;
          if (op === 'cut') bytes = src.subarray(0, pos % src.length);
          else if (op === 'append') bytes = Uint8Array.from([...src, byte]);
          else {
            bytes = src.slice();
            bytes[pos % src.length] = byte;
          }
          try {
            const p = decodeProfile(bytes);
            expect(encodeProfile(p).length).toBeGreaterThan(0);
          } catch (e) {
            expect(e).toBeInstanceOf(DataError);
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(() => decodeProfile(new Uint8Array([0xe6, 2, 1]))).toThrow(/version/);
    expect(() => decodeProfile(new Uint8Array([0xe6, 1, 1, 0, 0]))).toThrow(DataError);
  });
});
