import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LatencyHistogram } from '../../src/lifecycle/latency-histogram.js';
import { assignArm, fnv1a32 } from '../../src/lifecycle/stable-hash.js';
import { exactQuantile } from './helpers.js';

describe('LatencyHistogram', () => {
  it('property: every quantile is within the relative error of the exact sample quantile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const h = new LatencyHistogram();
          for (const v of values) h.record(v);
          const exact = exactQuantile(values, q);
          expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(
            h.relativeError * (1 + 1e-9),
          );
        },
      ),
    );
  });

  it('zeros, empty, and the documented error bound', () => {
    const h = new LatencyHistogram(6);
    expect(h.quantile(0.5)).toBeNaN();
    h.record(0);
    h.record(0);
    h.record(10);
    expect(h.quantile(0)).toBe(0);
    expect(h.quantile(0.5)).toBe(0);
    expect(Math.abs(h.quantile(1) - 10) / 10).toBeLessThanOrEqual(h.relativeError);
    expect(h.relativeError).toBeCloseTo(0.0054, 4);
    expect(h.count).toBe(3);
  });
});

describe('stable hash', () => {
  it('is deterministic and spreads consecutive ids uniformly (chi-square over 16 cells)', () => {
    expect(fnv1a32('abc')).toBe(fnv1a32('abc'));
    const cells = new Array<number>(16).fill(0);
    const n = 16_000;
    for (let i = 0; i < n; i++) cells[fnv1a32(`device-${i}`) >>> 28]!++;
    const chi2 = cells.reduce((s, c) => s + (c - n / 16) ** 2 / (n / 16), 0);
    expect(chi2).toBeLessThan(37.7); // chi-square(15) 0.999 quantile
    expect(assignArm('u', 0.5, 's')).toBe(assignArm('u', 0.5, 's'));
  });
});
