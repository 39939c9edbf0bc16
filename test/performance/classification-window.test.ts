import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { compareLabels } from '../../src/performance/confusion-stats.js';
import type { Label } from '../../src/performance/types.js';
import { aucRef, brierRef, classificationRef, close, eceRef, logLossRef } from './reference.js';

function labelsOf<L extends Label>(
  pairs: readonly (readonly [L, L])[],
  extra: readonly L[] = [],
): L[] {
  return [...new Set([...pairs.flat(), ...extra])].sort(compareLabels);
}

describe('PerformanceMonitor — multiclass window', () => {
  it('sliding accuracy, per-class, macro and confusion matrix equal a recomputation on the last N', () => {
    const strLabel = fc.constantFrom('cat', 'dog', 'bird', 'fish');
    const numLabel = fc.integer({ min: 0, max: 4 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(
          fc.array(fc.tuple(strLabel, strLabel), { minLength: 1, maxLength: 120 }),
          fc.array(fc.tuple(numLabel, numLabel), { minLength: 1, maxLength: 120 }),
        ),
        (windowSize, pairs: (readonly [Label, Label])[]) => {
          const m = new PerformanceMonitor({ windowSize, task: 'multiclass' });
          pairs.forEach(([p, y], i) => {
            expect(m.update(p, y)).toBe(true);
            if (i % 3 !== 0 && i !== pairs.length - 1) return;
            const win = pairs.slice(Math.max(0, i + 1 - windowSize), i + 1);
            const labels = labelsOf(win);
            const ref = classificationRef(win, labels);
            const got = m.getMetrics();
            expect(got.accuracy).toBeCloseTo(ref.accuracy, 12);
            expect(got.confusionMatrix).toEqual({ labels, matrix: ref.matrix });
            for (const l of labels) {
              const g = got.perClass?.[String(l)];
              const r = ref.perClass.get(l)!;
              expect(g?.support).toBe(r.support);
              expect(close(g?.precision, r.precision, 1e-12)).toBe(true);
              expect(close(g?.recall, r.recall, 1e-12)).toBe(true);
              expect(close(g?.f1, r.f1, 1e-12)).toBe(true);
            }
            expect(Object.keys(got.perClass ?? {})).toHaveLength(labels.length);
            expect(close(got.macroF1, ref.macroF1, 1e-12)).toBe(true);
            expect(close(got.macroPrecision, ref.macroPrecision, 1e-12)).toBe(true);
            expect(close(got.macroRecall, ref.macroRecall, 1e-12)).toBe(true);
            expect(got.f1).toBe(got.macroF1);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('drops mismatched label types and non-finite numeric labels', () => {
    const m = new PerformanceMonitor({ task: 'multiclass' });
    expect(m.update('a', 'a')).toBe(true);
    expect(m.update(1, 1)).toBe(false); // the monitor holds string labels
    expect(m.update('a', 1)).toBe(false);
    expect(m.update(NaN, NaN)).toBe(false);
    expect(m.update({}, 'a')).toBe(false);
    expect(m.getMetrics()).toMatchObject({ numSamples: 1, dropped: 4, accuracy: 1 });
  });
});

const prob = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((i) => i / 20), // ties and bin edges
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const label01 = fc.constantFrom(0 as const, 1 as const);

describe('PerformanceMonitor — probabilistic binary window', () => {
  it('logLoss, brier, exact AUC, ECE and the positive-class metrics equal a recomputation on the last N', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(prob, label01), { minLength: 1, maxLength: 150 }),
        (windowSize, pairs) => {
          const m = new PerformanceMonitor({ windowSize, task: 'binary' });
          pairs.forEach(([p, y], i) => {
            expect(m.update(p, y)).toBe(true);
            const win = pairs.slice(Math.max(0, i + 1 - windowSize), i + 1);
            const got = m.getMetrics();
            expect(close(got.logLoss, logLossRef(win), 1e-9)).toBe(true);
            expect(close(got.brier, brierRef(win), 1e-9)).toBe(true);
            expect(close(got.auc, aucRef(win), 1e-12), `auc ${got.auc} vs ${aucRef(win)}`).toBe(
              true,
            );
            expect(close(got.ece, eceRef(win, 10), 1e-9), `ece ${got.ece} vs ${eceRef(win)}`).toBe(
              true,
            );
            const hard = win.map(([q, yy]) => [q >= 0.5 ? 1 : 0, yy] as const);
            const ref = classificationRef(hard, [0, 1]);
            expect(got.accuracy).toBeCloseTo(ref.accuracy, 12);
            expect(close(got.precision, ref.perClass.get(1)!.precision, 1e-12)).toBe(true);
            expect(close(got.recall, ref.perClass.get(1)!.recall, 1e-12)).toBe(true);
            expect(close(got.f1, ref.perClass.get(1)!.f1, 1e-12)).toBe(true);
            expect(got.confusionMatrix).toEqual({ labels: [0, 1], matrix: ref.matrix });
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('AUC on the scikit-learn documentation example is 0.75', () => {
    const m = new PerformanceMonitor({ task: 'binary' });
    [0.1, 0.4, 0.35, 0.8].forEach((p, i) => m.update(p, [0, 0, 1, 1][i]));
    expect(m.getMetrics().auc).toBe(0.75);
  });

  it('ECE on known cases', () => {
    const ece = (pairs: [number, 0 | 1][], bins?: number): number | undefined => {
      const m = new PerformanceMonitor({
        task: 'binary',
        ...(bins === undefined ? {} : { calibrationBins: bins }),
      });
      for (const [p, y] of pairs) m.update(p, y);
      return m.getMetrics().ece;
    };
    // perfectly calibrated: 25% said, 1 of 4 happened
    expect(
      ece([
        [0.25, 1],
        [0.25, 0],
        [0.25, 0],
        [0.25, 0],
      ]),
    ).toBeCloseTo(0, 15);
    // confidently wrong: said 0.9, never happened
    expect(
      ece([
        [0.9, 0],
        [0.9, 0],
        [0.9, 0],
      ]),
    ).toBeCloseTo(0.9, 15);
    // two bins: |0 − 0.2|/4 + |2 − 1.6|/4 = 0.15
    expect(
      ece([
        [0.1, 0],
        [0.1, 0],
        [0.8, 1],
        [0.8, 1],
      ]),
    ).toBeCloseTo(0.15, 15);
    // p = 1 lands in the last bin
    expect(
      ece([
        [1, 1],
        [0, 0],
      ]),
    ).toBe(0);
    // one bin: overall |mean label − mean probability| = |0.5 − 0.7|
    expect(
      ece(
        [
          [0.6, 1],
          [0.8, 0],
        ],
        1,
      ),
    ).toBeCloseTo(0.2, 15);
  });

  it('log loss and Brier score on known cases', () => {
    const m = new PerformanceMonitor({ task: 'binary' });
    m.update(0.5, 1);
    m.update(0.5, 0);
    expect(m.getMetrics().logLoss).toBeCloseTo(Math.LN2, 15);
    expect(m.getMetrics().brier).toBeCloseTo(0.25, 15);
    const hard = new PerformanceMonitor({ task: 'binary' });
    hard.update(0, 1); // certain and wrong: clipped at 1e-15, finite
    expect(hard.getMetrics().logLoss).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('accepts booleans and custom labels; drops probabilities outside [0, 1] and unknown labels', () => {
    const m = new PerformanceMonitor({ task: 'binary' });
    expect(m.update(true, true)).toBe(true);
    expect(m.update(0.2, false)).toBe(true);
    expect(m.update(1.2, 1)).toBe(false);
    expect(m.update(-0.1, 0)).toBe(false);
    expect(m.update(0.3, 2)).toBe(false);
    expect(m.update(NaN, 1)).toBe(false);
    expect(m.update('yes', 1)).toBe(false);
    expect(m.getMetrics()).toMatchObject({ numSamples: 2, dropped: 5, accuracy: 1, auc: 1 });

    const spam = new PerformanceMonitor({
      task: 'binary',
      positiveLabel: 'spam',
      negativeLabel: 'ham',
    });
    expect(spam.update(0.9, 'spam')).toBe(true);
    expect(spam.update('ham', 'ham')).toBe(true);
    expect(spam.update(0.4, 'eggs')).toBe(false);
    expect(spam.getMetrics()).toMatchObject({ numSamples: 2, accuracy: 1, recall: 1 });

    const t = new PerformanceMonitor({ task: 'binary', threshold: 0.8 });
    t.update(0.7, 1);
    expect(t.getMetrics().recall).toBe(0);
  });
});
