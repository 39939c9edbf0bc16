/**
 * The sketch byte form is encoded and decoded on the caller's side of a worker
 * engine: the worker scripts a page starts (bundled the way Vite bundles a
 * worker by default, `iife`, every `import()` inlined) carry no codec, and
 * `api.sketches.serialize / load / mergeBytes` give the same bytes, results
 * and errors in worker mode as in-process, in call order.
 */
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { sketchBytesOnCaller } from '../../src/engine/worker-sketch-bytes.js';
import { KernelError } from '../../src/errors.js';
import { encodeSketch } from '../../src/kernel/sketch-format.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The source files an `iife` bundle of `entry` holds (every `import()` inlined, as Vite's default worker format). */
async function iifeInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${root}${entry}`],
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the worker scripts a page starts', () => {
  it.each([
    'src/engine/sketch-worker.ts',
    'src/engine/wasm-worker.ts',
    'src/engine/wasm-core-worker.ts',
  ])('%s carries no sketch codec', async (entry) => {
    const inputs = await iifeInputs(entry);
    expect(inputs).toContain('src/engine/sketch-service.ts');
    expect(inputs).not.toContain('src/kernel/sketch-format.ts');
  });

  it('the core engine worker carries the core drift statistics only; the WASM engine worker all', async () => {
    const extras = [
      'src/stats/drift/full-statistics.ts',
      'src/stats/drift/calibration.ts',
      'src/stats/random.ts',
      'src/stats/anderson-darling.ts',
      'src/stats/epps-singleton.ts',
      'src/stats/cramer-von-mises.ts',
      'src/stats/welch-t-test.ts',
    ];
    const core = await iifeInputs('src/engine/wasm-core-worker.ts');
    expect(core).toContain('src/stats/drift/statistic.ts');
    expect(core.filter((f) => extras.includes(f))).toEqual([]);
    const full = await iifeInputs('src/engine/wasm-worker.ts');
    expect(extras.filter((f) => !full.includes(f))).toEqual([]);
  });
});

describe('sketchBytesOnCaller', () => {
  it('keeps calls in order while the codec loads, and a bad load fails alone', async () => {
    const calls: string[] = [];
    const { invoke, inOrder } = sketchBytesOnCaller((path, args) => {
      calls.push(path.join('.'));
      return Promise.resolve(args);
    });
    const bytes = encodeSketch({
      scale: 3,
      count: 3,
      sum: 2,
      min: -1,
      max: 2,
      zeroCount: 1,
      positive: { offset: 8, counts: Float64Array.of(1) },
      negative: { offset: 0, counts: Float64Array.of(1) },
    });
    const merged = invoke(['sketches', 'mergeBytes'], [1, bytes]);
    const bad = invoke(['sketches', 'load'], [Uint8Array.of(1, 2, 3)]);
    const stats = invoke(['sketches', 'stats'], [1]);
    const recorded = inOrder(() => {
      calls.push('record');
      return Promise.resolve('recorded');
    });
    expect(calls).toEqual([]); // all wait for the codec
    const [dst, content] = (await merged) as [number, { count: number; positive: object }];
    expect(dst).toBe(1);
    expect(content).toMatchObject({ count: 3, positive: { offset: 8 } });
    await expect(bad).rejects.toThrow(KernelError);
    await expect(bad).rejects.toThrow(/corrupt sketch bytes: expected magic 0xe5 at byte 0/);
    expect(await stats).toEqual([1]);
    expect(await recorded).toBe('recorded');
    expect(calls).toEqual(['sketches.mergeContent', 'sketches.stats', 'record']);
    await invoke(['sketches', 'load'], [bytes]); // loaded: sent at once
    expect(calls.at(-1)).toBe('sketches.loadContent');
  });
});

describe.each(['wasm', 'reference'] as const)(
  'sketch bytes through a worker engine (%s kernel)',
  (kernel) => {
    let worker: EngineHandle;
    let inline: EngineHandle;
    beforeAll(async () => {
      [worker, inline] = await Promise.all([
        createEngine({ mode: 'worker', kernel }),
        createEngine({ mode: kernel === 'wasm' ? 'inline' : 'reference', kernel }),
      ]);
    }, 30_000);
    afterAll(() => {
      worker.close();
      inline.close();
    });

    /** A sketch with both sides, zeros and a wide range of buckets, in `engine`. */
    async function sample(engine: EngineHandle, scale: number, shift: number): Promise<number> {
      const id = await engine.api.sketches.create(scale);
      const values = Float64Array.from({ length: 2000 }, (_, i) =>
        i % 97 === 0 ? 0 : (i % 3 === 0 ? -1 : 1) * Math.exp((i % 41) - 20 + shift),
      );
      await engine.api.sketches.record(id, values);
      return id;
    }

    it('serialize, load and mergeBytes give the in-process bytes, in call order', async () => {
      for (const scale of [-4, 0, 7, 10]) {
        const [w, i] = await Promise.all([sample(worker, scale, 0), sample(inline, scale, 0)]);
        const bytes = await inline.api.sketches.serialize(i);
        // Not awaited one by one: each call sees the ones before it (on the
        // first pass the first load waits for the codec, and the calls after it too).
        const copy = worker.api.sketches.load(bytes);
        const once = worker.api.sketches.serialize(w);
        const merged = worker.api.sketches.mergeBytes(w, bytes);
        const twice = worker.api.sketches.serialize(w);
        const stats = worker.api.sketches.stats(w);
        const copied = worker.api.sketches.serialize(await copy);
        expect(await once).toEqual(bytes);
        await merged;
        await inline.api.sketches.mergeBytes(i, bytes);
        expect(await twice).toEqual(await inline.api.sketches.serialize(i));
        expect(await copied).toEqual(bytes);
        expect((await stats).count).toBe(4000);
        for (const id of [w, await copy]) await worker.api.sketches.free(id);
        await inline.api.sketches.free(i);
      }
    });

    it('an empty sketch round-trips', async () => {
      const [w, i] = await Promise.all([
        worker.api.sketches.create(),
        inline.api.sketches.create(),
      ]);
      const bytes = await worker.api.sketches.serialize(w);
      expect(bytes).toEqual(await inline.api.sketches.serialize(i));
      const copy = await worker.api.sketches.load(bytes);
      expect(await worker.api.sketches.serialize(copy)).toEqual(bytes);
      for (const id of [w, copy]) await worker.api.sketches.free(id);
      await inline.api.sketches.free(i);
    });

    it('bad bytes, bad ids and other scales reject as in-process', async () => {
      const outcome = async (engine: EngineHandle, call: (e: EngineHandle) => Promise<unknown>) => {
        const error = await call(engine).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(KernelError);
        const { message, code } = error as KernelError;
        return { message, code };
      };
      const dst = {
        worker: await worker.api.sketches.create(7),
        inline: await inline.api.sketches.create(7),
      };
      const other = await inline.api.sketches.serialize(await inline.api.sketches.create(5));
      const cases: ((e: EngineHandle, id: number) => Promise<unknown>)[] = [
        (e) => e.api.sketches.load(new Uint8Array([1, 2, 3])),
        (e) => e.api.sketches.load(new Uint8Array([0xe5, 9])),
        (e) => e.api.sketches.load('not bytes' as unknown as Uint8Array),
        (e, id) => e.api.sketches.mergeBytes(id, new Uint8Array([0xe5, 1, 7])),
        (e) => e.api.sketches.mergeBytes(987654, other),
        (e, id) => e.api.sketches.mergeBytes(id, other),
        (e) => e.api.sketches.serialize(987654),
      ];
      for (const call of cases) {
        expect(await outcome(worker, (e) => call(e, dst.worker))).toEqual(
          await outcome(inline, (e) => call(e, dst.inline)),
        );
      }
      expect(await worker.api.sketches.size()).toBe(1);
    });
  },
);
