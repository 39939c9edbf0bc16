/**
 * The monitors' `registry` option with the REAL classes (LatencyTracker on the
 * WASM engine, PerformanceMonitor, DriftDetector, AlertSystem): exposition
 * values against independent computations, promtool, label cardinality cap and
 * counted overflow, two monitors on one registry, and no registry → nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { MetricsCollector } from '../../src/metrics/metrics-collector.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { AlertRule } from '../../src/alerts/alert-rule.js';
import { MonitorExporter } from '../../src/metrics/prom-monitors.js';
import { linkMonitor } from '../../src/metrics/monitor-link.js';
import { Registry, defaultRegistry } from '../../src/prometheus/registry.js';
import { OVERFLOW_LABEL_VALUE } from '../../src/prometheus/metric.js';
import { EDGEWATCH_METRICS, LATENCY_BUCKETS_MS } from '../../src/export/metric-names.js';
import { ConfigError } from '../../src/errors.js';
import { parseExposition } from '../export/parse-exposition.js';
import type { ParsedSample } from '../export/parse-exposition.js';
import { useEngine } from '../support/per-file.js';
import { MONITOR_FAMILY_KEYS } from './monitor-family-keys.js';
import { expectPromtoolClean, promtoolMissing } from '../support/promtool.js';

const M = EDGEWATCH_METRICS;

async function scrape(registry: Registry): Promise<ParsedSample[]> {
  return parseExposition(await registry.metrics(), 'prometheus').flatMap((f) => f.samples);
}
function pick(
  all: ParsedSample[],
  name: string,
  where: Record<string, string> = {},
): ParsedSample[] {
  return all.filter(
    (s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v),
  );
}
function value(
  all: ParsedSample[],
  name: string,
  where: Record<string, string> = {},
): number | undefined {
  const found = pick(all, name, where);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}
/** Exact two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b| (independent of the kernels). */
function ksExact(a: readonly number[], b: readonly number[]): number {
  const xs = [...new Set([...a, ...b])].sort((x, y) => x - y);
  let d = 0;
  for (const x of xs) {
    const fa = a.filter((v) => v <= x).length / a.length;
    const fb = b.filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

let engine: EngineHandle;
useEngine({ mode: 'inline' }, (e) => (engine = e));

describe('monitors publish their metrics with the registry option', () => {
  it('LatencyTracker: classic buckets in seconds equal the exact counts, drops counted, gone after close (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 20_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.constantFrom(NaN, -1, Infinity), { maxLength: 4 }),
        async (ms, bad) => {
          const registry = new Registry();
          const tracker = new LatencyTracker({
            engine,
            registry,
            labels: { model: 'perception', model_version: '3', device: 'robot-7' },
          });
          tracker.recordMany([...ms, ...bad]);
          const all = await scrape(registry);
          const buckets = pick(all, `${M.latency}_bucket`);
          expect(buckets.map((b) => b.labels['le'])).toEqual([
            ...LATENCY_BUCKETS_MS.map((b) => String(b / 1000)),
            '+Inf',
          ]);
          LATENCY_BUCKETS_MS.forEach((b, i) =>
            expect(buckets[i]?.value).toBe(ms.filter((v) => v <= b).length),
          );
          expect(value(all, `${M.latency}_count`)).toBe(ms.length);
          expect(value(all, `${M.latency}_sum`)).toBeCloseTo(
            ms.reduce((s, v) => s + v, 0) / 1000,
            6,
          );
          expect(buckets[0]?.labels).toMatchObject({
            model: 'perception',
            model_version: '3',
            device: 'robot-7',
          });
          expect(value(all, M.valuesDropped, { reason: 'latency' })).toBe(
            bad.length > 0 ? bad.length : undefined,
          );
          await tracker.close();
          expect(pick(await scrape(registry), `${M.latency}_count`)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('MetricsCollector: a summary per name (count and sum exact, quantiles within the sketch bound), drops counted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.integer({ min: 0, max: 3 }),
        async (values, nBad) => {
          const registry = new Registry();
          const collector = new MetricsCollector({
            engine,
            maxNames: 2,
            registry,
            labels: { model: 'm', device: 'd' },
          });
          collector.recordMany('confidence', values);
          for (let i = 0; i < nBad; i++) collector.record('confidence', NaN);
          collector.record('other', 1);
          collector.record('third', 1); // past maxNames: refused
          const all = await scrape(registry);
          const where = { model: 'm', device: 'd', metric: 'confidence' };
          expect(value(all, `${M.recorded}_count`, where)).toBe(values.length);
          expect(value(all, `${M.recorded}_sum`, where)).toBeCloseTo(
            values.reduce((a, v) => a + v, 0),
            0,
          );
          const sorted = [...values].sort((a, b) => a - b);
          const bound = relativeErrorBound(collector.scale) * (1 + 1e-9);
          for (const q of [0.5, 0.95, 0.99]) {
            const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
            const got = value(all, M.recorded, { ...where, quantile: String(q) }) as number;
            expect(Math.abs(got - exact)).toBeLessThanOrEqual(bound * exact);
          }
          expect(pick(all, `${M.recorded}_count`).map((s) => s.labels['metric'])).toEqual([
            'confidence',
            'other',
          ]);
          expect(value(all, M.valuesDropped, { reason: 'collector_value' })).toBe(
            nBad > 0 ? nBad : undefined,
          );
          expect(value(all, M.valuesDropped, { reason: 'collector_name' })).toBe(1);
          await collector.close();
          expect(pick(await scrape(registry), `${M.recorded}_count`)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('PerformanceMonitor: accuracy, MAE and degradation equal exact recomputation; drop reasons counted as deltas (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 3 }),
        async (pairs, nBad) => {
          const registry = new Registry();
          const monitor = new PerformanceMonitor({
            windowSize: 1000,
            baseline: { accuracy: 0.5 },
            registry,
            labels: { model: 'm' },
          });
          for (const [p, y] of pairs) monitor.update(p, y);
          for (let i = 0; i < nBad; i++) monitor.update(NaN, 1);
          const all = await scrape(registry);
          const acc = pairs.filter(([p, y]) => p === y).length / pairs.length;
          const mae = pairs.reduce((s, [p, y]) => s + Math.abs(p - y), 0) / pairs.length;
          expect(value(all, M.accuracy, { model: 'm' })).toBeCloseTo(acc, 12);
          expect(value(all, M.performance, { metric: 'accuracy' })).toBeCloseTo(acc, 12);
          expect(value(all, M.performance, { metric: 'mae' })).toBeCloseTo(mae, 9);
          expect(value(all, M.degradation, { metric: 'accuracy' })).toBeCloseTo(
            (0.5 - acc) / 0.5,
            9,
          );
          expect(value(all, M.valuesDropped, { reason: 'performance' })).toBe(
            nBad > 0 ? nBad : undefined,
          );
          // Counted as deltas of the monitor's cumulative count: a second scrape adds nothing.
          monitor.update(NaN, NaN);
          expect(value(await scrape(registry), M.valuesDropped, { reason: 'performance' })).toBe(
            nBad + 1,
          );
          expect(value(await scrape(registry), M.valuesDropped, { reason: 'performance' })).toBe(
            nBad + 1,
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('PerformanceMonitor: expired and unmatched delayed labels are counted', async () => {
    const registry = new Registry();
    let t = 0;
    const monitor = new PerformanceMonitor({ labelTtlMs: 10, now: () => t, registry });
    monitor.recordPrediction('a', 1);
    monitor.recordPrediction('b', 2);
    t = 20; // both expire
    monitor.recordLabel('a', 1); // unmatched (expired)
    monitor.recordLabel('zzz', 1); // unmatched (unknown)
    const all = await scrape(registry);
    expect(value(all, M.valuesDropped, { reason: 'label_expired' })).toBe(2);
    expect(value(all, M.valuesDropped, { reason: 'label_unmatched' })).toBe(2);
  });

  it('DriftDetector: each detect publishes statistic (= exact KS), p-value, detected, share and missing values', async () => {
    const registry = new Registry();
    const ref = Array.from({ length: 200 }, (_, i) => (i * 37) % 101);
    const cur = Array.from({ length: 150 }, (_, i) => ((i * 53) % 97) + 20);
    const detector = new DriftDetector(
      { speed: ref, color: ref.map((v) => (v % 3 === 0 ? 'red' : 'blue')) },
      { engine, registry, labels: { model: 'perception' }, features: { speed: { method: 'ks' } } },
    );
    const r = await detector.detect({
      speed: [...cur, NaN, NaN],
      color: [...cur, 1, 2].map((v) => (v % 2 === 0 ? 'red' : 'blue')),
    });
    const all = await scrape(registry);
    const speed = { model: 'perception', feature: 'speed', method: 'ks' };
    expect(value(all, M.drift, speed)).toBeCloseTo(ksExact(ref, cur), 12);
    expect(value(all, M.driftPValue, speed)).toBeCloseTo(r.features['speed']?.pValue as number, 12);
    expect(value(all, M.driftDetected, speed)).toBe(r.features['speed']?.isDrift ? 1 : 0);
    const color = r.features['color'];
    expect(value(all, M.driftDetected, { feature: 'color', method: color?.method as string })).toBe(
      color?.isDrift ? 1 : 0,
    );
    expect(value(all, M.driftShare, { model: 'perception' })).toBe(r.driftShare);
    expect(value(all, M.valuesDropped, { reason: 'drift_missing' })).toBe(2);
    await detector.dispose();
    const after = await scrape(registry);
    expect(pick(after, M.drift)).toEqual([]);
    expect(pick(after, M.driftShare)).toEqual([]);
    expect(value(after, M.valuesDropped, { reason: 'drift_missing' })).toBe(2); // counters stay
  });

  it('AlertSystem: firing gauge follows the state machine, fired counter counts episodes', async () => {
    const registry = new Registry();
    const alerts = new AlertSystem<{ accuracy: number }>({
      registry,
      labels: { model: 'perception' },
    });
    alerts.addRule(new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, 'critical'));
    alerts.addRule(new AlertRule('accuracy_low', (m) => m.accuracy < 0.5, 'warning'));
    const firing = async (): Promise<[string, string, number][]> =>
      pick(await scrape(registry), M.alertsFiring).map((s) => [
        s.labels['alert'] as string,
        s.labels['severity'] as string,
        s.value,
      ]);
    const fired = async (alert: string): Promise<number | undefined> =>
      value(await scrape(registry), M.alertsFired, { alert });
    expect(await firing()).toEqual([]);
    alerts.evaluate({ accuracy: 0.8 });
    alerts.evaluate({ accuracy: 0.8 }); // still firing: not a second episode
    expect(await firing()).toEqual([['accuracy_drop', 'critical', 1]]);
    expect(await fired('accuracy_drop')).toBe(1);
    alerts.evaluate({ accuracy: 0.9 }); // resolved
    expect(await firing()).toEqual([]);
    alerts.evaluate({ accuracy: 0.3 });
    expect(await firing()).toEqual([
      ['accuracy_drop', 'critical', 1],
      ['accuracy_low', 'warning', 1],
    ]);
    expect(await fired('accuracy_drop')).toBe(2);
    expect(await fired('accuracy_low')).toBe(1);
  });

  it('label cardinality: series capped per metric, overflow folded and counted', async () => {
    const registry = new Registry();
    new MonitorExporter({ registry, maxSeries: 3 });
    const alerts = new AlertSystem<{ x: number }>({ registry });
    const n = 7;
    for (let i = 0; i < n; i++) alerts.addRule(new AlertRule(`rule_${i}`, (m) => m.x > i, 'info'));
    alerts.evaluate({ x: 100 }); // every rule fires once
    const all = await scrape(registry);
    const f = pick(all, M.alertsFiring);
    expect(f.map((s) => [s.labels['alert'], s.value])).toEqual([
      ['rule_0', 1],
      ['rule_1', 1],
      ['rule_2', 1],
      [OVERFLOW_LABEL_VALUE, n - 3],
    ]);
    expect(value(all, M.alertsFired, { alert: OVERFLOW_LABEL_VALUE })).toBe(n - 3);
    expect(value(all, M.seriesOverflow, { metric: M.alertsFired })).toBe(n - 3);
    expect(value(all, M.seriesOverflow, { metric: M.alertsFiring })).toBe(n - 3);

    // Drift features are capped the same way.
    const table: Record<string, number[]> = {};
    for (let i = 0; i < 5; i++) table[`f${i}`] = Array.from({ length: 50 }, (_, j) => j + i);
    const detector = new DriftDetector(table, { engine, registry, features: {} });
    await detector.detect(table);
    const d = await scrape(registry);
    expect(pick(d, M.drift).map((s) => s.labels['feature'])).toEqual([
      'f0',
      'f1',
      'f2',
      OVERFLOW_LABEL_VALUE,
    ]);
    expect(value(d, M.seriesOverflow, { metric: M.drift })).toBe(2);
    await detector.dispose();

    // MetricsCollector names: kept up to the cap, the rest left out and counted per scrape.
    const collector = new MetricsCollector({ engine, registry });
    for (const name of ['a', 'b', 'c', 'd', 'e']) collector.record(name, 1);
    const c = await scrape(registry);
    expect(pick(c, `${M.recorded}_count`).map((s) => s.labels['metric'])).toEqual(['a', 'b', 'c']);
    expect(value(c, M.seriesOverflow, { metric: M.recorded })).toBe(2);
    await collector.close();
  });

  it('two monitors of each kind on one registry: distinct labels do not collide, equal labels are refused', async () => {
    const registry = new Registry();
    const a = new LatencyTracker({ engine, registry, labels: { model: 'a' } });
    const b = new LatencyTracker({ engine, registry, labels: { model: 'b' } });
    const pa = new PerformanceMonitor({ registry, labels: { model: 'a' } });
    const pb = new PerformanceMonitor({ registry, labels: { model: 'b' } });
    new AlertSystem({ registry, labels: { model: 'a' } });
    new AlertSystem({ registry, labels: { model: 'b' } });
    a.recordMany([1, 2, 3]);
    b.record(4);
    pa.update(1, 1);
    pb.update(1, 2);
    const all = await scrape(registry);
    expect(value(all, `${M.latency}_count`, { model: 'a' })).toBe(3);
    expect(value(all, `${M.latency}_count`, { model: 'b' })).toBe(1);
    expect(value(all, M.accuracy, { model: 'a' })).toBe(1);
    expect(value(all, M.accuracy, { model: 'b' })).toBe(0);
    expect(MonitorExporter.for(registry)).toBe(MonitorExporter.for(registry));
    expect(() => new LatencyTracker({ engine, registry, labels: { model: 'a' } })).toThrow(
      /distinct labels/,
    );
    expect(() => new PerformanceMonitor({ registry, labels: { model: 'b' } })).toThrow(ConfigError);
    expect(() => new AlertSystem({ registry, labels: { model: 'a' } })).toThrow(ConfigError);
    expect(() => new MonitorExporter({ registry })).toThrow(/one MonitorExporter per registry/);
    const ca = new MetricsCollector({ engine, registry, labels: { model: 'a' } });
    const cb = new MetricsCollector({ engine, registry, labels: { model: 'b' } });
    ca.record('x', 1);
    cb.recordMany('x', [1, 2]);
    const c = await scrape(registry);
    expect(value(c, `${M.recorded}_count`, { model: 'a', metric: 'x' })).toBe(1);
    expect(value(c, `${M.recorded}_count`, { model: 'b', metric: 'x' })).toBe(2);
    expect(() => new MetricsCollector({ engine, registry, labels: { model: 'a' } })).toThrow(
      ConfigError,
    );
    await Promise.all([ca.close(), cb.close()]);
    await Promise.all([a.close(), b.close()]);
  });

  it('no registry option: nothing registered anywhere; bad registry or labels are ConfigErrors', async () => {
    const before = (await defaultRegistry.getMetricsAsJSON()).map((f) => f.name);
    const tracker = new LatencyTracker({ engine });
    tracker.record(5);
    const collector = new MetricsCollector({ engine });
    collector.record('x', 1);
    const monitor = new PerformanceMonitor();
    monitor.update(1, 1);
    const alerts = new AlertSystem();
    alerts.addRule(new AlertRule('r', () => true, 'info'));
    alerts.evaluate({});
    const detector = new DriftDetector([1, 2, 3, 4], { engine });
    await detector.detect([1, 2, 3, 5]);
    const after = (await defaultRegistry.getMetricsAsJSON()).map((f) => f.name);
    expect(after).toEqual(before);
    expect(after.some((n) => n.startsWith('edgewatch_'))).toBe(false);
    expect(linkMonitor({}, 'X', {}, () => undefined)).toBeUndefined();
    expect(() => new LatencyTracker({ engine, registry: {} as never })).toThrow(ConfigError);
    expect(() => new PerformanceMonitor({ labels: { host: 'x' } as never })).toThrow(ConfigError);
    expect(
      () => new AlertSystem({ registry: new Registry(), labels: { model: 7 } as never }),
    ).toThrow(/expected label "model" to be a string/);
    expect(
      () => new DriftDetector([1, 2], { engine, registry: new Registry(), featureName: '' }),
    ).toThrow(ConfigError);
    await Promise.all([tracker.close(), collector.close(), detector.dispose()]);
  });

  it('on a worker engine the registry never crosses the boundary (DriftDetector, LatencyTracker)', async () => {
    const worker = await createEngine({ mode: 'worker' });
    try {
      const registry = new Registry();
      // First: its histogram holds a collect function, which cannot be structured-cloned.
      const tracker = new LatencyTracker({ engine: worker, registry });
      const detector = new DriftDetector([1, 2, 3, 4, 5, 6], {
        engine: worker,
        registry,
        featureName: 'speed',
        method: 'ks',
      });
      tracker.recordMany([1, 2, 3]);
      await detector.detect([4, 5, 6, 7, 8, 9]);
      const all = await scrape(registry);
      expect(value(all, M.drift, { feature: 'speed', method: 'ks' })).toBeCloseTo(
        ksExact([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9]),
        12,
      );
      expect(value(all, `${M.latency}_count`)).toBe(3);
      await Promise.all([tracker.close(), detector.dispose()]);
    } finally {
      await worker.close();
    }
  });

  it.skipIf(promtoolMissing)(
    'the exposition of every real monitor passes promtool check metrics',
    async () => {
      const registry = new Registry();
      const latency = new LatencyTracker({
        engine,
        registry,
        labels: { model: 'perception', model_version: '2', device: 'robot "7"\\' },
      });
      latency.recordMany([0.3, 5, 120, NaN]);
      const collector = new MetricsCollector({ engine, registry, labels: { model: 'perception' } });
      collector.recordMany('confidence', [0.2, 0.9, 0.95, NaN]);
      const perf = new PerformanceMonitor({
        task: 'binary',
        baseline: { auc: 0.9 },
        registry,
        labels: { model: 'perception' },
      });
      for (let i = 0; i < 40; i++) perf.update((i % 10) / 10, i % 3 === 0 ? 1 : 0);
      const alerts = new AlertSystem({ registry, labels: { model: 'perception' } });
      alerts.addRule(new AlertRule('auc_drop', () => true, 'critical'));
      alerts.evaluate({});
      const detector = new DriftDetector(
        { speed: [1, 2, 3, 4, 5, 6, 7, 8], kind: ['a', 'b', 'a', 'b', 'a', 'a', 'b', 'a'] },
        { engine, registry, labels: { model: 'perception' } },
      );
      await detector.detect({ speed: [5, 6, 7, 8, 9, NaN], kind: ['a', 'a', 'a', 'b', 'a', 'a'] });
      const text = await registry.metrics();
      expectPromtoolClean(text);
      const names = new Set(parseExposition(text, 'prometheus').map((f) => f.name));
      for (const key of [...MONITOR_FAMILY_KEYS, 'driftShare', 'recorded'] as const)
        expect(names).toContain(M[key]);
      await Promise.all([latency.close(), collector.close(), detector.dispose()]);
    },
  );
});
