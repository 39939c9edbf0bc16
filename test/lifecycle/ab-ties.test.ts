import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ABTest } from '../../src/lifecycle/ab-test.js';
import { PairedSequentialTest } from '../../src/lifecycle/paired-sequential.js';
import { gauss, rng } from './helpers.js';

const round = (x: number, step: number): number => Math.round(x / step) * step;
/** Latency around 2 ms (lognormal σ 0.5) at a timer resolution: most values are tied. */
const latency = (r: () => number, step: number, factor = 1): number =>
  round(2 * Math.exp(0.5 * gauss(r)) * factor, step);

/** A/A with decide() after every sample; returns the share of runs ending in a significant decision. */
function aaFalseRate(step: number, runs: number, max: number): number {
  let falses = 0;
  for (let k = 0; k < runs; k++) {
    const r = rng(104_729 * k + 3);
    const ab = new ABTest({ metric: 'latency', minSamples: 100, maxSamples: max, checkEvery: 0 });
    let d = ab.decide();
    for (let i = 0; i < max && d.decision === 'continue'; i++) {
      ab.record('control', latency(r, step));
      ab.record('candidate', latency(r, step));
      d = ab.decide();
    }
    if (d.reason === 'significant') falses++;
  }
  return falses / runs;
}

describe('ABTest latency with tied values (timer resolution), decide() after every sample', () => {
  // The long version (2,000 runs per cell, power too) is bench/ab-aa.ts; figures in bench/README.md.
  it.each([0.1, 1])('A/A at %f ms resolution: false decisions ≤ alpha + 2 SE', (step) => {
    const runs = 150;
    expect(aaFalseRate(step, runs, 600)).toBeLessThanOrEqual(
      0.05 + 2 * Math.sqrt((0.05 * 0.95) / runs),
    );
  });

  it('a candidate 30 % faster at 1 ms resolution is promoted', () => {
    const r = rng(11);
    const ab = new ABTest({ metric: 'latency', minSamples: 100, checkEvery: 0 });
    let d = ab.decide();
    for (let i = 0; i < 5000 && d.decision === 'continue'; i++) {
      ab.record('control', latency(r, 1));
      ab.record('candidate', latency(r, 1, 0.7));
      d = ab.decide();
    }
    expect(d).toMatchObject({ decision: 'promote', reason: 'significant' });
  });
});

describe('PairedSequentialTest', () => {
  it('pairs records in arrival order across unequal arms, bounding the surplus queue', () => {
    const t = new PairedSequentialTest({
      metric: 'accuracy',
      alpha: 0.05,
      burnIn: 2,
      quantile: 0.95,
      tau: undefined,
      maxQueue: 3,
    });
    for (let i = 0; i < 5; i++) t.add('control', 1);
    expect(t.pairs).toBe(0);
    expect(t.unpaired).toBe(2);
    for (let i = 0; i < 3; i++) t.add('candidate', 0);
    expect(t.pairs).toBe(3);
    expect(t.calibrated).toBe(true);
    // one test pair after the two calibration pairs: candidate wrong, control right
    expect(t.sum).toBe(-1);
    expect(t.sumSq).toBe(1);
  });

  it('property: under exchangeable arms with heavy ties, the p-value is valid at every n', () => {
    // P(min p ≤ a) ≤ a for a symmetric three-point difference; checked by counting over seeds
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), (pTie) => {
        let crossed = 0;
        const runs = 200;
        for (let k = 0; k < runs; k++) {
          const r = rng(k * 31 + Math.round(pTie * 1000));
          const t = new PairedSequentialTest({
            metric: 'accuracy',
            alpha: 0.1,
            burnIn: 20,
            quantile: 0.95,
            tau: undefined,
          });
          for (let i = 0; i < 500; i++) {
            const a = r() < pTie ? 1 : 0;
            const b = r() < pTie ? 1 : 0;
            t.add('control', a);
            t.add('candidate', b);
          }
          if (t.crossed !== 0) crossed++;
        }
        return crossed / runs <= 0.1 + 2 * Math.sqrt((0.1 * 0.9) / runs);
      }),
      { numRuns: 8, seed: 42 },
    );
  });
});
