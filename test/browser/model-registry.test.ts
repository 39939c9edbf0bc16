import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import { ResourceMonitor } from '../../src/lifecycle/resource-monitor.js';
import { ConfigError } from '../../src/errors.js';

const dbName = `edgewatch-models-browser-${Date.now()}`;

describe('ModelRegistry in real Chromium IndexedDB', () => {
  it('register, close, reopen, read back (versions, baselines, reference stats, active version)', async () => {
    expect(typeof indexedDB).toBe('object');
    const a = await ModelRegistry.open({ name: dbName });
    expect(a.storage).toBe('indexeddb');
    await a.register({
      name: 'perception',
      version: '1',
      baseline: { accuracy: 0.91 },
      createdAt: 1,
    });
    await a.register({
      name: 'perception',
      version: '2',
      baseline: { accuracy: 0.93 },
      reference: {
        features: { speed: { mean: 3.2, std: 1.1, quantiles: new Float64Array([1, 2, 3]) } },
      },
      metadata: { trainedAt: '2026-11-01' },
      createdAt: 2,
    });
    await a.setActive('perception', '2');
    a.close();

    const b = await ModelRegistry.open({ name: dbName });
    expect(b.list('perception').map((m) => m.version)).toEqual(['1', '2']);
    expect(b.getActive('perception')?.version).toBe('2');
    const v2 = b.get('perception', '2');
    expect(v2.baseline).toEqual({ accuracy: 0.93 });
    expect(v2.metadata).toEqual({ trainedAt: '2026-11-01' });
    const q = (v2.reference as { features: { speed: { quantiles: Float64Array } } }).features.speed
      .quantiles;
    expect(q).toBeInstanceOf(Float64Array);
    expect([...q]).toEqual([1, 2, 3]);
    expect(() => b.get('perception', '3')).toThrow(ConfigError);
    b.close();
  });

  it("uses its own database, separate from the window store's", async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toContain(dbName);
    const c = await ModelRegistry.open({ name: dbName });
    await c.remove('perception', '1');
    c.close();
    const d = await ModelRegistry.open({ name: dbName });
    expect(d.list().map((m) => m.version)).toEqual(['2']);
    d.close();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(dbName);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
    });
  });
});

describe('ResourceMonitor in Chromium', () => {
  it('reads memory (performance.memory, the page is not cross-origin isolated) and the storage estimate', async () => {
    const monitor = new ResourceMonitor({ memoryTimeoutMs: 500 });
    const memory = await monitor.memory();
    expect(memory).toMatchObject({ supported: true });
    if (memory.supported) {
      expect(memory.bytes).toBeGreaterThan(0);
      expect(crossOriginIsolated ? 'measureUserAgentSpecificMemory' : 'performance.memory').toBe(
        memory.source,
      );
    }
    const storage = await monitor.storage();
    expect(storage).toMatchObject({ supported: true });
    if (storage.supported) {
      expect(storage.quotaBytes).toBeGreaterThan(0);
      expect(storage.usedFraction).toBeGreaterThanOrEqual(0);
      expect(storage.usedFraction).toBeLessThanOrEqual(1);
    }
  });
});
