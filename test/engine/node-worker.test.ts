// Worker mode in Node: a real worker_threads worker running src/engine/worker.ts
// (under tsx, from the sources) reached through Comlink's node adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import { createEngine, transfer } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';

describe.each(['wasm', 'reference'] as const)('worker_threads engine (%s kernel)', (kernel) => {
  let engine: EngineHandle;
  beforeAll(async () => {
    engine = await createEngine({ mode: 'worker', kernel });
  }, 30_000);
  afterAll(() => engine.close());

  it('starts in worker mode on the requested kernel', async () => {
    expect(engine.mode).toBe('worker');
    expect(engine.kernel).toBe(kernel);
    expect(await engine.api.kernelKind()).toBe(kernel);
  });

  it('moves transferred buffers to the worker', async () => {
    const id = await engine.api.sketches.create();
    const batch = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    await engine.api.sketches.record(id, transfer(batch, [batch.buffer]));
    expect(batch.length).toBe(0); // detached: the memory moved, it was not copied
    expect((await engine.api.sketches.stats(id)).count).toBe(1000);
    await engine.api.sketches.free(id);
  });

  it('keeps error classes and codes across the boundary', async () => {
    const stale = await engine.api.sketches.stats(987654).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KernelError);
    expect((stale as KernelError).code).toBe('KERNEL');
    expect((stale as Error).message).toMatch(/expected the id of a live sketch, got 987654/);
    const id = await engine.api.sketches.create();
    const config = await engine.api.sketches.quantiles(id, [2]).catch((e: unknown) => e);
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).code).toBe('CONFIG');
    await engine.api.sketches.free(id);
    const corrupt = await engine.api.sketches
      .load(new Uint8Array([1, 2, 3]))
      .catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(KernelError);
  });

  it('drives a LatencyTracker with the ordering guarantee', async () => {
    const tracker = new LatencyTracker({ engine });
    for (let round = 1; round <= 5; round++) {
      for (let i = 0; i < 3000; i++) tracker.record(round + i / 3000);
      const p = await tracker.percentiles();
      expect(p.count).toBe(round * 3000);
    }
    await tracker.close();
  });
});

describe('worker_threads engine lifecycle', () => {
  it('close() rejects calls in flight and later calls with ENGINE_CLOSED; idempotent', async () => {
    const engine = await createEngine({ mode: 'worker', kernel: 'reference' });
    const id = await engine.api.sketches.create();
    // Posted, but the answer can only arrive on a later turn of this thread's
    // event loop: close() below runs first, so the call is still in flight.
    const inFlight = engine.api.sketches.stats(id);
    engine.close();
    engine.close();
    expect(engine.closed).toBe(true);
    for (const call of [inFlight, engine.api.sketches.stats(id), engine.api.ping(1)]) {
      const err = await call.then(
        () => 'answered',
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(KernelError);
      expect((err as KernelError).code).toBe('ENGINE_CLOSED');
    }
  }, 30_000);

  it('a worker that does not answer in time rejects createEngine with KernelError', async () => {
    const err = await createEngine({ mode: 'worker', startTimeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelError);
    expect((err as Error).message).toMatch(
      /expected the engine worker to start within 1 ms, got no answer/,
    );
    const bad = await createEngine({ mode: 'worker', kernel: 'nope' as never }).catch(
      (e: unknown) => e,
    );
    expect(bad).toBeInstanceOf(ConfigError); // validated before any worker starts
  });
});
