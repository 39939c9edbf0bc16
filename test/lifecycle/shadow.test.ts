import { describe, expect, it } from 'vitest';
import { ShadowEvaluator } from '../../src/lifecycle/shadow.js';
import { ABTest } from '../../src/lifecycle/ab-test.js';
import { ConfigError } from '../../src/errors.js';

describe('ShadowEvaluator', () => {
  it('returns the control output, runs the candidate on the same input, records both arms once labelled', async () => {
    const test = new ABTest({ metric: 'error', minSamples: 2, checkEvery: 0 });
    let now = 0;
    const latencyTest = new ABTest({ metric: 'latency', minSamples: 2, checkEvery: 0 });
    const seen: number[] = [];
    const shadow = new ShadowEvaluator<number, number>({
      control: (x) => ((now += 4), x * 2),
      candidate: (x) => {
        seen.push(x);
        now += 1;
        return x * 2 + 1;
      },
      test,
      latencyTest,
      now: () => now,
    });
    for (let i = 0; i < 10; i++) expect(await shadow.predict(i, { id: `p${i}` })).toBe(i * 2);
    await shadow.flush();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shadow.pendingCount).toBe(10);
    for (let i = 0; i < 10; i++) expect(shadow.label(`p${i}`, i * 2)).toBe(true);
    expect(shadow.pendingCount).toBe(0);
    const d = test.decide();
    expect(d.samples).toEqual({ control: 10, candidate: 10 });
    expect(d.values).toEqual({ control: 0, candidate: 1 });
    const l = latencyTest.decide();
    expect(l.samples).toEqual({ control: 10, candidate: 10 });
    expect(Math.abs(l.values.control - 4) / 4).toBeLessThan(0.01);
    expect(Math.abs(l.values.candidate - 1)).toBeLessThan(0.01);
  });

  it('a label that arrives before the candidate finishes is recorded when it does; actual given up front works too', async () => {
    const test = new ABTest({ metric: 'accuracy', minSamples: 2, checkEvery: 0 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const shadow = new ShadowEvaluator<string, string>({
      control: (x) => x,
      candidate: async (x) => (await gate, x.toUpperCase()),
      test,
    });
    await shadow.predict('a', { id: '1' });
    shadow.label('1', 'a');
    await shadow.predict('b', { actual: 'B' });
    expect(test.samples).toEqual({ control: 0, candidate: 0 });
    release();
    await shadow.flush();
    expect(test.samples).toEqual({ control: 2, candidate: 2 });
    expect(test.decide().values).toEqual({ control: 0.5, candidate: 0.5 });
  });

  it('candidate failures are counted and never reach the caller; control failures do', async () => {
    const errors: unknown[] = [];
    const test = new ABTest({ metric: 'accuracy', checkEvery: 0 });
    const shadow = new ShadowEvaluator<number, number>({
      control: (x) => {
        if (x < 0) throw new Error('control failed');
        return x;
      },
      candidate: () => {
        throw new Error('candidate failed');
      },
      test,
      onError: (e) => errors.push(e),
    });
    expect(await shadow.predict(1, { actual: 1 })).toBe(1);
    await shadow.flush();
    expect(shadow.candidateErrors).toBe(1);
    expect(errors).toHaveLength(1);
    expect(test.samples).toEqual({ control: 0, candidate: 0 });
    await expect(shadow.predict(-1)).rejects.toThrow('control failed');
  });

  it('bounds pending predictions and counts unknown labels', async () => {
    const shadow = new ShadowEvaluator<number, number>({
      control: (x) => x,
      candidate: (x) => x,
      maxPending: 3,
    });
    for (let i = 0; i < 5; i++) await shadow.predict(i, { id: String(i) });
    await shadow.flush();
    expect(shadow.pendingCount).toBe(3);
    expect(shadow.expired).toBe(2);
    expect(shadow.label('0', 0)).toBe(false);
    expect(shadow.unmatchedLabels).toBe(1);
    expect(() => new ShadowEvaluator({ control: 1, candidate: (x: number) => x } as never)).toThrow(
      ConfigError,
    );
  });
});
