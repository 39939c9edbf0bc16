import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, KernelError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle, EngineMode } from '../../src/engine/client.js';
import { createApiProxy } from '../../src/engine/remote-api.js';
import {
  FIRST_CHUNK,
  MAX_CHUNK,
  StagedSketch,
  checkEngineOption,
} from '../../src/engine/staged-sketch.js';
import { useEngine } from '../support/per-file.js';

let real: EngineHandle;
useEngine({ mode: 'reference' }, (e) => (real = e));

/**
 * A handle that forwards to the real engine but (a) reports `mode`, (b) runs
 * each call a macrotask later, as a worker would, and (c) logs record batches.
 */
function spyHandle(mode: EngineMode, log: number[][]): EngineHandle {
  const api = createApiProxy<Record<string, unknown>>(async (path, args) => {
    await new Promise((r) => setTimeout(r, 0));
    if (path.join('.') === 'sketches.record') log.push(Array.from(args[1] as Float64Array));
    let target = real.api as unknown as Record<string, unknown>;
    for (const key of path) target = target[key] as Record<string, unknown>;
    return (target as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
  });
  return {
    mode,
    kernel: 'reference',
    fallbackReason: undefined,
    api: api as never,
    closed: false,
    close() {},
  };
}

describe.each(['inline', 'reference'] as const)('StagedSketch ordering on an %s engine', (mode) => {
  let engine: EngineHandle;
  useEngine({ mode, kernel: mode === 'inline' ? 'wasm' : 'reference' }, (e) => (engine = e));

  it('a query sees every value pushed before it, without awaiting in between (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-1)), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 16 }),
        async (ops, maxChunk) => {
          const stage = new StagedSketch({ engine, maxChunk });
          const expected: number[] = [];
          const answers: Promise<number>[] = [];
          let pushed = 0;
          for (const op of ops) {
            if (op < 0) {
              expected.push(pushed);
              answers.push(stage.summary([0.5]).then((s) => s.stats.count));
            } else {
              for (let i = 0; i < op; i++) stage.push(++pushed);
            }
          }
          expect(await Promise.all(answers)).toEqual(expected);
          const final = await stage.summary([0, 1]);
          expect(final.stats.count).toBe(pushed);
          if (pushed > 0) expect(final.stats.sum).toBe((pushed * (pushed + 1)) / 2);
          await stage.free();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('StagedSketch buffers', () => {
  it('grows chunks from FIRST_CHUNK to MAX_CHUNK and ships each value once, in order', async () => {
    const log: number[][] = [];
    const stage = new StagedSketch({ engine: spyHandle('worker', log) });
    const total = FIRST_CHUNK * 2 + MAX_CHUNK * 3 + 17;
    for (let i = 0; i < total; i++) stage.push(i);
    await stage.flush();
    const sizes = log.map((b) => b.length);
    const doubling: number[] = [];
    for (let c = FIRST_CHUNK; c < MAX_CHUNK; c *= 2) doubling.push(c);
    doubling.push(MAX_CHUNK);
    expect(doubling.length).toBeGreaterThan(2);
    expect(sizes.slice(0, doubling.length)).toEqual(doubling);
    expect(Math.max(...sizes)).toBe(MAX_CHUNK);
    // Each batch still holds its own values although later pushes happened before
    // the (deferred) call ran: buffers are never reused while a call may read them.
    expect(log.flat()).toEqual(Array.from({ length: total }, (_, i) => i));
    expect((await stage.summary([0.5])).stats.count).toBe(total);
  });

  it.each(['inline', 'worker'] as const)(
    'pushValid copies the finite non-negative values across chunk boundaries, in order, and counts the rest (%s handle, property)',
    async (mode) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.double({ min: 0, max: 1e6, noNaN: true }),
              fc.constantFrom(NaN, Infinity, -Infinity, -1, -1e-300, -0, 0),
            ),
            { maxLength: 60 },
          ),
          fc.integer({ min: 1, max: 9 }),
          async (values, maxChunk) => {
            const log: number[][] = [];
            const stage = new StagedSketch({ engine: spyHandle(mode, log), maxChunk });
            stage.push(-1);
            const refused = stage.pushValid(Float64Array.from(values));
            stage.push(-2);
            await stage.flush();
            const valid = values.filter((v) => v >= 0 && v < Infinity);
            expect(refused).toBe(values.length - valid.length);
            expect(log.flat()).toEqual([-1, ...valid, -2]);
            expect(log.every((b) => b.length <= maxChunk)).toBe(true);
            expect(stage.staged).toBe(0);
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  it('reports a failed shipment to onError and counts its values as lost; push never throws', async () => {
    const engine = await createEngine({ mode: 'reference' });
    const errors: Error[] = [];
    const stage = new StagedSketch({ engine, maxChunk: 4, onError: (e) => errors.push(e) });
    stage.push(1);
    await stage.flush();
    engine.close();
    for (let i = 0; i < 10; i++) stage.push(i);
    await stage.flush();
    expect(stage.lost).toBe(10);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof KernelError && e.code === 'ENGINE_CLOSED')).toBe(true);
    await expect(stage.summary([0.5])).rejects.toBeInstanceOf(KernelError);
    await expect(stage.free()).resolves.toBeUndefined();
  });

  it('rejects bad options with ConfigError', () => {
    expect(() => new StagedSketch({ maxChunk: 0 })).toThrow(
      /expected maxChunk to be a positive integer, got 0/,
    );
    expect(() => checkEngineOption({})).toThrow(ConfigError);
    expect(() => checkEngineOption('engine')).toThrow(
      /expected engine to be an EngineHandle from createEngine\(\), got "engine"/,
    );
    expect(checkEngineOption(undefined)).toBeUndefined();
    expect(checkEngineOption(real)).toBe(real);
  });
});
