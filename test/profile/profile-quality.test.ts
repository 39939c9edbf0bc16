/** Data quality from profiles, against exact counts on the raw values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileQuality } from '../../src/entry/stats.js';
import { categoricalProfile, numericProfile } from './profile-of.js';

describe('profileQuality', () => {
  it('missing and invalid shares, constant columns', () => {
    const q = profileQuality(numericProfile([1, 1, 1, null, 'x', NaN]));
    expect(q.seen).toBe(6);
    expect(q.missingShare).toBeCloseTo(2 / 6, 12);
    expect(q.invalidShare).toBeCloseTo(1 / 6, 12);
    expect(q.constant).toBe(true);
    expect(profileQuality(numericProfile([1, 2])).constant).toBe(false);
    expect(profileQuality(categoricalProfile(['a', 'a', 'a'])).constant).toBe(true);
    expect(profileQuality(categoricalProfile(['a', 'b'])).constant).toBe(false);
    expect(profileQuality(numericProfile([])).missingShare).toBe(0);
  });

  it('out-of-range share is a lower bound of the exact share, exact flags (property)', () => {
    const value = fc.double({ min: -1e4, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 100 }),
        fc.array(value, { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 8 }),
        (ref, cur, scale) => {
          const lo = Math.min(...ref);
          const hi = Math.max(...ref);
          const q = profileQuality(numericProfile(cur, scale), numericProfile(ref, scale));
          const exact = cur.filter((x) => x < lo || x > hi).length / cur.length;
          expect(q.outOfRangeShare!).toBeLessThanOrEqual(exact + 1e-12);
          expect(q.belowReferenceMin).toBe(cur.some((x) => x < lo));
          expect(q.aboveReferenceMax).toBe(cur.some((x) => x > hi));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('values far outside the reference range are all counted', () => {
    const ref = numericProfile([10, 11, 12, 13]);
    const q = profileQuality(numericProfile([10.5, 12, 100, 200, -5, 0]), ref);
    expect(q.outOfRangeShare).toBeCloseTo(4 / 6, 12);
  });

  it('new categories against the reference', () => {
    const ref = categoricalProfile([...Array(50).fill('a'), ...Array(50).fill('b')]);
    const q = profileQuality(categoricalProfile(['a', 'b', 'c', 'c', 'c']), ref);
    expect(q.newCategories).toEqual(['c']);
  });
});
