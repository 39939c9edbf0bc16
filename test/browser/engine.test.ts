// The engine in real Chromium: a module Web Worker started by the library
// (Vite bundles src/engine/worker.ts), the WASM kernels inside it, Comlink in
// between, LatencyTracker and MetricsCollector on the page's thread.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, KernelError } from '../../src/errors.js';
import { autoMode, createEngine, getDefaultEngine, transfer } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { MetricsCollector } from '../../src/metrics/metrics-collector.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { useEngine } from '../support/per-file.js';
import { expectPercentilesWithin } from '../metrics/percentile-check.js';

let engine: EngineHandle;
useEngine(undefined, (e) => (engine = e));

describe('engine in a module Web Worker (Chromium)', () => {
  it('auto mode picks a worker on the WASM kernels', async () => {
    expect(autoMode()).toBe('worker');
    expect(engine.mode).toBe('worker');
    expect(engine.kernel).toBe('wasm');
    expect(engine.fallbackReason).toBeUndefined();
    expect(await engine.api.kernelKind()).toBe('wasm');
  });

  it('LatencyTracker percentiles match exact sorted quantiles within the bound (property)', async () => {
    const bound = relativeErrorBound(7) * (1 + 1e-12);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 1e-3, max: 3.6e6, noNaN: true }), {
          minLength: 1,
          maxLength: 2000,
        }),
        async (values) => {
          const tracker = new LatencyTracker({ engine });
          tracker.recordMany(Float64Array.from(values));
          tracker.record(NaN);
          const p = await tracker.percentiles();
          const sorted = [...values].sort((a, b) => a - b);
          expectPercentilesWithin(p, sorted, bound);
          expect(p).toMatchObject({
            count: values.length,
            min: sorted[0],
            max: sorted[sorted.length - 1],
            dropped: 1,
          });
          await tracker.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a query sees every value recorded before it (ordering across the worker boundary)', async () => {
    const tracker = new LatencyTracker({ engine });
    const answers: Promise<number>[] = [];
    for (let round = 1; round <= 6; round++) {
      for (let i = 0; i < 5000; i++) tracker.record(i % 250);
      answers.push(tracker.percentiles().then((p) => p.count));
    }
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6].map((r) => r * 5000));
    await tracker.close();
  });

  it('MetricsCollector snapshot through the worker', async () => {
    const collector = new MetricsCollector({ engine });
    for (let i = 0; i < 1000; i++) collector.record('predictions', 1);
    collector.record('confidence', 0.25);
    collector.record('confidence', 0.75);
    const snap = await collector.snapshot();
    expect(snap.predictions).toMatchObject({
      count: 1000,
      sum: 1000,
      min: 1,
      max: 1,
      last: 1,
      p50: 1,
    });
    expect(snap.confidence).toMatchObject({ count: 2, sum: 1, mean: 0.5, last: 0.75 });
    await collector.close();
  });

  it('transferred batches move (the page loses them) and errors keep class and code', async () => {
    const id = await engine.api.sketches.create();
    const batch = new Float64Array([1, 2, 3]);
    await engine.api.sketches.record(id, transfer(batch, [batch.buffer]));
    expect(batch.byteLength).toBe(0);
    const stale = await engine.api.sketches.stats(999_999).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KernelError);
    expect((stale as KernelError).code).toBe('KERNEL');
    const badLevel = await engine.api.sketches.quantiles(id, [7]).catch((e: unknown) => e);
    expect(badLevel).toBeInstanceOf(ConfigError);
    const corrupt = await engine.api.sketches
      .load(new Uint8Array([0xe5, 1, 99]))
      .catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(KernelError);
    await engine.api.sketches.free(id);
  });

  it('close() is idempotent and rejects calls in flight and after with ENGINE_CLOSED', async () => {
    const own = await createEngine({ mode: 'worker', kernel: 'reference' });
    expect(own.kernel).toBe('reference');
    const id = await own.api.sketches.create();
    const inFlight = own.api.sketches.stats(id);
    own.close();
    own.close();
    for (const call of [inFlight, own.api.ping(1)]) {
      const err = await call.then(
        () => 'answered',
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).code).toBe('ENGINE_CLOSED');
    }
  });

  it('the default engine is a shared worker engine', async () => {
    const [a, b] = await Promise.all([getDefaultEngine(), getDefaultEngine()]);
    expect(a).toBe(b);
    expect(a.mode).toBe('worker');
    const tracker = new LatencyTracker();
    tracker.recordMany([1, 2, 3]);
    expect((await tracker.percentiles()).count).toBe(3);
    await tracker.close();
    a.close();
  });
});
