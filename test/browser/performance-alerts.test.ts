// Performance monitoring, alerts and the retraining trigger in real Chromium:
// the documented performance and alert snippets, metrics checked against the naive
// recomputations of test/performance/reference.ts, a performanceDrop rule fed by
// a PerformanceMonitor with a baseline, a latency rule fed by a LatencyTracker,
// and RetrainTrigger with a real DriftDetector on the default (worker) engine.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { AlertRule, AlertSeverity } from '../../src/alerts/alert-rule.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { driftDetected, latencyAbove, performanceDrop } from '../../src/alerts/rules.js';
import { callbackNotifier } from '../../src/alerts/notifiers/callback-notifier.js';
import type { AlertNotification } from '../../src/alerts/notifiers/notifier.js';
import type { Alert } from '../../src/alerts/types.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';
import type { RetrainEvidence } from '../../src/retrain/types.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { getDefaultEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { ConfigError, DataError } from '../../src/errors.js';
import type { DriftResult } from '../../src/stats/drift/types.js';
import { aucRef, brierRef, close, logLossRef, regressionRef } from '../performance/reference.js';
import { normals } from '../drift/helpers.js';
import { useEngine } from '../support/per-file.js';

describe('the documented performance snippet (Chromium)', () => {
  it('PerformanceMonitor(window_size=100): mae, accuracy, numSamples equal a recomputation on the last 100 (property)', () => {
    const value = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 300 }), (pairs) => {
        const monitor = new PerformanceMonitor({ windowSize: 100 });
        // During inference
        for (const [pred, actual] of pairs) monitor.update(pred, actual);
        const metrics = monitor.getMetrics();
        const ref = regressionRef(pairs.slice(-100));
        expect(metrics.numSamples).toBe(Math.min(100, pairs.length));
        expect(close(metrics.mae, ref.mae, 1e-9)).toBe(true);
        expect(close(metrics.rmse, ref.rmse, 1e-9)).toBe(true);
        expect(close(metrics.accuracy, ref.accuracy, 1e-12)).toBe(true);
        expect(close(metrics.meanError, ref.meanError, 1e-9)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('binary probabilities: AUC, log loss and Brier equal the naive references; bad samples are dropped and counted', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom<0 | 1>(0, 1)),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        fc.integer({ min: 5, max: 120 }),
        (pairs, windowSize) => {
          const m = new PerformanceMonitor({ windowSize, task: 'binary' });
          for (const [p, y] of pairs) expect(m.update(p, y)).toBe(true);
          expect(m.update(NaN, 1)).toBe(false);
          expect(m.update(1.5, 0)).toBe(false);
          const got = m.getMetrics();
          const win = pairs.slice(-windowSize);
          expect(close(got.auc, aucRef(win), 1e-12)).toBe(true);
          expect(close(got.logLoss, logLossRef(win), 1e-9)).toBe(true);
          expect(close(got.brier, brierRef(win), 1e-9)).toBe(true);
          expect(got.dropped).toBe(2);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the documented alert snippet and rules (Chromium)', () => {
  it('evaluate({ accuracy: 0.82 }) returns the critical accuracy_drop alert', () => {
    const alertSys = new AlertSystem();
    alertSys.addRule(
      new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL),
    );
    expect(alertSys.evaluate({ accuracy: 0.82 })).toMatchObject([
      { name: 'accuracy_drop', severity: 'critical', state: 'firing', metrics: { accuracy: 0.82 } },
    ]);
    expect(alertSys.evaluate({ accuracy: 0.9 })).toEqual([]);
    expect(() => performanceDrop('accuracy', -1)).toThrow(ConfigError);
  });

  it('performanceDrop on a monitor with a baseline fires exactly when accuracy drops > 5%, notifies fire and resolve once', async () => {
    const baseline = 0.9;
    const monitor = new PerformanceMonitor({
      windowSize: 50,
      task: 'multiclass',
      baseline: { accuracy: baseline },
    });
    const alerts = new AlertSystem();
    alerts.addRule(performanceDrop('accuracy', 0.05));
    const notes: AlertNotification[] = [];
    let wake: () => void = () => undefined;
    alerts.addNotifier(
      callbackNotifier((n) => {
        notes.push(n);
        wake();
      }),
    );
    // correct except for a period of mistakes; the window decides the accuracy
    const correct = (i: number): boolean => !(i >= 100 && i < 130 && i % 3 !== 0) && i % 10 !== 9;
    const window: boolean[] = [];
    let expectedFiring = false;
    let transitions = 0;
    for (let i = 0; i < 260; i++) {
      const ok = correct(i);
      monitor.update(ok ? 'cat' : 'dog', 'cat');
      window.push(ok);
      if (window.length > 50) window.shift();
      const acc = window.filter(Boolean).length / window.length;
      const shouldFire = (baseline - acc) / baseline > 0.05;
      if (shouldFire !== expectedFiring) transitions++;
      expectedFiring = shouldFire;
      const firing = alerts.evaluate(monitor.getMetrics());
      expect(
        firing.map((a) => a.name),
        `step ${i}, accuracy ${acc}`,
      ).toEqual(shouldFire ? ['accuracy_drop'] : []);
    }
    expect(transitions).toBe(2); // it fired, then resolved
    for (let k = 0; k < 50 && notes.length < 2; k++)
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 20);
      });
    expect(notes.map((n) => [n.status, n.alert.name])).toEqual([
      ['firing', 'accuracy_drop'],
      ['resolved', 'accuracy_drop'],
    ]);
  });

  it('latencyAbove reads LatencyTracker percentiles from the worker engine', async () => {
    const engine = await getDefaultEngine();
    const tracker = new LatencyTracker({ engine });
    const alerts = new AlertSystem();
    alerts.addRule(latencyAbove('p99', 250));
    tracker.recordMany(Float64Array.from({ length: 1000 }, (_, i) => 1 + (i % 100)));
    const calm = await tracker.percentiles();
    expect(calm.p99).toBeLessThan(250);
    expect(alerts.evaluate(calm)).toEqual([]);
    tracker.recordMany(Float64Array.from({ length: 100 }, () => 400));
    const slow = await tracker.percentiles();
    // exact p99 of the 1100 values (rank floor(0.99 * 1099) = 1088) is 400
    expect(Math.abs(slow.p99 - 400)).toBeLessThanOrEqual(400 * 0.003);
    expect(alerts.evaluate(slow)).toMatchObject([
      { name: 'latency_p99_above', severity: 'warning' },
    ]);
    await tracker.close();
  });
});

describe('RetrainTrigger with a real DriftDetector on the worker engine (Chromium)', () => {
  let reference: EngineHandle;
  useEngine({ mode: 'reference' }, (e) => (reference = e));

  it('the documented retraining snippet: no run on reference-like data, one run on drift, cooldown after', async () => {
    expect((await getDefaultEngine()).mode).toBe('worker');
    const gen = normals(404);
    const referenceData = gen(1000);
    const detector = new DriftDetector(referenceData, { threshold: 0.05 });
    const local = new DriftDetector(referenceData, { threshold: 0.05, engine: reference });
    let t = 0;
    const runs: RetrainEvidence[] = [];
    const trigger = new RetrainTrigger({
      detector,
      run: async (evidence) => {
        runs.push(evidence);
        return { status: 'completed' };
      },
      cooldownMs: 3_600_000,
      now: () => t,
    });
    const same = gen(200);
    const calm = await trigger.check(same);
    expect(calm.skipped).toBe('no-drift');
    const shifted = gen(200, 1);
    const result = await trigger.check(shifted);
    expect(result.triggered).toBe(true);
    expect(result.outcome?.status).toBe('completed');
    expect(runs).toHaveLength(1);
    const drift = runs[0]!.drift as unknown as DriftResult;
    const expected = await local.detect(shifted);
    expect(drift).toMatchObject({
      isDrift: true,
      method: expected.method,
      referenceSize: 1000,
      currentSize: 200,
    });
    expect(Math.abs(drift.statistic - expected.statistic)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(drift.meanShift - expected.meanShift)).toBeLessThanOrEqual(1e-12);
    t = 60_000;
    expect((await trigger.check(gen(200, 1))).skipped).toBe('cooldown');
    t = 3_600_001;
    expect((await trigger.check(gen(200, 1))).triggered).toBe(true);
    expect(runs).toHaveLength(2);
    // a detector error in the worker is a skip carrying the typed error, not a rejection
    const errors: unknown[] = [];
    const strict = new RetrainTrigger({ detector, run: () => ({ status: 'completed' }) });
    strict.on('error', (e) => errors.push(e));
    const bad = await strict.check(['a', 'b'] as never);
    expect(bad.skipped).toBe('detector-error');
    expect(bad.error).toBeInstanceOf(DataError);

    expect((await strict.check(new Float64Array(0))).error).toBeInstanceOf(DataError); // empty: DataError from the worker
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(bad.error);
    await detector.dispose();
    await local.dispose();
  });

  it('driftDetected alert -> attached trigger retrains with the alert as evidence', async () => {
    const gen = normals(9);
    const detector = new DriftDetector({ a: gen(500), b: gen(500) });
    const alerts = new AlertSystem();
    alerts.addRule(driftDetected('a', { severity: AlertSeverity.CRITICAL }));
    const started: RetrainEvidence[] = [];
    let done: (() => void) | undefined;
    const finished = new Promise<void>((r) => (done = r));
    const trigger = new RetrainTrigger({
      run: (evidence) => {
        started.push(evidence);
        done?.();
        return { status: 'completed' };
      },
    });
    const detach = trigger.attach(alerts);
    const r = await detector.detect({ a: gen(300, 1.2), b: gen(300) });
    expect(r.features.a!.isDrift).toBe(true);
    expect(r.features.b!.isDrift).toBe(false);
    const fired: Alert[] = alerts.evaluate(r);
    expect(fired.map((a) => a.name)).toHaveLength(1);
    await Promise.race([finished, new Promise((r2) => setTimeout(r2, 5000))]);
    await trigger.idle();
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ reason: 'alert', alert: { severity: 'critical' } });
    detach();
    await detector.dispose();
  });
});
