import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AlertRule } from '../../src/alerts/alert-rule.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { ConfigError, EdgewatchError } from '../../src/errors.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';
import type { RetrainEvidence, RetrainOutcome } from '../../src/retrain/types.js';
import { alertOf } from '../support/alert.js';
import { parkMillerNormals } from './seeded-normals.js';

/**
 * A small real detector (duck-typed like DriftDetector): drift when the mean of
 * the new data is more than 3 standard errors from the reference mean.
 */
class MeanShiftDetector {
  private readonly mean: number;
  private readonly std: number;
  constructor(reference: readonly number[]) {
    this.mean = reference.reduce((s, x) => s + x, 0) / reference.length;
    this.std = Math.sqrt(
      reference.reduce((s, x) => s + (x - this.mean) ** 2, 0) / (reference.length - 1),
    );
  }
  async detect(data: readonly number[]): Promise<{ isDrift: boolean; meanShift: number }> {
    await Promise.resolve();
    const m = data.reduce((s, x) => s + x, 0) / data.length;
    const z = (m - this.mean) / (this.std / Math.sqrt(data.length));
    return { isDrift: Math.abs(z) > 3, meanShift: (m - this.mean) / this.std };
  }
}

/** Deterministic pseudo-normal values. */
const normals = (n: number, mean: number, seed: number): number[] =>
  parkMillerNormals(n, mean, seed);

function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('RetrainTrigger — the documented snippet', () => {
  it('on drift: runs retraining once, and a completed run deploys the new model', async () => {
    const detector = new MeanShiftDetector(normals(1000, 0, 1));
    const retrained: RetrainEvidence[] = [];
    const retrain = async (evidence: RetrainEvidence): Promise<{ status: string }> => {
      retrained.push(evidence);
      return { status: 'completed' };
    };
    let deployed = 0;
    const deployNewModel = (): void => void deployed++;

    const trigger = new RetrainTrigger({
      detector,
      run: async (evidence) => retrain(evidence),
      cooldownMs: 3_600_000,
    });
    const newData = normals(100, 1.5, 2);
    const result = await trigger.check(newData);
    if (result.outcome?.status === 'completed') deployNewModel();

    expect(result.triggered).toBe(true);
    expect(deployed).toBe(1);
    expect(retrained).toHaveLength(1);
    expect(retrained[0]).toMatchObject({
      reason: 'drift',
      sampleCount: 100,
      drift: { isDrift: true },
    });
    expect(result.outcome).toMatchObject({
      status: 'completed',
      result: { status: 'completed' },
      reason: 'drift',
      id: 1,
    });

    // no drift on data like the reference
    const calm = new RetrainTrigger({ detector, run: retrain });
    expect(await calm.check(normals(100, 0, 3))).toMatchObject({
      triggered: false,
      skipped: 'no-drift',
      drift: { isDrift: false },
    });
  });
});

describe('RetrainTrigger — cooldown and concurrency', () => {
  const drifting = { detect: async () => ({ isDrift: true }) };

  it('never runs twice within the cooldown (fake clock); runs again after it', async () => {
    let t = 0;
    let runs = 0;
    const trigger = new RetrainTrigger({
      detector: drifting,
      run: () => ++runs,
      cooldownMs: 1000,
      now: () => t,
    });
    expect((await trigger.check([1])).triggered).toBe(true);
    t = 999;
    expect(await trigger.check([1])).toEqual({
      triggered: false,
      skipped: 'cooldown',
      retryAt: 1000,
    });
    expect((await trigger.onAlert(alertOf({ name: 'a', severity: 'critical' }))).skipped).toBe(
      'cooldown',
    );
    t = 1000;
    expect((await trigger.check([1])).triggered).toBe(true);
    expect(runs).toBe(2);
  });

  it('property: with instant runs, starts are exactly the greedy schedule (every drift outside the cooldown)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 40 }),
        async (cooldownMs, steps) => {
          let t = 0;
          const starts: number[] = [];
          let isDrift = false;
          const trigger = new RetrainTrigger({
            detector: { detect: () => ({ isDrift }) },
            run: () => void starts.push(t),
            cooldownMs,
            now: () => t,
          });
          const expected: number[] = [];
          for (const [dt, drift] of steps) {
            t += dt;
            isDrift = drift;
            await trigger.check([0]);
            const last = expected[expected.length - 1];
            if (drift && (last === undefined || t - last >= cooldownMs)) expected.push(t);
          }
          expect(starts).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never runs concurrently: checks and alerts during a run are skipped as running', async () => {
    const gate = deferred<string>();
    let calls = 0;
    let active = 0;
    let maxActive = 0;
    const trigger = new RetrainTrigger({
      detector: drifting,
      run: async () => {
        calls++;
        maxActive = Math.max(maxActive, ++active);
        const r = await gate.promise;
        active--;
        return r;
      },
    });
    // ten concurrent checks that all see drift
    const pending = Array.from({ length: 10 }, () => trigger.check([1]));
    await new Promise((r) => setTimeout(r, 5));
    expect(trigger.running).toBe(true);
    const duringAlert = await trigger.onAlert(alertOf({ name: 'a', severity: 'critical' }));
    expect(duringAlert).toEqual({ triggered: false, skipped: 'running' });
    gate.resolve('model-v2');
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(maxActive).toBe(1);
    expect(results.filter((r) => r.triggered)).toHaveLength(1);
    expect(results.filter((r) => r.skipped === 'running')).toHaveLength(9);
    expect(trigger.running).toBe(false);
    expect(trigger.lastOutcome).toMatchObject({ status: 'completed', result: 'model-v2' });
  });

  it('a failing run is recorded with its error, emits fail, and later triggers still run', async () => {
    let n = 0;
    const trigger = new RetrainTrigger({
      detector: drifting,
      run: () => {
        n++;
        if (n === 1) throw new Error('pipeline down');
        return 'ok';
      },
      cooldownMs: 10_000,
    });
    const failed: RetrainOutcome[] = [];
    trigger.on('fail', (o) => failed.push(o));
    const first = await trigger.check([1]);
    expect(first.outcome).toMatchObject({ status: 'failed', id: 1 });
    expect((first.outcome as { error: Error }).error.message).toBe('pipeline down');
    expect(failed).toHaveLength(1);
    // a failure does not start the (success) cooldown: the next drift retries
    const second = await trigger.check([1]);
    expect(second.outcome).toMatchObject({ status: 'completed', result: 'ok', id: 2 });
    expect(trigger.history.map((o) => o.status)).toEqual(['failed', 'completed']);
  });

  it('a run that never settles times out (runTimeoutMs): outcome timeout, error event, lock released', async () => {
    let calls = 0;
    const never = deferred<string>();
    const trigger = new RetrainTrigger({
      detector: drifting,
      run: () => (++calls === 1 ? never.promise : 'ok'),
      runTimeoutMs: 50,
    });
    const errors: unknown[] = [];
    const failed: RetrainOutcome[] = [];
    trigger.on('error', (e) => errors.push(e));
    trigger.on('fail', (o) => failed.push(o));
    const first = await trigger.check([1]);
    expect(first.outcome).toMatchObject({ status: 'timeout', id: 1 });
    expect(trigger.running).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EdgewatchError);
    expect((errors[0] as EdgewatchError).code).toBe('TIMEOUT');
    expect(failed.map((o) => o.status)).toEqual(['timeout']);
    const second = await trigger.check([1]);
    expect(second.outcome).toMatchObject({ status: 'completed', result: 'ok', id: 2 });
    // The abandoned run settling late changes nothing.
    never.resolve('late');
    await new Promise((r) => setTimeout(r, 0));
    expect(trigger.history.map((o) => o.status)).toEqual(['timeout', 'completed']);
    expect(() => new RetrainTrigger({ run: () => 1, runTimeoutMs: 0 })).toThrow(ConfigError);
    expect(() => new RetrainTrigger({ run: () => 1, runTimeoutMs: NaN })).toThrow(/runTimeoutMs/);
  });

  it('failureCooldownMs holds off retries after a failure', async () => {
    let t = 0;
    const trigger = new RetrainTrigger({
      detector: drifting,
      run: () => Promise.reject(new Error('x')),
      failureCooldownMs: 500,
      now: () => t,
    });
    await trigger.check([1]);
    t = 499;
    expect((await trigger.check([1])).skipped).toBe('cooldown');
    t = 500;
    expect((await trigger.check([1])).triggered).toBe(true);
  });
});

describe('RetrainTrigger — inputs, alerts, events', () => {
  it('minSamples: small batches do not reach the detector', async () => {
    let detected = 0;
    const trigger = new RetrainTrigger({
      detector: { detect: () => ({ isDrift: ++detected > 0 }) },
      run: () => 1,
      minSamples: 50,
    });
    expect(await trigger.check(new Array(49).fill(0))).toEqual({
      triggered: false,
      skipped: 'insufficient-samples',
    });
    expect(
      await trigger.check({ a: new Float64Array(60), b: new Array(10).fill(0) }),
    ).toMatchObject({ skipped: 'insufficient-samples' });
    expect(detected).toBe(0);
    expect((await trigger.check(new Float64Array(50))).triggered).toBe(true);
  });

  it('a failing detector is reported, not thrown', async () => {
    const errors: unknown[] = [];
    const trigger = new RetrainTrigger({
      detector: { detect: () => Promise.reject(new Error('bad data')) },
      run: () => 1,
    });
    trigger.on('error', (e) => errors.push(e));
    const r = await trigger.check([1]);
    expect(r).toMatchObject({ triggered: false, skipped: 'detector-error' });
    expect((r.error as Error).message).toBe('bad data');
    expect(errors).toHaveLength(1);
  });

  it('fires from an AlertSystem (attach with a filter), with recent metrics as evidence', async () => {
    const monitor = new PerformanceMonitor({ windowSize: 10 });
    monitor.update(1, 1);
    monitor.update(1, 2);
    const evidence: RetrainEvidence[] = [];
    const trigger = new RetrainTrigger({ run: (e) => void evidence.push(e), metrics: monitor });
    const events: string[] = [];
    for (const ev of ['trigger', 'complete', 'skip'] as const)
      trigger.on(ev, () => events.push(ev));
    const alerts = new AlertSystem();
    alerts.addRule(new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, 'critical'));
    alerts.addRule(new AlertRule('latency', (m) => m.p99 > 100, 'warning'));
    const detach = trigger.attach(alerts, { severities: ['critical'] });
    alerts.evaluate({ accuracy: 0.5, p99: 500 });
    await trigger.idle();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      reason: 'alert',
      alert: { name: 'accuracy_drop' },
      metrics: { accuracy: 0.5, mae: 0.5 },
    });
    expect(events).toEqual(['trigger', 'complete']);
    detach();
    alerts.evaluate({ accuracy: 0.9, p99: 0 });
    alerts.evaluate({ accuracy: 0.5, p99: 0 });
    await trigger.idle();
    expect(evidence).toHaveLength(1);
    // manual trigger
    expect((await trigger.trigger()).outcome?.reason).toBe('manual');
  });

  it('misuse throws ConfigError', async () => {
    expect(() => new RetrainTrigger({ run: 1 as never })).toThrow(ConfigError);
    expect(() => new RetrainTrigger({ run: () => 1, detector: {} as never })).toThrow(ConfigError);
    expect(() => new RetrainTrigger({ run: () => 1, cooldownMs: -1 })).toThrow(
      /expected cooldownMs/,
    );
    expect(() => new RetrainTrigger({ run: () => 1, metrics: 3 as never })).toThrow(ConfigError);
    await expect(new RetrainTrigger({ run: () => 1 }).check([1])).rejects.toBeInstanceOf(
      ConfigError,
    );
    expect(() => new RetrainTrigger({ run: () => 1 }).attach({} as never)).toThrow(ConfigError);
    expect(() => RetrainTrigger.webhook('nope')).toThrow(ConfigError);
  });
});
