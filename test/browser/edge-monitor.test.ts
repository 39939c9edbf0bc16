/**
 * EdgeMonitor in real Chromium: the default engine (a module Web Worker on the
 * WASM kernels) and the default store (real IndexedDB). Windows sealed by the
 * monitor are durable: a store reopened on the same database holds them.
 */
import { describe, expect, it } from 'vitest';
import { getDefaultEngine } from '../../src/engine/client.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { normal, record, referenceTable, rng } from '../session/helpers.js';

describe('EdgeMonitor in Chromium (worker engine, IndexedDB)', () => {
  it('seals tagged windows with drift, latency and alerts into IndexedDB', async () => {
    const name = `ew-edge-${Date.now()}`;
    const m = await EdgeMonitor.create({
      model: { name: 'perception', version: '7' },
      deviceId: 'tab-1',
      reference: referenceTable(500, 21),
      drift: { threshold: 0.001 },
      baseline: { accuracy: 0.95 },
      windowCount: 200,
      store: { name },
    });
    const rec = record(m);
    expect(m.store.kind).toBe('indexeddb');
    const engine = await getDefaultEngine();
    expect(engine.mode).toBe('worker');
    const u = rng(22);
    for (let i = 0; i < 400; i++) {
      const shifted = i >= 200;
      m.observe({
        features: { x: normal(u) + (shifted ? 2 : 0), c: shifted ? 'c' : 'abc'[i % 3]! },
        prediction: shifted && i % 2 === 0 ? 'stop' : 'go',
        label: 'go',
        latencyMs: 1 + u() * 4,
      });
    }
    await m.close();
    expect(rec.errors).toEqual([]);
    const sealed = rec.windows.map((w) => w.record);
    expect(sealed).toHaveLength(2);
    for (const r of sealed) {
      expect(validateWindowRecord(r)).toEqual([]);
      expect(r.model).toEqual({ name: 'perception', version: '7' });
      expect(r.counters.predictions).toBe(200);
      expect(r.sketches.latency?.length).toBeGreaterThan(0);
    }
    expect(rec.windows.map((w) => w.latency.count)).toEqual([200, 200]);
    expect(sealed[0]!.alerts).toEqual([]);
    expect(sealed[1]!.alerts.map((a) => a.name).sort()).toEqual(['accuracy_drop', 'drift']);
    expect(rec.drifts.map((d) => [d.isDrift, d.modelVersion])).toEqual([
      [false, '7'],
      [true, '7'],
    ]);
    expect(rec.alerts.every((a) => a.labels.model_version === '7')).toBe(true);

    const again = await WindowStore.open({ name });
    const stored = await again.peek(10);
    expect(stored.map((e) => e.record)).toEqual(sealed);
    await again.close();
  });
});
