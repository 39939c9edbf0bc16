/**
 * The lazy link between the monitors and the Prometheus exporter
 * (src/metrics/monitor-link.ts, `Registry.defer`): no static import of the
 * exporter from any monitor (checked on a real esbuild bundle), scrapes wait
 * for pending attachments, failed attachments are reported and counted (never
 * unhandled), fires before the attachment are counted, duplicate labels are
 * refused synchronously and freed at once on close.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { AlertRule } from '../../src/alerts/alert-rule.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { linkMonitor } from '../../src/metrics/monitor-link.js';
import { claimLabels, releaseLabels } from '../../src/metrics/label-claims.js';
import { Registry } from '../../src/prometheus/registry.js';
import { MonitorExporter } from '../../src/metrics/prom-monitors.js';
import { EDGEWATCH_METRICS } from '../../src/export/metric-names.js';
import { ConfigError } from '../../src/errors.js';
import { parseExposition } from '../export/parse-exposition.js';
import { eagerAndLazyModules, expectOnlyLazy } from '../support/eager-modules.js';
import type { ParsedSample } from '../export/parse-exposition.js';
import { useEngine } from '../support/per-file.js';

const M = EDGEWATCH_METRICS;

async function scrape(registry: Registry): Promise<ParsedSample[]> {
  return parseExposition(await registry.metrics(), 'prometheus').flatMap((f) => f.samples);
}
function values(all: ParsedSample[], name: string, where: Record<string, string> = {}): number[] {
  return all
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .map((s) => s.value);
}

let engine: EngineHandle;
useEngine({ mode: 'inline' }, (e) => (engine = e));

describe('monitor link', () => {
  it('no monitor imports the exporter, the registry or the metric classes statically (esbuild bundle)', async () => {
    const monitors = [
      'src/metrics/latency-tracker.ts',
      'src/metrics/metrics-collector.ts',
      'src/performance/performance-monitor.ts',
      'src/drift/drift-detector.ts',
      'src/alerts/alert-system.ts',
    ];
    const split = await eagerAndLazyModules(monitors, 'monitor-link-test');
    for (const m of monitors) expect(split.eager).toContain(m);
    expect(split.eager).toContain('src/metrics/monitor-link.ts');
    expectOnlyLazy(split, [
      'src/metrics/prom-monitors.ts',
      'src/metrics/prom-monitor-families.ts',
      'src/prometheus/registry.ts',
      'src/prometheus/metric.ts',
      'src/prometheus/histogram.ts',
      'src/export/exposition.ts',
    ]);
  });

  it('a scrape right after construction sees the monitor; fires before the attachment are counted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        async (accuracies) => {
          const registry = new Registry();
          const alerts = new AlertSystem<{ accuracy: number }>({
            registry,
            labels: { model: 'p' },
          });
          alerts.addRule(new AlertRule('drop', (m) => m.accuracy < 0.5, 'critical'));
          // All synchronous: the exporter cannot have been loaded and attached yet.
          for (const accuracy of accuracies) alerts.evaluate({ accuracy });
          let episodes = 0;
          let prev = false;
          for (const a of accuracies) {
            if (a < 0.5 && !prev) episodes++;
            prev = a < 0.5;
          }
          const all = await scrape(registry);
          expect(values(all, M.alertsFired, { alert: 'drop' })).toEqual(
            episodes > 0 ? [episodes] : [],
          );
          expect(values(all, M.alertsFiring, { alert: 'drop' })).toEqual(prev ? [1] : []);
          // Later fires go straight to the exporter's counter (no double counting).
          alerts.evaluate({ accuracy: 1 });
          alerts.evaluate({ accuracy: 0 });
          expect(values(await scrape(registry), M.alertsFired, { alert: 'drop' })).toEqual([
            episodes + 1,
          ]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a failed attachment goes to onError and is counted; a throwing onError is contained', async () => {
    const seen: [string, string][] = [];
    const registry = new Registry({
      onError: (e, name) => {
        seen.push([(e as Error).message, name]);
        throw new Error('onError itself fails');
      },
    });
    const link = linkMonitor({ registry }, 'Broken', {}, () => {
      throw new Error('attach failed');
    });
    expect(link).toBeDefined();
    const all = await scrape(registry);
    expect(seen).toEqual([['attach failed', 'Broken']]);
    expect(values(all, M.collectErrors, { metric: 'Broken' })).toEqual([1]);
    expect(link?.exporter).toBeUndefined();
    // Work run after a failed attachment is skipped, not thrown.
    let ran = false;
    link?.run(() => (ran = true));
    await registry.metrics();
    expect(ran).toBe(false);
    expect(values(await scrape(registry), M.collectErrors, { metric: 'Broken' })).toEqual([1]);
  });

  it('duplicate labels are refused synchronously and freed at once on close, even before the attachment', async () => {
    const registry = new Registry();
    const a = new LatencyTracker({ engine, registry, labels: { model: 'a' } });
    expect(() => new LatencyTracker({ engine, registry, labels: { model: 'a' } })).toThrow(
      /distinct labels for each LatencyTracker/,
    );
    // Another kind, or another registry, may use the same labels.
    const alerts = new AlertSystem({ registry, labels: { model: 'a' } });
    const other = new LatencyTracker({ engine, registry: new Registry(), labels: { model: 'a' } });
    const closing = a.close(); // before any scrape: the attachment is still pending
    const b = new LatencyTracker({ engine, registry, labels: { model: 'a' } });
    await closing;
    b.recordMany([1, 2]);
    const all = await scrape(registry);
    expect(values(all, `${M.latency}_count`, { model: 'a' })).toEqual([2]);
    expect(alerts.firing()).toEqual([]);
    await Promise.all([b.close(), other.close()]);
    expect(values(await scrape(registry), `${M.latency}_count`)).toEqual([]);
  });

  it('claimLabels / releaseLabels: per registry and kind, re-claim by the same source allowed', () => {
    const registry = {};
    const s1 = {};
    const s2 = {};
    expect(claimLabels(registry, 'K', s1, { model: 'm' })).toEqual({
      model: 'm',
      model_version: '',
      device: '',
    });
    expect(() => claimLabels(registry, 'K', s1, { model: 'm' })).not.toThrow();
    expect(() => claimLabels(registry, 'K', s2, { model: 'm', device: '' })).toThrow(ConfigError);
    expect(() => claimLabels(registry, 'J', s2, { model: 'm' })).not.toThrow();
    releaseLabels(registry, s1);
    expect(() => claimLabels(registry, 'K', s2, { model: 'm' })).not.toThrow();
    expect(() => claimLabels(registry, 'K', s1, { host: 'x' } as never)).toThrow(ConfigError);
  });

  it('work run before the attachment waits for it, and the next scrape waits for the work', async () => {
    const registry = new Registry();
    const order: string[] = [];
    const link = linkMonitor({ registry }, 'K', {}, () => order.push('attach'));
    expect(link?.exporter).toBeUndefined(); // the exporter module loads asynchronously
    link?.run(() => order.push('run'));
    expect(order).toEqual([]);
    await registry.metrics();
    expect(order).toEqual(['attach', 'run']);
    expect(link?.exporter).toBe(MonitorExporter.for(registry));
    link?.run(() => order.push('now')); // attached: runs at once
    expect(order).toEqual(['attach', 'run', 'now']);
  });

  it('DriftDetector publishes each detect() result through the link', async () => {
    const registry = new Registry();
    const detector = new DriftDetector([1, 2, 3, 4], {
      engine,
      registry,
      featureName: 'speed',
      method: 'ks',
    });
    const r = await detector.detect([3, 4, 5, 6]);
    const all = await scrape(registry);
    expect(values(all, M.drift, { feature: 'speed', method: 'ks' })).toEqual([r.statistic]);
    await detector.dispose();
    expect(values(await scrape(registry), M.drift)).toEqual([]);
  });
});
