import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fixtures from './fixtures/lifecycle.json';
import {
  mixtureLogLikelihoodRatio,
  msprtHalfWidth,
  msprtPValue,
} from '../../src/lifecycle/msprt.js';

describe('mSPRT likelihood ratio (vs numerical integration in scipy)', () => {
  it.each(fixtures.msprt)('case %#', (f) => {
    expect(mixtureLogLikelihoodRatio(f.estimate, f.variance, f.tau2)).toBeCloseTo(f.logLambda, 8);
  });

  it('degenerate inputs give p = 1, never NaN', () => {
    expect(msprtPValue(1, 0, 1)).toBe(1);
    expect(msprtPValue(1, 1, 0)).toBe(1);
    expect(msprtPValue(1, NaN, 1)).toBe(1);
  });

  it('property: the confidence sequence is exactly the set where p > alpha', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (v, tau2, alpha) => {
          const hw = msprtHalfWidth(v, tau2, alpha);
          expect(msprtPValue(hw * 0.999, v, tau2)).toBeGreaterThan(alpha);
          expect(msprtPValue(hw * 1.001, v, tau2)).toBeLessThan(alpha);
        },
      ),
    );
  });

  it('property: p is symmetric in the estimate and decreasing in |estimate|', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 1e-3, max: 2, noNaN: true }),
        (x, y, v) => {
          expect(msprtPValue(x, v, 1)).toBe(msprtPValue(-x, v, 1));
          if (x < y) expect(msprtPValue(x, v, 1)).toBeGreaterThanOrEqual(msprtPValue(y, v, 1));
        },
      ),
    );
  });
});
