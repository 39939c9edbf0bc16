import { describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../src/collector/server.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher, type FlusherEvent } from '../../src/transport/flusher.js';
import { WindowSealer } from '../../src/window/window-sealer.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { sketchBytes } from '../window/make-record.js';

describe('outage: collector down for 10 flush cycles, then up', () => {
  it('delivers every window, in seal order, exactly once', async () => {
    // Learn a free port, then take the collector down.
    let collector: Collector = await startCollector({ port: 0, dbPath: ':memory:' });
    const port = collector.port;
    await collector.close();

    const store = await WindowStore.open({ backend: 'memory', persist: false });
    const sealed: WindowRecord[] = [];
    let i = 0;
    const sealer = new WindowSealer({
      deviceId: 'robot-7',
      model: { name: 'perception', version: '3' },
      sink: async (r) => {
        await store.append(r);
        sealed.push(r);
      },
      collect: () => ({
        sketches: { latency: sketchBytes([i + 1, i + 2]) },
        counters: { predictions: 2 },
        drift: [],
        alerts: [],
      }),
    });
    const events: FlusherEvent[] = [];
    const flusher = new Flusher({
      store,
      endpoint: `http://127.0.0.1:${port}/v1/windows`,
      intervalMs: 20,
      backoff: { baseMs: 5, maxMs: 20 },
      maxBatchBytes: 2048, // several batches per cycle once the collector is back
      onEvent: (e) => events.push(e),
    });
    flusher.start();
    const failedCycles = (): number => events.filter((e) => e.type === 'retry').length;
    for (let bound = 0; failedCycles() < 10 && bound < 500; bound++) {
      i++;
      await sealer.seal();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(failedCycles()).toBeGreaterThanOrEqual(10);
    expect(events.some((e) => e.type === 'delivered')).toBe(false);
    const outboxDuringOutage = (await store.stats()).outbox.count;
    expect(outboxDuringOutage).toBe(sealed.length);

    collector = await startCollector({ port, dbPath: ':memory:' });
    try {
      await expect
        .poll(async () => (await store.stats()).outbox.count, { timeout: 10_000, interval: 20 })
        .toBe(0);
      const res = (await (await fetch(`${collector.url}/v1/windows?limit=1000`)).json()) as {
        windows: WindowRecord[];
      };
      expect(res.windows.map((w) => w.windowId)).toEqual(sealed.map((w) => w.windowId));
      expect(collector.stats().duplicates).toBe(0);
      expect(collector.stats().accepted).toBe(sealed.length);
    } finally {
      await flusher.stop();
      await store.close();
      await collector.close();
    }
  });
});
