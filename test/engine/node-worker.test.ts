// Worker mode in Node: a real worker_threads worker running src/engine/worker.ts
// (under tsx, from the sources) reached through Comlink's node adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, KernelError } from '../../src/errors.js';
import fc from 'fast-check';
import { createEngine, stagingChannel, transfer } from '../../src/engine/client.js';
import { StagedSketch } from '../../src/engine/staged-sketch.js';
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

  it('record batches go beside Comlink in order with queries, invalid values refused and counted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ one: fc.double({ min: -1, max: 1e4 }) }),
            fc.record({
              many: fc.array(
                fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constant(NaN)),
                { maxLength: 3000 },
              ),
            }),
            fc.constant('query' as const),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        async (ops) => {
          const tracker = new LatencyTracker({ engine });
          let valid = 0;
          let refused = 0;
          const answers: Promise<void>[] = [];
          for (const op of ops) {
            if (op === 'query') {
              const expected = valid;
              answers.push(
                tracker.percentiles().then((p) => {
                  expect(p.count).toBe(expected);
                }),
              );
            } else if ('one' in op) {
              tracker.record(op.one);
              if (op.one >= 0 && op.one < Infinity) valid++;
              else refused++;
            } else {
              tracker.recordMany(Float64Array.from(op.many));
              const ok = op.many.filter((v) => v >= 0 && v < Infinity).length;
              valid += ok;
              refused += op.many.length - ok;
            }
            expect(tracker.dropped).toBe(refused); // synchronous
          }
          await Promise.all(answers);
          expect((await tracker.percentiles()).count).toBe(valid);
          await tracker.close();
        },
      ),
      { numRuns: 15 },
    );
  });

  it('the worker sends emptied staging buffers back and the next staging buffer reuses one', async () => {
    const channel = stagingChannel(engine);
    expect(channel).toBeDefined();
    const stage = new StagedSketch({ engine, maxChunk: 512 });
    await stage.ready();
    const pool = channel?.pool;
    const bytes = (): number => pool?.bytes ?? NaN;
    for (let round = 0; round < 4; round++) {
      const before = bytes();
      for (let i = 0; i < 512; i++) stage.push(i + 1); // fills and ships one buffer
      if (round > 0) expect(bytes()).toBe(before - 512 * 8);
      await stage.flush();
      if (round === 0) continue; // the pool may hold buffers of earlier tests
      // The buffer staging continues in came from the pool; the shipped one is back.
      expect(bytes()).toBe(before);
    }
    expect((await stage.summary([0.5])).stats.count).toBe(4 * 512);
    await stage.free();
  });

  it('a fresh sketch stages into pooled buffers from its first shipment, before it exists in the worker', async () => {
    const pool = stagingChannel(engine)?.pool;
    // Buffers as a burst on an earlier sketch leaves them (filled here, not by a test before).
    for (let k = 0; k < 3; k++) pool?.give(new ArrayBuffer(512 * 8));
    const before = pool?.bytes ?? NaN;
    const stage = new StagedSketch({ engine, maxChunk: 512 });
    // One synchronous burst: the sketch is created only after it, so every shipment is queued.
    for (let i = 0; i < 3 * 512; i++) stage.push(i + 1);
    expect(pool?.bytes).toBe(before - 3 * 512 * 8);
    await stage.flush();
    expect((await stage.summary([0.5])).stats.count).toBe(3 * 512);
    await stage.free();
  });

  it('a record batch the worker refuses rejects with its error class; the buffer still comes back', async () => {
    const channel = stagingChannel(engine);
    const before = channel?.pool?.bytes ?? 0;
    const batch = new Float64Array(64).fill(1);
    const err = await channel?.record?.(987654, batch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KernelError);
    expect((err as Error).message).toMatch(/expected the id of a live sketch, got 987654/);
    expect(batch.length).toBe(0); // transferred
    expect(channel?.pool?.bytes).toBe(before + 64 * 8);
    expect(channel?.pool?.take(64).length).toBe(64);
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
