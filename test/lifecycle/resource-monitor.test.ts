import { describe, expect, it } from 'vitest';
import { ResourceMonitor } from '../../src/lifecycle/resource-monitor.js';
import { storageQuotaBudget } from '../../src/lifecycle/budget-rules.js';

describe('ResourceMonitor', () => {
  it('Node: memory from process.memoryUsage (heapUsed + external), storage unsupported', async () => {
    const monitor = new ResourceMonitor();
    const m = await monitor.memory();
    expect(m.supported).toBe(true);
    if (m.supported) {
      expect(m.source).toBe('process.memoryUsage');
      const u = process.memoryUsage();
      // same order of magnitude as a reading taken right after
      expect(m.bytes / (u.heapUsed + u.external)).toBeGreaterThan(0.5);
      expect(m.bytes / (u.heapUsed + u.external)).toBeLessThan(2);
    }
    const s = await monitor.storage();
    expect(s).toEqual({
      supported: false,
      reason: expect.stringContaining('navigator.storage.estimate'),
    });
    const sample = await monitor.sample();
    expect(sample.memoryBytes).toBeGreaterThan(0);
    expect(sample.storageUsedFraction).toBeUndefined();
    expect(sample.unsupported.storage).toMatch(/not available/);
  });

  it('an environment with none of the APIs gives clear unsupported results, never throws', async () => {
    const monitor = new ResourceMonitor({ env: {} });
    await expect(monitor.memory()).resolves.toEqual({
      supported: false,
      reason: expect.stringContaining('no performance.memory'),
    });
    await expect(monitor.storage()).resolves.toMatchObject({ supported: false });
    await expect(monitor.sample()).resolves.toEqual({
      storageWriteFailures: 0,
      unsupported: { memory: expect.any(String), storage: expect.any(String) },
    });
  });

  const bothMemoryApis = {
    measureUserAgentSpecificMemory: async () => ({ bytes: 12345, breakdown: [] }),
    memory: { usedJSHeapSize: 999 },
  };
  it.each([
    {
      crossOriginIsolated: true,
      reading: {
        supported: true,
        bytes: 12345,
        source: 'measureUserAgentSpecificMemory',
        ageMs: expect.any(Number),
      },
    },
    {
      crossOriginIsolated: false,
      reading: {
        supported: true,
        bytes: 999,
        source: 'performance.memory',
        fallbackReason: expect.stringContaining('cross-origin-isolated'),
      },
    },
  ])(
    'both memory APIs, crossOriginIsolated $crossOriginIsolated: measureUserAgentSpecificMemory when isolated, else performance.memory with the reason',
    async ({ crossOriginIsolated, reading }) => {
      await expect(
        new ResourceMonitor({ env: { performance: bothMemoryApis, crossOriginIsolated } }).memory(),
      ).resolves.toEqual(reading);
    },
  );

  it('only the precise API and not cross-origin isolated: unsupported, with the reason', async () => {
    const onlyPrecise = { measureUserAgentSpecificMemory: async () => ({ bytes: 1 }) };
    const r = await new ResourceMonitor({
      env: { performance: onlyPrecise, crossOriginIsolated: false },
    }).memory();
    expect(r).toMatchObject({
      supported: false,
      reason: expect.stringContaining('cross-origin-isolated'),
    });
  });

  it('a hanging or throwing precise API falls back within the timeout', async () => {
    const hanging = {
      measureUserAgentSpecificMemory: () => new Promise(() => {}),
      memory: { usedJSHeapSize: 5 },
    };
    const t0 = Date.now();
    await expect(
      new ResourceMonitor({
        env: { performance: hanging, crossOriginIsolated: true },
        memoryTimeoutMs: 50,
      }).memory(),
    ).resolves.toMatchObject({ bytes: 5 });
    expect(Date.now() - t0).toBeLessThan(2000);
    const throwing = {
      measureUserAgentSpecificMemory: async () => {
        throw new DOMException('not allowed', 'SecurityError');
      },
    };
    const r = await new ResourceMonitor({
      env: { performance: throwing, crossOriginIsolated: true },
    }).memory();
    expect(r).toMatchObject({ supported: false, reason: expect.stringContaining('SecurityError') });
    const badProcess = {
      memoryUsage: () => {
        throw new Error('EPERM');
      },
    };
    await expect(
      new ResourceMonitor({ env: { process: badProcess } }).memory(),
    ).resolves.toMatchObject({ supported: false, reason: expect.stringContaining('EPERM') });
  });

  it('storage estimate: usage, quota, fraction and details; failures are unsupported', async () => {
    const nav = {
      storage: {
        estimate: async () => ({ usage: 250, quota: 1000, usageDetails: { indexedDB: 200 } }),
      },
    };
    await expect(new ResourceMonitor({ env: { navigator: nav } }).storage()).resolves.toEqual({
      supported: true,
      usageBytes: 250,
      quotaBytes: 1000,
      usedFraction: 0.25,
      usageDetails: { indexedDB: 200 },
      writeFailures: 0,
    });
    const failing = {
      storage: {
        estimate: async () => {
          throw new TypeError('blocked');
        },
      },
    };
    await expect(
      new ResourceMonitor({ env: { navigator: failing } }).storage(),
    ).resolves.toMatchObject({ supported: false, reason: expect.stringContaining('blocked') });
    await expect(
      new ResourceMonitor({
        env: { navigator: { storage: { estimate: async () => ({}) } } },
      }).storage(),
    ).resolves.toMatchObject({ supported: false });
  });

  it('a slow precise API (17 s, like Chromium at the next GC) is not abandoned: the result arrives on a later call', async () => {
    let t = 0;
    let resolvePrecise: (v: unknown) => void = () => {};
    let calls = 0;
    const perf = {
      measureUserAgentSpecificMemory: () => {
        calls++;
        return new Promise((resolve) => (resolvePrecise = resolve));
      },
      memory: { usedJSHeapSize: 7 },
    };
    const monitor = new ResourceMonitor({
      env: { performance: perf, crossOriginIsolated: true },
      memoryTimeoutMs: 20,
      now: () => t,
    });
    t = 1000;
    const first = await monitor.memory();
    expect(first).toMatchObject({
      source: 'performance.memory',
      bytes: 7,
      fallbackReason: expect.stringContaining('pending'),
    });
    t = 9000;
    // still pending: the same measurement, not a new one
    await monitor.memory();
    expect(calls).toBe(1);
    t = 18_000;
    resolvePrecise({ bytes: 4242 });
    await new Promise((r) => setTimeout(r, 0));
    t = 19_000;
    await expect(monitor.memory()).resolves.toEqual({
      supported: true,
      bytes: 4242,
      source: 'measureUserAgentSpecificMemory',
      ageMs: 1000,
    });
    expect(calls).toBe(1);
  });

  it('storage budget trips on failed writes while estimate() still reports room', async () => {
    let t = 0;
    const nav = { storage: { estimate: async () => ({ usage: 1e6, quota: 10 * 2 ** 30 }) } };
    const monitor = new ResourceMonitor({ env: { navigator: nav }, now: () => t });
    const rule = storageQuotaBudget(0.8);
    expect((await monitor.sample()).storageWriteFailures).toBe(0);
    expect(rule.condition(await monitor.sample())).toBe(false);
    monitor.onStoreEvent({ type: 'drop', reason: 'quota', count: 1 });
    monitor.onStoreEvent({ type: 'drop', reason: 'cap_bytes', count: 1 });
    const m = await monitor.sample();
    expect(m.storageUsedFraction).toBeLessThan(0.001);
    expect(m.storageWriteFailures).toBe(1);
    expect(rule.condition(m)).toBe(true);
    // failures age out of the window
    t = 300_001;
    expect(rule.condition(await monitor.sample())).toBe(false);
    // even with no estimate() at all
    const bare = new ResourceMonitor({ env: {}, now: () => t });
    bare.recordWriteFailure(new DOMException('full', 'QuotaExceededError'));
    expect(rule.condition(await bare.sample())).toBe(true);
  });
});
