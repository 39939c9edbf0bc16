// Where the engine worker comes from, in real Chromium: an explicit `workerUrl`
// (CSP-strict sites, bundlers that do not emit the worker), and the `auto`
// fallback to the inline engine, with one warning, when the worker script
// cannot be loaded.
import { describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';

const MISSING = new URL('/no-such-edgewatch-worker.js', location.href);

describe('engine worker URL (Chromium)', () => {
  it('starts the worker from an explicit workerUrl', async () => {
    const engine = await createEngine({
      mode: 'worker',
      workerUrl: new URL('../../src/engine/worker.ts', import.meta.url),
    });
    try {
      expect(engine.mode).toBe('worker');
      expect(engine.kernel).toBe('wasm');
      const t = new LatencyTracker({ engine });
      for (let i = 1; i <= 100; i++) t.record(i);
      expect(await t.percentiles()).toMatchObject({ count: 100, min: 1, max: 100, mean: 50.5 });
    } finally {
      engine.close();
    }
  });

  it('auto mode falls back to the inline engine with one warning when the worker does not load', async () => {
    const warnings: string[] = [];
    const engine = await createEngine({ workerUrl: MISSING, onWarning: (m) => warnings.push(m) });
    try {
      expect(engine.mode).toBe('inline');
      expect(engine.kernel).toBe('wasm');
      expect(engine.fallbackReason).toMatch(/engine worker did not start/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^edgewatch: the engine worker did not start .*running the engine inline/);
      const t = new LatencyTracker({ engine });
      for (let i = 1; i <= 100; i++) t.record(i);
      expect(await t.percentiles()).toMatchObject({ count: 100, min: 1, max: 100 });
    } finally {
      engine.close();
    }
  });

  it('an explicit worker mode does not fall back: it rejects with KernelError', async () => {
    const warnings: string[] = [];
    await expect(
      createEngine({ mode: 'worker', workerUrl: MISSING, onWarning: (m) => warnings.push(m) }),
    ).rejects.toThrow(KernelError);
    expect(warnings).toEqual([]);
  });

  it('refuses a workerUrl that is not a string or URL', async () => {
    await expect(createEngine({ workerUrl: 42 as unknown as string })).rejects.toThrow(/workerUrl/);
  });
});
