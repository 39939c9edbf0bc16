/**
 * End to end on 127.0.0.1: an EdgeMonitor with an endpoint delivers its windows
 * to a real collector (port 0, in-memory SQLite), read back with GET /v1/windows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../src/collector/index.js';
import { createEngine } from '../../src/engine/client.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { record, referenceTable, rng, normal } from './helpers.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function windowsOf(c: Collector, q = ''): Promise<WindowRecord[]> {
  const res = await fetch(`${c.url}/v1/windows?limit=1000${q}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { windows: WindowRecord[] }).windows;
}

describe('EdgeMonitor -> collector', () => {
  it('delivers every sealed window, tagged, exactly once', async () => {
    const collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
    cleanup.push(() => collector.close());
    const engine = await createEngine({ mode: 'inline' });
    cleanup.push(() => engine.close());
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    cleanup.push(() => store.close());
    const m = await EdgeMonitor.create({
      model: { name: 'perception', version: '4' },
      deviceId: 'robot-9',
      engine,
      reference: referenceTable(300, 11),
      baseline: { accuracy: 0.9 },
      windowCount: 50,
      store,
      endpoint: { endpoint: `${collector.url}/v1/windows`, intervalMs: 60_000 },
    });
    cleanup.push(() => m.close());
    const rec = record(m);
    const u = rng(12);
    for (let i = 0; i < 120; i++) {
      m.observe({
        features: { x: normal(u), c: 'abc'[i % 3]! },
        prediction: i % 4 === 0 ? 0 : 1,
        label: 1,
        latencyMs: 2 + 10 * u(),
      });
    }
    await m.close();
    expect(rec.errors).toEqual([]);
    const sent = rec.windows.map((w) => w.record);
    expect(sent.map((r) => r.counters.predictions)).toEqual([50, 50, 20]);
    const got = await windowsOf(collector, '&device=robot-9&model=perception&version=4');
    expect(got.map((r) => r.windowId).sort()).toEqual(sent.map((r) => r.windowId).sort());
    for (const r of got) {
      const mine = sent.find((s) => s.windowId === r.windowId)!;
      expect(r).toEqual(JSON.parse(JSON.stringify(mine)));
    }
    expect(collector.stats().accepted).toBe(3);
    expect(collector.stats().duplicates).toBe(0);
    expect((await store.stats()).outbox.count).toBe(0);
    // The collector exposes the tag as Prometheus labels.
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(/model="perception"/);
    expect(metrics).toMatch(/model_version="4"/);
  });

  it('exports output drift as edgewatch_output_drift_* and keeps it out of the input drift share', async () => {
    const collector = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
    cleanup.push(() => collector.close());
    const engine = await createEngine({ mode: 'inline' });
    cleanup.push(() => engine.close());
    const u = rng(21);
    const m = await EdgeMonitor.create({
      model: { name: 'perception', version: '5' },
      deviceId: 'robot-3',
      engine,
      reference: referenceTable(300, 22),
      predictionReference: Array.from({ length: 400 }, () => (u() < 0.7 ? 'go' : 'stop')),
      windowCount: 100,
      store: { backend: 'memory', persist: false },
      endpoint: { endpoint: `${collector.url}/v1/windows`, intervalMs: 60_000 },
    });
    cleanup.push(() => m.close());
    const rec = record(m);
    for (let i = 0; i < 100; i++)
      m.observe({ features: { x: normal(u), c: 'abc'[i % 3]! }, prediction: 'stop' });
    await m.close();
    expect(rec.errors).toEqual([]);
    const out = rec.windows[0]!.record.drift.find((d) => d.source === 'output')!;
    // Two classes: the auto rule picks the two-proportion z-test.
    expect(out).toMatchObject({ feature: 'prediction', method: 'ztest', isDrift: true });
    const features = rec.windows[0]!.record.drift.filter((d) => d.source !== 'output');
    const share = features.filter((d) => d.isDrift).length / features.length;
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    const labels = 'model="perception",model_version="5",device="robot-3"';
    const value = (name: string, extra = ''): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}${extra}}`));
      expect(line, name).toBeDefined();
      return Number(line!.split(' ').at(-1));
    };
    expect(value('edgewatch_output_drift_statistic', ',method="ztest"')).toBeCloseTo(
      out.statistic,
      9,
    );
    expect(value('edgewatch_output_drift_detected', ',method="ztest"')).toBe(1);
    expect(value('edgewatch_output_drift_p_value', ',method="ztest"')).toBeCloseTo(out.pValue!, 12);
    expect(value('edgewatch_drift_share_ratio')).toBe(share);
    expect(text).not.toMatch(/edgewatch_drift_statistic\{[^}]*feature="prediction"/);
  });
});
