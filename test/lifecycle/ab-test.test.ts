import { describe, expect, it, vi } from 'vitest';
import { ABTest } from '../../src/lifecycle/ab-test.js';
import type { ABDecision, ABMetric, ABTestOptions } from '../../src/lifecycle/ab-test.js';
import { ConfigError } from '../../src/errors.js';
import { twoProportionZTest } from '../../src/stats/categorical-tests.js';
import { welchFromMoments } from '../../src/stats/welch-t-test.js';
import { gauss, rng } from './helpers.js';

type Draw = (r: () => number, better: boolean) => [unknown, unknown];
const draws: Record<ABMetric, (effect: number) => Draw> = {
  // accuracy 0.80, the better model 0.80 + effect
  accuracy: (effect) => (r, better) => [r() < 0.8 + (better ? effect : 0) ? 1 : 0, 1],
  // absolute error of N(0, 1) vs N(0, 1 − effect) residuals
  error: (effect) => (r, better) => [gauss(r) * (better ? 1 - effect : 1), 0],
  // lognormal latencies, the better model `effect` × faster
  latency: (effect) => (r, better) => [
    20 * Math.exp(0.5 * gauss(r)) * (better ? 1 - effect : 1),
    undefined,
  ],
};

/** Records `n` pairs in which the control is always wrong and the candidate always right. */
function recordCandidateWins(ab: ABTest, n: number): void {
  for (let i = 0; i < n; i++) {
    ab.record('control', 0, 1);
    ab.record('candidate', 1, 1);
  }
}

/** Runs `sims` experiments, looking every `look` samples per arm; returns final decisions and naive-peeking rejections. */
function simulate(
  metric: ABMetric,
  effect: number,
  sims: number,
  maxSamples: number,
  look: number,
) {
  const out: { decisions: ABDecision[]; naiveRejections: number } = {
    decisions: [],
    naiveRejections: 0,
  };
  const draw = draws[metric](effect);
  for (let s = 0; s < sims; s++) {
    const r = rng(7919 * s + 17);
    const ab = new ABTest({ metric, minSamples: 100, maxSamples, checkEvery: 0 });
    let d = ab.decide();
    let naive = false;
    for (let i = 1; i <= maxSamples && d.decision === 'continue'; i++) {
      ab.record('control', ...draw(r, false));
      ab.record('candidate', ...draw(r, effect > 0));
      if (i % look === 0) {
        d = ab.decide();
        if (i >= 100 && (d.classical?.pValue ?? 1) <= 0.05) naive = true;
      }
    }
    out.decisions.push(d);
    if (naive) out.naiveRejections++;
  }
  return out;
}

const rate = (ds: ABDecision[], decision: string, reason?: string): number =>
  ds.filter((d) => d.decision === decision && (reason === undefined || d.reason === reason))
    .length / ds.length;

describe('ABTest: sequential (mSPRT) error rates on simulated traffic, looking every 20 samples', () => {
  // alpha = 0.05. With N simulations the rate's standard error is ~sqrt(0.05·0.95/N); the bounds
  // below are alpha + 2 SE. Seeds are fixed, so the figures are reproducible.
  it.each([
    ['accuracy', 200, 1500],
    ['error', 200, 1500],
    ['latency', 100, 1200],
  ] as const)(
    '%s, A/A: false decisions ≤ alpha although the test is peeked at all the time',
    (metric, sims, max) => {
      const { decisions, naiveRejections } = simulate(metric, 0, sims, max, 20);
      const falseRate =
        rate(decisions, 'promote', 'significant') + rate(decisions, 'keep', 'significant');
      expect(falseRate).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / sims));
      // the same looks with the classical fixed-horizon p-value reject far more often: the rule matters
      expect(naiveRejections / sims).toBeGreaterThan(2 * falseRate);
      expect(naiveRejections / sims).toBeGreaterThan(0.1);
      // and the rest stop for futility at maxSamples as 'keep'
      expect(rate(decisions, 'keep', 'max-samples') + falseRate).toBe(1);
    },
  );

  it.each([
    ['accuracy', 0.06, 200, 2000, 0.9],
    ['error', 0.15, 200, 2000, 0.95],
    ['latency', 0.2, 100, 1500, 0.8],
  ] as const)(
    '%s, candidate truly better by %f: promoted in most runs, wrong direction almost never',
    (metric, effect, sims, max, power) => {
      const { decisions } = simulate(metric, effect, sims, max, 20);
      expect(rate(decisions, 'promote')).toBeGreaterThanOrEqual(power);
      expect(rate(decisions, 'keep', 'significant')).toBeLessThanOrEqual(0.02);
      const promoted = decisions.filter((x) => x.decision === 'promote');
      for (const d of promoted) expect(d.pValue).toBeLessThanOrEqual(0.05);
      // the reported effect points the candidate's way in (nearly) every promotion
      const rightWay = promoted.filter((d) =>
        metric === 'accuracy' ? d.effect > 0 : d.effect < 0,
      );
      expect(rightWay.length).toBeGreaterThanOrEqual(0.98 * promoted.length);
    },
  );

  it('a worse candidate is kept (significant), not promoted', () => {
    const ab = new ABTest({ metric: 'accuracy', minSamples: 100 });
    const r = rng(5);
    let d = ab.decide();
    for (let i = 0; i < 5000 && d.decision === 'continue'; i++) {
      ab.record('control', r() < 0.9 ? 1 : 0, 1);
      ab.record('candidate', r() < 0.8 ? 1 : 0, 1);
      d = ab.decide();
    }
    expect(d).toMatchObject({ decision: 'keep', reason: 'significant' });
    expect(d.effect).toBeLessThan(0);
  });
});

describe('ABTest: fixed-horizon rule', () => {
  const fixedHorizon = (metric: ABMetric, horizon: number, options: Partial<ABTestOptions>) =>
    new ABTest({ metric, rule: 'fixed-horizon', horizon, ...options });

  it('refuses to peek: continue with no p-value before the horizon, even with a huge effect', () => {
    const ab = fixedHorizon('accuracy', 200, { minSamples: 50 });
    recordCandidateWins(ab, 150);
    const d = ab.decide();
    expect(d).toMatchObject({
      decision: 'continue',
      reason: 'awaiting-horizon',
      classical: undefined,
    });
    expect(d.pValue).toBeNaN();
  });

  it('decides once at the horizon with the classical test and ignores later records', () => {
    const ab = fixedHorizon('error', 300, { minSamples: 50, checkEvery: 0 });
    const r = rng(11);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 320; i++) {
      const x = gauss(r);
      const y = gauss(r) * 0.8;
      ab.record('control', x, 0);
      ab.record('candidate', y, 0);
      if (i < 300) {
        a.push(Math.abs(x));
        b.push(Math.abs(y));
      }
    }
    const d = ab.decide();
    const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const pv = (v: number[]) => v.reduce((s, x) => s + (x - m(v)) ** 2, 0) / v.length;
    const ref = welchFromMoments(300, m(b), pv(b), 300, m(a), pv(a));
    expect(d.samples).toEqual({ control: 300, candidate: 300 });
    expect(d.ignored).toBe(40);
    expect(d.pValue).toBeCloseTo(ref.pValue, 10);
    expect(d.effect).toBeCloseTo(m(b) - m(a), 12);
    expect(d.decision).toBe(ref.pValue <= 0.05 && m(b) < m(a) ? 'promote' : 'keep');
    expect(ab.decide()).toBe(d);
  });

  it('A/A type-I error at the horizon is close to alpha', () => {
    let rejections = 0;
    const sims = 300;
    for (let s = 0; s < sims; s++) {
      const r = rng(7919 * s + 17);
      const ab = fixedHorizon('accuracy', 400, { checkEvery: 0 });
      for (let i = 0; i < 400; i++) {
        ab.record('control', r() < 0.7 ? 1 : 0, 1);
        ab.record('candidate', r() < 0.7 ? 1 : 0, 1);
      }
      if (ab.decide().reason === 'significant') rejections++;
    }
    expect(rejections / sims).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / sims));
    expect(rejections / sims).toBeGreaterThanOrEqual(0.01);
  });
});

describe('ABTest: minimum samples, empty arms, bad input', () => {
  it("says 'continue' below minSamples however large the effect", () => {
    const ab = new ABTest({ metric: 'accuracy', minSamples: 500 });
    recordCandidateWins(ab, 499);
    const d = ab.decide();
    expect(d).toMatchObject({
      decision: 'continue',
      reason: 'below-min-samples',
      samples: { control: 499, candidate: 499 },
    });
    expect(d.effect).toBe(1);
    // the first minSamples pairs only calibrate; evidence starts with the next pairs
    recordCandidateWins(ab, 1);
    expect(ab.decide()).toMatchObject({
      decision: 'continue',
      reason: 'not-significant',
      pairs: 500,
    });
    let more = 0;
    while (ab.decide().decision === 'continue' && more < 200) {
      recordCandidateWins(ab, 1);
      more++;
    }
    expect(ab.decide()).toMatchObject({ decision: 'promote', reason: 'significant' });
    expect(more).toBeLessThan(100);
  });

  it('one arm empty: continue, NaN effect, no interval', () => {
    for (const arm of ['control', 'candidate'] as const) {
      const ab = new ABTest({ metric: 'error', minSamples: 10 });
      for (let i = 0; i < 1000; i++) ab.record(arm, i % 7, 0);
      const d = ab.decide();
      expect(d).toMatchObject({ decision: 'continue', reason: 'arm-empty' });
      expect(d.effect).toBeNaN();
      expect(d.interval[0]).toBeNaN();
      expect(d.samples[arm]).toBe(1000);
    }
  });

  it('drops and counts bad records instead of throwing', () => {
    const ab = new ABTest({ metric: 'error' });
    ab.record('control', NaN, 1);
    ab.record('control', 1, undefined);
    ab.record('candidate', '3', 1);
    ab.record('other' as 'control', 1, 1);
    ab.record('control', 1, 2);
    const lat = new ABTest({ metric: 'latency' });
    lat.record('control', -1);
    lat.record('control', Infinity);
    lat.record('control', 3);
    const acc = new ABTest({ metric: 'accuracy' });
    acc.record('control', null, 1);
    acc.record('control', 'cat', 'cat');
    expect(ab.decide().dropped).toBe(4);
    expect(ab.samples.control).toBe(1);
    expect(lat.decide().dropped).toBe(2);
    expect(acc.decide().dropped).toBe(1);
    expect(acc.samples.control).toBe(1);
  });

  it('rejects bad configuration with "expected …, got …"', () => {
    const bad: unknown[] = [
      { metric: 'auc' },
      { metric: 'accuracy', alpha: 1.5 },
      { metric: 'accuracy', minSamples: 1 },
      { metric: 'accuracy', rule: 'fixed-horizon' },
      { metric: 'accuracy', rule: 'fixed-horizon', horizon: 10, minSamples: 100 },
      { metric: 'accuracy', horizon: 100 },
      { metric: 'accuracy', tau: -1 },
      { metric: 'latency', quantile: 1 },
      { metric: 'accuracy', mode: 'both' },
      { metric: 'accuracy', candidateShare: 0 },
      null,
    ];
    for (const options of bad) {
      expect(() => new ABTest(options as never)).toThrow(ConfigError);
      expect(() => new ABTest(options as never)).toThrow(/expected .*, got /);
    }
    expect(() => new ABTest({ metric: 'accuracy', minSamples: 1 })).toThrow(
      'expected minSamples to be an integer >= 2, got 1',
    );
    expect(() => new ABTest({ metric: 'accuracy', mode: 'both' as never })).toThrow(
      'expected mode to be one of shadow, split, got "both"',
    );
  });
});

describe('ABTest: events, finality, split assignment', () => {
  it("emits 'decision' and 'promote' once, from automatic checks, and freezes the decision", () => {
    const errors: unknown[] = [];
    const ab = new ABTest({
      metric: 'accuracy',
      minSamples: 50,
      checkEvery: 10,
      onError: (e) => errors.push(e),
      candidate: { model: 'm', modelVersion: '2' },
    });
    const onDecision = vi.fn();
    const onPromote = vi.fn();
    ab.on('decision', onDecision);
    ab.on('promote', onPromote);
    ab.on('decision', () => {
      throw new Error('listener bug');
    });
    const r = rng(2);
    for (let i = 0; i < 3000; i++) {
      ab.record('control', r() < 0.6 ? 1 : 0, 1);
      ab.record('candidate', r() < 0.9 ? 1 : 0, 1);
    }
    expect(onDecision).toHaveBeenCalledTimes(1);
    expect(onPromote).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
    const d = onDecision.mock.calls[0]![0] as ABDecision;
    expect(d).toMatchObject({ decision: 'promote', candidate: { model: 'm', modelVersion: '2' } });
    expect(ab.decide()).toBe(d);
    expect(d.samples.control).toBeLessThan(3000);
    ab.reset();
    expect(ab.decide()).toMatchObject({ decision: 'continue', reason: 'arm-empty' });
  });

  it('assign() is stable across instances and splits by candidateShare', () => {
    const a = new ABTest({ metric: 'accuracy', mode: 'split', name: 'exp-7' });
    const b = new ABTest({ metric: 'accuracy', mode: 'split', name: 'exp-7' });
    const other = new ABTest({ metric: 'accuracy', mode: 'split', name: 'exp-8' });
    const skewed = new ABTest({
      metric: 'accuracy',
      mode: 'split',
      name: 'exp-7',
      candidateShare: 0.2,
    });
    const n = 20_000;
    let cand = 0;
    let candSkewed = 0;
    let differ = 0;
    for (let i = 0; i < n; i++) {
      const id = `user-${i}`;
      const arm = a.assign(id);
      expect(b.assign(id)).toBe(arm);
      if (arm === 'candidate') cand++;
      if (skewed.assign(id) === 'candidate') candSkewed++;
      if (other.assign(id) !== arm) differ++;
    }
    // binomial: within 4 standard deviations
    expect(Math.abs(cand / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    expect(Math.abs(candSkewed / n - 0.2)).toBeLessThan(4 * Math.sqrt(0.16 / n));
    // another experiment's salt splits independently: about half the units differ
    expect(Math.abs(differ / n - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    expect(a.assign(42)).toBe(a.assign('42'));
  });

  it('accuracy classical evidence matches the two-proportion z-test on the counts', () => {
    const ab = new ABTest({ metric: 'accuracy', minSamples: 10, checkEvery: 0 });
    for (let i = 0; i < 200; i++) {
      ab.record('control', i % 4 === 0 ? 0 : 1, 1);
      ab.record('candidate', i % 5 === 0 ? 0 : 1, 1);
    }
    const d = ab.decide();
    const ref = twoProportionZTest(160, 200, 150, 200);
    expect(d.classical!.pValue).toBeCloseTo(ref.pValue, 12);
    expect(d.values).toEqual({ control: 0.75, candidate: 0.8 });
    expect(d.effect).toBeCloseTo(0.05, 12);
  });
});
