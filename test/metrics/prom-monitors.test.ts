import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { MonitorExporter } from '../../src/metrics/prom-monitors.js';
import type { AlertSource, LatencySource } from '../../src/metrics/prom-monitor-sources.js';
import { Registry } from '../../src/prometheus/registry.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { EDGEWATCH_METRICS, LATENCY_BUCKETS_MS } from '../../src/export/metric-names.js';
import { ConfigError } from '../../src/errors.js';
import { parseExposition } from '../export/parse-exposition.js';
import type { ParsedSample } from '../export/parse-exposition.js';
import { expectPromtoolClean, promtoolMissing } from '../support/promtool.js';
import { MONITOR_FAMILY_KEYS } from './monitor-family-keys.js';

/** A latency source backed by a real reference-kernel sketch (milliseconds). */
function latencySource(values: number[], dropped = 0): LatencySource {
  const k = createReferenceKernel();
  const h = k.sketchCreate(7);
  k.sketchRecord(h, Float64Array.from(values));
  return {
    snapshot: () => Promise.resolve({ sketch: k.sketchSerialize(h), percentiles: { dropped } }),
  };
}

function alertSource(
  firing: { name: string; severity: string }[],
): AlertSource & { fire: (a: { name: string; severity: string }) => void } {
  const listeners = new Set<(a: { name: string; severity: string }) => void>();
  return {
    firing: () => firing,
    on: (_event, fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    fire: (a) => listeners.forEach((fn) => fn(a)),
  };
}

async function samples(registry: Registry, name: string): Promise<ParsedSample[]> {
  return parseExposition(await registry.metrics(), 'prometheus').flatMap((f) =>
    f.samples.filter((s) => s.name === name),
  );
}

describe('MonitorExporter', () => {
  it('latency: classic buckets in seconds, exact at the power-of-two ms boundaries (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 20_000, noNaN: true }), { maxLength: 400 }),
        async (ms) => {
          const registry = new Registry();
          new MonitorExporter({ registry }).addLatency(latencySource(ms), {
            model: 'm',
            device: 'd',
          });
          const buckets = await samples(registry, `${EDGEWATCH_METRICS.latency}_bucket`);
          expect(buckets.map((b) => b.labels['le'])).toEqual([
            ...LATENCY_BUCKETS_MS.map((b) => String(b / 1000)),
            '+Inf',
          ]);
          LATENCY_BUCKETS_MS.forEach((b, i) =>
            expect(buckets[i]?.value).toBe(ms.filter((v) => v <= b).length),
          );
          expect(buckets.at(-1)?.value).toBe(ms.length);
          const [sum] = await samples(registry, `${EDGEWATCH_METRICS.latency}_sum`);
          expect(sum?.value).toBeCloseTo(ms.reduce((s, v) => s + v, 0) / 1000, 6);
          expect(buckets[0]?.labels).toMatchObject({ model: 'm', model_version: '', device: 'd' });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('performance: accuracy, named metrics and degradation, NaN left out; dropped counted as deltas', async () => {
    const registry = new Registry();
    const exporter = new MonitorExporter({ registry });
    let dropped = 2;
    const monitor = {
      getMetrics: () => ({
        accuracy: 0.9,
        mae: 0.1,
        f1: NaN,
        numSamples: 100,
        dropped,
        degradation: { accuracy: 0.03, mae: NaN },
      }),
    };
    exporter.addPerformance(monitor, { model: 'perception', model_version: '2' });
    expect((await samples(registry, EDGEWATCH_METRICS.accuracy))[0]?.value).toBe(0.9);
    const perf = await samples(registry, EDGEWATCH_METRICS.performance);
    expect(Object.fromEntries(perf.map((s) => [s.labels['metric'], s.value]))).toEqual({
      accuracy: 0.9,
      mae: 0.1,
    });
    const deg = await samples(registry, EDGEWATCH_METRICS.degradation);
    expect(deg.map((s) => [s.labels['metric'], s.value])).toEqual([['accuracy', 0.03]]);
    dropped = 5;
    const d = await samples(registry, EDGEWATCH_METRICS.valuesDropped);
    expect(d.map((s) => [s.labels['reason'], s.value])).toEqual([['performance', 5]]);
    exporter.remove(monitor);
    expect(await samples(registry, EDGEWATCH_METRICS.accuracy)).toEqual([]);
  });

  it('alerts: firing gauge read at scrape time, fired counter on events, unsubscribed on remove', async () => {
    const registry = new Registry();
    const exporter = new MonitorExporter({ registry });
    const firing = [{ name: 'accuracy_drop', severity: 'critical' }];
    const alerts = alertSource(firing);
    exporter.addAlerts(alerts, { model: 'perception', device: 'r7' });
    alerts.fire({ name: 'accuracy_drop', severity: 'critical' });
    alerts.fire({ name: 'accuracy_drop', severity: 'critical' });
    const f = await samples(registry, EDGEWATCH_METRICS.alertsFiring);
    expect(
      f.map((s) => [s.labels['alert'], s.labels['severity'], s.labels['device'], s.value]),
    ).toEqual([['accuracy_drop', 'critical', 'r7', 1]]);
    expect((await samples(registry, EDGEWATCH_METRICS.alertsFired))[0]?.value).toBe(2);
    firing.length = 0;
    expect(await samples(registry, EDGEWATCH_METRICS.alertsFiring)).toEqual([]);
    exporter.remove(alerts);
    alerts.fire({ name: 'accuracy_drop', severity: 'critical' });
    expect((await samples(registry, EDGEWATCH_METRICS.alertsFired))[0]?.value).toBe(2);
  });

  it('drift: per-feature statistic, p-value, detected; share for a table', async () => {
    const registry = new Registry();
    const exporter = new MonitorExporter({ registry });
    exporter.publishDrift(
      {
        isDrift: true,
        driftShare: 0.5,
        features: {
          speed: { isDrift: true, method: 'ks', statistic: 0.4, pValue: 0.001 },
          color: { isDrift: false, method: 'psi', statistic: 0.02 },
        },
      },
      { model: 'perception' },
    );
    exporter.publishDrift(
      { isDrift: false, method: 'wasserstein', statistic: 0.1 },
      { model: 'other' },
      'temperature',
    );
    const stat = await samples(registry, EDGEWATCH_METRICS.drift);
    expect(
      stat.map((s) => [s.labels['model'], s.labels['feature'], s.labels['method'], s.value]),
    ).toEqual([
      ['perception', 'speed', 'ks', 0.4],
      ['perception', 'color', 'psi', 0.02],
      ['other', 'temperature', 'wasserstein', 0.1],
    ]);
    expect((await samples(registry, EDGEWATCH_METRICS.driftPValue)).map((s) => s.value)).toEqual([
      0.001,
    ]);
    expect((await samples(registry, EDGEWATCH_METRICS.driftDetected)).map((s) => s.value)).toEqual([
      1, 0, 0,
    ]);
    expect((await samples(registry, EDGEWATCH_METRICS.driftShare)).map((s) => s.value)).toEqual([
      0.5,
    ]);
  });

  it('several sources share one metric; one failing source does not hide the others', async () => {
    const onError = vi.fn();
    const registry = new Registry({ onError });
    const exporter = new MonitorExporter({ registry });
    exporter.addLatency(latencySource([1, 2, 3]), { model: 'a' });
    exporter.addLatency(
      { snapshot: () => Promise.reject(new Error('engine closed')) },
      { model: 'b' },
    );
    exporter.addLatency(latencySource([4]), { model: 'c' });
    const counts = await samples(registry, `${EDGEWATCH_METRICS.latency}_count`);
    expect(counts.map((s) => [s.labels['model'], s.value])).toEqual([
      ['a', 3],
      ['c', 1],
    ]);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'engine closed' }),
      EDGEWATCH_METRICS.latency,
    );
  });

  it('caps series per metric (cardinality) and rejects unknown label keys', async () => {
    const registry = new Registry();
    const exporter = new MonitorExporter({ registry, maxSeries: 2 });
    for (const d of ['d1', 'd2', 'd3', 'd4'])
      exporter.addLatency(latencySource([1]), { model: 'm', device: d });
    const counts = await samples(registry, `${EDGEWATCH_METRICS.latency}_count`);
    expect(counts.map((s) => [s.labels['device'], s.value])).toEqual([
      ['d1', 1],
      ['d2', 1],
      ['__overflow__', 2],
    ]);
    expect(() => exporter.addLatency(latencySource([1]), { host: 'x' } as never)).toThrow(
      ConfigError,
    );
    expect(() => new MonitorExporter({ registry: undefined as never })).toThrow(ConfigError);
  });

  it.skipIf(promtoolMissing)(
    'the standard edgewatch metric names pass promtool check metrics',
    async () => {
      const registry = new Registry();
      const exporter = new MonitorExporter({ registry });
      exporter.addLatency(latencySource([0.3, 5, 120], 1), {
        model: 'm',
        model_version: '1',
        device: 'd',
      });
      exporter.addPerformance(
        { getMetrics: () => ({ accuracy: 0.8, dropped: 3, degradation: { accuracy: 0.1 } }) },
        { model: 'm' },
      );
      const alerts = alertSource([{ name: 'x', severity: 'warning' }]);
      exporter.addAlerts(alerts, { model: 'm' });
      alerts.fire({ name: 'x', severity: 'warning' });
      exporter.publishDrift(
        { isDrift: true, method: 'ks', statistic: 0.3, pValue: 0.01 },
        { model: 'm' },
      );
      const text = await registry.metrics();
      expectPromtoolClean(text);
      for (const key of [...MONITOR_FAMILY_KEYS, 'driftPValue'] as const) {
        expect(text).toContain(`# TYPE ${EDGEWATCH_METRICS[key]} `);
      }
    },
  );
});
