import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { decodeSketch } from '../../src/kernel/sketch-format.js';
import { expectPercentilesWithin } from './percentile-check.js';
import { useEngine } from '../support/per-file.js';

const latency = fc.oneof(fc.double({ min: 1e-3, max: 3.6e6, noNaN: true }), fc.constant(0));
const bad = fc.constantFrom(NaN, Infinity, -Infinity, -1, -1e-9, -5e-324);

describe.each(['inline', 'reference'] as const)('LatencyTracker on an %s engine', (mode) => {
  let engine: EngineHandle;
  useEngine({ mode }, (e) => (engine = e));

  it('percentiles are within the sketch bound of the exact sorted quantiles; count/min/max/mean exact (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(latency, { minLength: 1, maxLength: 400 }),
        fc.array(bad, { maxLength: 5 }),
        fc.constantFrom(6, 7, 8),
        fc.boolean(),
        async (values, invalid, scale, batched) => {
          const tracker = new LatencyTracker({ engine, scale });
          const input = [...values, ...invalid];
          if (batched) tracker.recordMany(Float64Array.from(input));
          else for (const v of input) tracker.record(v);
          const p = await tracker.percentiles();
          const sorted = [...values].sort((a, b) => a - b);
          const bound = relativeErrorBound(scale) * (1 + 1e-12);
          expectPercentilesWithin(p, sorted, bound);
          expect(p.count).toBe(values.length);
          expect(p.min).toBe(sorted[0]);
          expect(p.max).toBe(sorted[sorted.length - 1]);
          const sum = values.reduce((a, b) => a + b, 0);
          expect(Math.abs(p.mean - sum / values.length)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, sum / values.length),
          );
          expect(p.dropped).toBe(invalid.length);
          expect(await tracker.quantile(0.95)).toBe(p.p95);
          await tracker.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('record() and recordMany() of any size keep record order and count drops synchronously (exact sum, property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ one: fc.oneof(latency, bad) }),
            fc.record({
              many: fc.array(fc.oneof(latency, latency, bad), { maxLength: 2500 }),
            }),
          ),
          { minLength: 1, maxLength: 10 },
        ),
        async (ops) => {
          const tracker = new LatencyTracker({ engine });
          await tracker.flush(); // the sketch exists: large batches take the in-process path
          let sum = 0; // in record order, as the kernels add
          let count = 0;
          let refused = 0;
          for (const op of ops) {
            const batch = 'one' in op ? [op.one] : op.many;
            if ('one' in op) tracker.record(op.one);
            else tracker.recordMany(Float64Array.from(op.many));
            for (const v of batch) {
              if (v >= 0 && v < Infinity) {
                sum += v;
                count++;
              } else refused++;
            }
            expect(tracker.dropped).toBe(refused);
          }
          const p = await tracker.percentiles();
          expect(p.count).toBe(count);
          if (count > 0) expect(Object.is(p.mean, sum / count)).toBe(true);
          await tracker.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('drops and counts NaN, ±Infinity, negatives and non-numbers; keeps 0 and -0', async () => {
    const tracker = new LatencyTracker({ engine });
    for (const v of [NaN, Infinity, -Infinity, -3, '5', undefined, null, 1n] as unknown[])
      tracker.record(v as number);
    tracker.record(0);
    tracker.record(-0);
    tracker.recordMany([1, NaN, 2]);
    tracker.recordMany(new Float32Array([3, -1, Infinity]));
    tracker.recordMany(Float64Array.from([4, NaN, 5, -Infinity, 6]));
    tracker.recordMany(null as never);
    expect(tracker.dropped).toBe(8 + 1 + 2 + 2 + 1);
    const p = await tracker.percentiles();
    expect(p).toMatchObject({ count: 8, min: 0, max: 6, dropped: 14 });
    expect(p.mean).toBeCloseTo(21 / 8, 12);
  });

  it('is empty before the first value: count 0, statistics NaN', async () => {
    const tracker = new LatencyTracker({ engine });
    tracker.record(NaN);
    expect(await tracker.percentiles()).toEqual({
      p50: NaN,
      p95: NaN,
      p99: NaN,
      p999: NaN,
      count: 0,
      min: NaN,
      max: NaN,
      mean: NaN,
      dropped: 1,
    });
    expect(await tracker.quantile(0.5)).toBeNaN();
  });

  it('snapshot carries the serialized sketch of every value recorded before it', async () => {
    const tracker = new LatencyTracker({ engine, name: 'predict', scale: 6 });
    tracker.recordMany(Float64Array.from({ length: 20_000 }, (_, i) => 1 + (i % 100)));
    const snap = await tracker.snapshot();
    expect(snap.name).toBe('predict');
    expect(snap.scale).toBe(6);
    expect(snap.percentiles.count).toBe(20_000);
    const decoded = decodeSketch(snap.sketch);
    expect(decoded.count).toBe(20_000);
    expect(decoded.scale).toBe(6);
    expect(decoded.min).toBe(1);
    expect(decoded.max).toBe(100);
  });

  it('time() records sync, async and throwing work, passing results and errors through', async () => {
    const tracker = new LatencyTracker({ engine });
    expect(tracker.time(() => 42)).toBe(42);
    expect(await tracker.time(() => new Promise((r) => setTimeout(() => r('late'), 20)))).toBe(
      'late',
    );
    expect(() =>
      tracker.time(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(tracker.time(() => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    const p = await tracker.percentiles();
    expect(p.count).toBe(4);
    expect(p.max).toBeGreaterThanOrEqual(15); // the 20 ms timer (timers may fire a little early)
  });

  it('huge latencies never make the mean Infinity: values above 2^53 are refused and counted', async () => {
    const tracker = new LatencyTracker({ engine });
    for (let i = 0; i < 1000; i++) tracker.record(1e306);
    tracker.recordMany(new Float64Array(1000).fill(1e306));
    tracker.recordMany(Array.from({ length: 10 }, () => 1e306));
    const big = Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < 1000; i++) tracker.record(big);
    tracker.recordMany(new Float64Array([big, 3, big]));
    const p = await tracker.percentiles();
    expect(p.dropped).toBe(2010);
    expect(p.count).toBe(1003);
    expect(Number.isFinite(p.mean)).toBe(true);
    // Exact mean of what was accepted: 1002 × (2^53 − 1) + 3, over 1003.
    const exact = Number((1002n * BigInt(big) + 3n) / 1003n);
    expect(Math.abs(p.mean - exact) / exact).toBeLessThan(1e-12);
    expect(p.max).toBe(big);
    await tracker.close();
  });

  it('reset() empties; close() is idempotent, drops later records and refuses queries', async () => {
    const tracker = new LatencyTracker({ engine });
    tracker.record(1);
    tracker.record(NaN);
    await tracker.reset();
    expect(await tracker.percentiles()).toMatchObject({ count: 0, dropped: 0 });
    tracker.record(2);
    await tracker.flush();
    await tracker.close();
    await tracker.close();
    tracker.record(3);
    expect(tracker.dropped).toBe(1);
    await expect(tracker.percentiles()).rejects.toThrow(/^LatencyTracker is closed$/);
    await expect(tracker.quantile(0.5)).rejects.toBeInstanceOf(ConfigError);
  });

  it('quantile() rejects levels outside [0, 1] with ConfigError', async () => {
    const tracker = new LatencyTracker({ engine });
    for (const q of [-0.1, 1.01, NaN, '0.5']) {
      await expect(tracker.quantile(q as number)).rejects.toThrow(/expected q in \[0, 1\]/);
    }
  });
});

describe('LatencyTracker options', () => {
  it.each([
    [{ scale: 'x' }, /expected scale to be an integer in \[-4, 10\], got "x"/],
    [{ scale: 11 }, /got 11/],
    [{ name: '' }, /expected name to be a non-empty string, got ""/],
    [{ engine: {} }, /expected engine to be an EngineHandle/],
    [{ onError: 5 }, /expected onError to be a function, got 5/],
  ])('%j throws ConfigError', (options, message) => {
    expect(() => new LatencyTracker(options as never)).toThrow(ConfigError);
    expect(() => new LatencyTracker(options as never)).toThrow(message);
  });

  it('without an engine uses the shared default engine (inline in Node)', async () => {
    const tracker = new LatencyTracker();
    tracker.recordMany([5, 10, 15]);
    expect(await tracker.percentiles()).toMatchObject({ count: 3, min: 5, max: 15, mean: 10 });
    await tracker.close();
  });
});
