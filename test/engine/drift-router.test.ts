// The drift statistics come as a core set and a full one (src/stats/drift/statistic.ts,
// full-statistics.ts): the core set refuses every other method and calibration with a
// KernelError. An engine started on the core engine worker routes each drift.prepare by
// its options (src/engine/drift-router.ts) to that worker or to a full WASM engine worker,
// and later calls by id to the worker that prepared it. Checked here with real
// worker_threads workers against the in-process engine; which workers a page starts is
// checked in Chromium (test/browser/sketch-worker.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { DriftService } from '../../src/engine/drift-service.js';
import { createReferenceKernel } from '../../src/kernel/reference/reference-kernel.js';
import {
  coreStatisticsSuffice,
  DRIFT_METHODS,
  isCoreMethod,
} from '../../src/stats/drift/methods.js';
import { coreStatistics } from '../../src/stats/drift/statistic.js';
import { tsSampleOps } from '../../src/stats/sample-ops.js';
import type { DriftOptions } from '../../src/stats/drift/types.js';

const reference = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i) * 10);
const shifted = reference.map((x) => x + 3);

describe('the core statistics', () => {
  it('are the methods auto picks, the count divergences and gtest', () => {
    expect(DRIFT_METHODS.filter(isCoreMethod).sort()).toEqual([
      'chisquare',
      'gtest',
      'hellinger',
      'jensenshannon',
      'kl',
      'ks',
      'psi',
      'tvd',
      'wasserstein',
      'ztest',
    ]);
  });

  it('refuse another method or calibration with a KernelError, at prepare and at each call', () => {
    const core = new DriftService(createReferenceKernel(), coreStatistics);
    for (const options of [
      { method: 'anderson' },
      { method: 'es' },
      { features: { value: { method: 'fisher' } } },
      { calibrate: true },
      { method: 'psi', calibrate: { resamples: 20 } },
    ] as DriftOptions[]) {
      expect(() => core.prepare(reference, options), JSON.stringify(options)).toThrow(
        expect.objectContaining({
          name: 'KernelError',
          message: expect.stringMatching(/core drift method/),
        }),
      );
    }
    expect(core.size()).toBe(0);
    const side = { sorted: reference.slice().sort(), moments: tsSampleOps.moments(reference) };
    expect(() =>
      coreStatistics.numeric('anderson', side, side, undefined, tsSampleOps, 'x'),
    ).toThrow(KernelError);
    const counts = new Map([['a', 3]]);
    expect(() => coreStatistics.categorical('fisher', counts, counts, 'x')).toThrow(KernelError);
    expect(coreStatistics.categorical('gtest', counts, counts, 'x').pValue).toBe(1);
  });

  it('suffice for options that name only core methods, aliases resolved, without calibration', () => {
    const yes: unknown[] = [
      undefined,
      {},
      { method: 'auto' },
      { method: 'z', features: { a: { method: 'kl_div' }, b: { method: 'TVD' } } },
      { calibrate: false, features: { a: {} } },
      { method: 'not-a-method' }, // invalid: the core worker reports it
    ];
    const no: unknown[] = [
      { method: 'anderson' },
      { method: 'ed' },
      { features: { a: { method: 'ks' }, b: { method: 't_test' } } },
      { calibrate: true },
      { features: { a: { calibrate: { alpha: 0.01 } } } },
    ];
    for (const o of yes) expect(coreStatisticsSuffice(o), JSON.stringify(o)).toBe(true);
    for (const o of no) expect(coreStatisticsSuffice(o), JSON.stringify(o)).toBe(false);
  });
});

describe('an engine on the core engine worker (worker_threads)', () => {
  let engine: EngineHandle;
  let inline: EngineHandle;
  beforeAll(async () => {
    [engine, inline] = await Promise.all([
      createEngine({ mode: 'worker', kernel: 'wasm' }),
      createEngine({ mode: 'inline', kernel: 'wasm' }),
    ]);
  }, 30_000);
  afterAll(() => {
    engine.close();
    inline.close();
  });

  it('runs core and full references side by side: distinct ids, in-process results, summed size', async () => {
    const options: DriftOptions[] = [
      { method: 'ks' },
      { method: 'anderson' },
      { method: 'wasserstein', calibrate: { resamples: 30 } },
      { method: 'psi' },
    ];
    const prepared = await Promise.all(options.map((o) => engine.api.drift.prepare(reference, o)));
    const ids = prepared.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await engine.api.drift.size()).toBe(4);
    for (const [i, o] of options.entries()) {
      const own = await inline.api.drift.prepare(reference, o);
      expect(prepared[i]!.info).toEqual(own.info);
      expect(await engine.api.drift.compare(ids[i]!, shifted)).toEqual(
        await inline.api.drift.compare(own.id, shifted),
      );
      await inline.api.drift.release(own.id);
    }
    // Release one from each worker: the others still answer, and the count follows.
    await engine.api.drift.release(ids[0]!);
    await engine.api.drift.release(ids[1]!);
    await engine.api.drift.release(ids[1]!); // idempotent
    expect(await engine.api.drift.size()).toBe(2);
    for (const id of [ids[2]!, ids[3]!])
      expect((await engine.api.drift.compare(id, shifted)) as { isDrift: boolean }).toMatchObject({
        isDrift: true,
      });
    for (const id of [ids[0]!, ids[1]!]) {
      const stale = await engine.api.drift.compare(id, shifted).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(KernelError);
    }
    await engine.api.drift.release(ids[2]!);
    await engine.api.drift.release(ids[3]!);
    expect(await engine.api.drift.size()).toBe(0);
  });
});
