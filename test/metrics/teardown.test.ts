/**
 * One lifecycle for every monitor and store: an idempotent `close()` that frees
 * engine sketches and registry labels, `[Symbol.asyncDispose]` for
 * `await using`, and `ConfigError` with code `CLOSED` ("<Class> is closed") on
 * use after close. Real classes on a real in-process engine and registry.
 */
import { describe, expect, it } from 'vitest';
import { type EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { MetricsCollector } from '../../src/metrics/metrics-collector.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { AlertRule } from '../../src/alerts/alert-rule.js';
import { RetrainTrigger } from '../../src/retrain/retrain-trigger.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher } from '../../src/transport/flusher.js';
import { Registry } from '../../src/prometheus/registry.js';
import { ConfigError } from '../../src/errors.js';
import { makeRecord } from '../window/make-record.js';
import { useEngine } from '../support/per-file.js';

let engine: EngineHandle;
useEngine({ mode: 'inline' }, (e) => (engine = e));

/** Expects `fn` to throw (or reject with) ConfigError code CLOSED naming the class. */
async function expectClosed(cls: string, fn: () => unknown): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).code).toBe('CLOSED');
  expect((caught as ConfigError).message).toBe(`${cls} is closed`);
}

const labels = { model: 'm', model_version: '1', device: 'd' };

describe('one lifecycle: close(), [Symbol.asyncDispose], CLOSED', () => {
  it('a second PerformanceMonitor with the same labels on one registry works after the first is closed', async () => {
    const registry = new Registry();
    const first = new PerformanceMonitor({ registry, labels });
    first.update(1, 1);
    expect(() => new PerformanceMonitor({ registry, labels })).toThrow(ConfigError);
    await first.close();
    await first.close();
    const second = new PerformanceMonitor({ registry, labels });
    second.update(0, 1);
    const text = await registry.metrics();
    expect(text).toMatch(/edgewatch_accuracy\{[^}]*model="m"[^}]*\} 0\b/);
    await expectClosed('PerformanceMonitor', () => first.update(1, 1));
    await expectClosed('PerformanceMonitor', () => first.getMetrics());
    await second[Symbol.asyncDispose]();
    await expectClosed('PerformanceMonitor', () => second.getMetrics());
    expect(await registry.metrics()).not.toMatch(/edgewatch_accuracy\{/);
  });

  it('AlertSystem: close frees its labels and refuses evaluate', async () => {
    const registry = new Registry();
    const a = new AlertSystem({ registry, labels });
    a.addRule(new AlertRule('low', (m) => m.accuracy < 0.5));
    a.evaluate({ accuracy: 0.1 });
    await a.close();
    await a.close();
    await expectClosed('AlertSystem', () => a.evaluate({ accuracy: 0.1 }));
    await expectClosed('AlertSystem', () => a.addRule(new AlertRule('x', () => true)));
    const b = new AlertSystem({ registry, labels });
    await b[Symbol.asyncDispose]();
  });

  it('LatencyTracker and MetricsCollector: close frees sketches and labels; queries throw CLOSED', async () => {
    const registry = new Registry();
    const t = new LatencyTracker({ engine, registry, labels });
    t.record(5);
    await t.close();
    await t.close();
    await expectClosed('LatencyTracker', () => t.percentiles());
    new LatencyTracker({ engine, registry, labels }).record(1);
    const c = new MetricsCollector({ engine, registry, labels });
    c.record('x', 1);
    await c[Symbol.asyncDispose]();
    await expectClosed('MetricsCollector', () => c.snapshot());
    new MetricsCollector({ engine, registry, labels }).record('x', 2);
  });

  it('DriftDetector: close() releases the reference; dispose() stays as an alias; detect throws CLOSED', async () => {
    const d = new DriftDetector([1, 2, 3, 4, 5, 6, 7, 8], { engine });
    await d.detect([1, 2, 3, 4, 5, 6, 7, 9]);
    await d.close();
    await d.dispose();
    await expectClosed('DriftDetector', () => d.detect([1, 2, 3]));
    const e = new DriftDetector([1, 2, 3, 4], { engine });
    await e[Symbol.asyncDispose]();
    await expectClosed('DriftDetector', () => e.detect([1, 2, 3]));
  });

  it('RetrainTrigger: close detaches from alerts and refuses new runs', async () => {
    let runs = 0;
    const trigger = new RetrainTrigger({
      detector: { detect: async () => ({ isDrift: true }) },
      run: () => ++runs,
    });
    const alerts = new AlertSystem();
    alerts.addRule(new AlertRule('always', () => true));
    trigger.attach(alerts);
    await trigger.close();
    await trigger.close();
    alerts.evaluate({});
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(0);
    await expectClosed('RetrainTrigger', () => trigger.check([1]));
    await expectClosed('RetrainTrigger', () => trigger.trigger());
    await alerts.close();
  });

  it('WindowStore and Flusher: close is idempotent; use after close throws CLOSED', async () => {
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    await store.append(makeRecord(0));
    const flusher = new Flusher({ store, endpoint: 'http://127.0.0.1:1/v1/windows' });
    await flusher.close();
    await flusher.close();
    await expectClosed('Flusher', () => flusher.start());
    await expectClosed('Flusher', () => flusher.flush());
    await store[Symbol.asyncDispose]();
    await store.close();
    await expectClosed('WindowStore', () => store.append(makeRecord(1)));
    await expectClosed('WindowStore', () => store.peek(1));
    await expectClosed('WindowStore', () => store.stats());
  });
});
