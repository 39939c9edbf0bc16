import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { MetricsCollector } from '../../src/metrics/metrics-collector.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { useEngine } from '../support/per-file.js';
import { exactQuantile } from './percentile-check.js';

const value = fc.oneof(
  fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
  fc.double({ min: -1e6, max: -1e-3, noNaN: true }),
  fc.constant(0),
);

describe.each(['inline', 'reference'] as const)('MetricsCollector on an %s engine', (mode) => {
  let engine: EngineHandle;
  useEngine({ mode }, (e) => (engine = e));

  it('per-name count/sum/min/max/mean/last exact and quantiles within the bound (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'predictions', 'x.y'), value), {
          minLength: 1,
          maxLength: 300,
        }),
        async (records) => {
          const collector = new MetricsCollector({ engine });
          for (const [name, v] of records) collector.record(name, v);
          const snap = await collector.snapshot();
          const names = [...new Set(records.map(([n]) => n))];
          expect(Object.keys(snap)).toEqual(names);
          expect(collector.names()).toEqual(names);
          const bound = relativeErrorBound(7) * (1 + 1e-12);
          for (const name of names) {
            const xs = records.filter(([n]) => n === name).map(([, v]) => v);
            const sorted = [...xs].sort((a, b) => a - b);
            const s = snap[name]!;
            expect(s.count).toBe(xs.length);
            expect(s.sum).toBe(xs.reduce((a, b) => a + b, 0)); // f64 addition in record order
            expect(s.min).toBe(sorted[0]);
            expect(s.max).toBe(sorted[sorted.length - 1]);
            expect(s.mean).toBe(s.sum / s.count);
            expect(s.last).toBe(xs[xs.length - 1]);
            expect(s.dropped).toBe(0);
            for (const [key, q] of [
              ['p50', 0.5],
              ['p95', 0.95],
              ['p99', 0.99],
            ] as const) {
              const exact = exactQuantile(sorted, q);
              expect(Math.abs(s[key] - exact)).toBeLessThanOrEqual(bound * Math.abs(exact));
            }
          }
          await collector.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('matches the API example shape', async () => {
    const collector = new MetricsCollector({ engine });
    collector.record('predictions', 1);
    const snap = await collector.snapshot();
    expect(snap).toEqual({
      predictions: {
        count: 1,
        sum: 1,
        min: 1,
        max: 1,
        mean: 1,
        last: 1,
        p50: 1,
        p95: 1,
        p99: 1,
        dropped: 0,
      },
    });
  });

  it('drops and counts bad values per name, bad names and names past maxNames', async () => {
    const collector = new MetricsCollector({ engine, maxNames: 2 });
    collector.record('a', NaN);
    collector.record('a', Infinity);
    collector.record('a', '3' as never);
    collector.recordMany('b', [1, -Infinity, 2]);
    collector.record('', 1);
    collector.record(7 as never, 1);
    collector.record('c', 1); // third name: past maxNames
    collector.recordMany('b', null as never);
    expect(collector.droppedNames).toBe(4);
    const snap = await collector.snapshot();
    expect(snap.a).toEqual({
      count: 0,
      sum: 0,
      min: NaN,
      max: NaN,
      mean: NaN,
      last: NaN,
      p50: NaN,
      p95: NaN,
      p99: NaN,
      dropped: 3,
    });
    expect(snap.b).toMatchObject({ count: 2, sum: 3, dropped: 1, last: 2 });
    expect(snap.c).toBeUndefined();
  });

  it('sees values recorded right before snapshot() across many names (ordering)', async () => {
    const total = (s: Record<string, { count: number }>): number =>
      Object.values(s).reduce((a, m) => a + m.count, 0);
    const rounds = async (collector: MetricsCollector, base: number): Promise<void> => {
      const snaps: Promise<Record<string, { count: number }>>[] = [];
      for (let round = 1; round <= 4; round++) {
        for (let i = 0; i < 1000; i++) collector.record(`m${i % 7}`, i);
        snaps.push(collector.snapshot());
      }
      expect((await Promise.all(snaps)).map(total)).toEqual(
        [1, 2, 3, 4].map((r) => base + 1000 * r),
      );
    };
    // Sketches not created yet: one queued query per name.
    await rounds(new MetricsCollector({ engine }), 0);
    // Sketches exist: one engine call for all names.
    const warm = new MetricsCollector({ engine });
    for (let i = 0; i < 7; i++) warm.record(`m${i}`, i);
    expect(total(await warm.snapshot())).toBe(7);
    await rounds(warm, 7);
  });

  it('reset() forgets everything; close() is idempotent and refuses snapshots', async () => {
    const collector = new MetricsCollector({ engine });
    collector.record('a', 1);
    await collector.flush();
    await collector.reset();
    expect(await collector.snapshot()).toEqual({});
    collector.record('b', 2);
    await collector.close();
    await collector.close();
    collector.record('b', 3);
    expect(collector.droppedNames).toBe(1);
    await expect(collector.snapshot()).rejects.toThrow(/^MetricsCollector is closed$/);
    expect(await engine.api.sketches.size()).toBeGreaterThanOrEqual(0);
  });
});

describe('MetricsCollector options', () => {
  it.each([
    [{ maxNames: 0 }, /expected maxNames to be a positive integer, got 0/],
    [{ scale: 1.5 }, /expected scale to be an integer/],
    [{ name: 3 }, /expected name to be a non-empty string, got 3/],
    [{ engine: 'x' }, /expected engine to be an EngineHandle/],
    [{ onError: 'x' }, /expected onError to be a function/],
  ])('%j throws ConfigError', (options, message) => {
    expect(() => new MetricsCollector(options as never)).toThrow(ConfigError);
    expect(() => new MetricsCollector(options as never)).toThrow(message);
  });

  it('frees its sketches on close (no leak in the engine)', async () => {
    const engine = await createEngine({ mode: 'reference' });
    const collector = new MetricsCollector({ engine });
    for (const n of ['a', 'b', 'c']) collector.record(n, 1);
    await collector.snapshot();
    expect(await engine.api.sketches.size()).toBe(3);
    await collector.close();
    expect(await engine.api.sketches.size()).toBe(0);
    engine.close();
  });
});
