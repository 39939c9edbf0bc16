/**
 * A small version of bench/multivariate.ts: false alarms near the level with
 * no shift, power under a clear shift, CBPE inside its band under covariate
 * shift and outside it under concept shift. Seeded, so the counts are fixed;
 * the bounds leave room for the binomial spread of so few trials.
 */
import { describe, expect, it } from 'vitest';
import { estimatePerformance, fitCbpe, realisedPerformance } from '../../src/entry/multivariate.js';
import { normalDraws, seededUniform } from '../../src/stats/random.js';
import { prepareTest, shiftedRows, type WindowTest } from './scenarios.js';

const uniform = seededUniform(99);
const z = normalDraws(uniform);
const sample = (n: number, d: number, shift = 0, factor = 0): number[][] =>
  shiftedRows(z, n, d, shift, factor);

const detectors: [string, (ref: number[][]) => WindowTest][] = [
  ['mmd', (ref) => prepareTest.mmd(ref, { permutations: 50 })],
  ['pca', (ref) => prepareTest.pca(ref)],
  ['classifier', (ref) => prepareTest.classifier(ref)],
  ['components', (ref) => prepareTest.components(ref)],
];

describe('statistical behaviour (smoke)', () => {
  it.each(detectors)(
    '%s: few false alarms without shift (60 windows over 3 references)',
    (_, make) => {
      let alarms = 0;
      for (let r = 0; r < 3; r++) {
        const test = make(sample(300, 8));
        for (let t = 0; t < 20; t++) if (test(sample(100, 8))) alarms++;
      }
      // 5 % of 60 is 3; 9 or more happens with probability < 0.5 % under the level.
      expect(alarms).toBeLessThanOrEqual(8);
    },
  );

  it('mean shift: MMD, classifier and components detect it; a strong common factor: MMD and PCA detect it', () => {
    const ref = sample(300, 8);
    const mean = sample(100, 8, 0.5);
    const factor = sample(100, 8, 0, 0.8);
    const [mmd, pca, clf, comp] = detectors.map(([, make]) => make(ref));
    expect([mmd!(mean), clf!(mean), comp!(mean)]).toEqual([true, true, true]);
    expect([mmd!(factor), pca!(factor)]).toEqual([true, true]);
  });

  it('CBPE: realised accuracy inside the band under covariate shift, far outside under concept shift', () => {
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const draw = (n: number, mu: number, flip: boolean) => {
      const scores: number[] = [];
      const labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const x = z() + mu;
        const p = sig(2 * x);
        scores.push(sig(4 * x));
        labels.push(uniform() < (flip && x > 0.5 ? 1 - p : p) ? 1 : 0);
      }
      return { scores, labels };
    };
    const ref = draw(3000, 0, false);
    const model = fitCbpe(ref.scores, ref.labels, { draws: 100 });
    let inside = 0;
    for (let w = 0; w < 20; w++) {
      const win = draw(400, -1 + w / 10, false);
      const est = estimatePerformance(model, win.scores).metrics.accuracy;
      const real = realisedPerformance(model, win.scores, win.labels).accuracy;
      if (real >= est.lower && real <= est.upper) inside++;
    }
    expect(inside).toBeGreaterThanOrEqual(16);
    const win = draw(400, 0, true);
    const est = estimatePerformance(model, win.scores).metrics.accuracy;
    const real = realisedPerformance(model, win.scores, win.labels).accuracy;
    expect(est.value - real).toBeGreaterThan(0.1);
    expect(real).toBeLessThan(est.lower);
  });
});
