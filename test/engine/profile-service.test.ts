// The feature-profile service (src/engine/profile-service.ts) in-process and in
// a real worker_threads profile worker (src/engine/profile-worker.ts under tsx):
// the same bytes and figures as the profilers on the raw values, for any mix
// of values (fast-check); numeric columns transferred, not copied; typed errors
// across the boundary; nothing left after release.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfer } from '../../src/engine/client.js';
import { createProfileEngine, profileWindow } from '../../src/engine/profile-client.js';
import type { ProfileService } from '../../src/engine/profile-service.js';
import type { ServiceEngine } from '../../src/engine/service-client.js';
import { ConfigError, DataError, KernelError } from '../../src/errors.js';
import { CategoricalProfiler, NumericProfiler } from '../../src/profile/feature-profiler.js';
import { profilesToWire } from '../../src/profile/profile-format.js';
import type { FeatureProfile, ProfileOptions } from '../../src/profile/profile-types.js';
import { FeatureBuffer } from '../../src/session/feature-buffer.js';
import { normal, referenceTable, rng } from '../session/helpers.js';

const ref = referenceTable(300, 41);
const kinds = { x: 'numeric', c: 'categorical' } as const;
const plan = [
  { name: 'x', kind: 'numeric', reference: ref.x },
  { name: 'c', kind: 'categorical', reference: ref.c },
] as const;

/** The profile the fleet code builds from the raw values. */
function direct(values: unknown[], kind: 'numeric' | 'categorical', o: ProfileOptions): string {
  let p: FeatureProfile;
  if (kind === 'numeric') {
    const np = new NumericProfiler(undefined, o.scale);
    np.add(values);
    p = np.profile();
    np.close();
  } else {
    const cp = new CategoricalProfiler(o);
    cp.add(values);
    p = cp.profile();
  }
  return profilesToWire({ f: p }).f as string;
}

/** The rows as EdgeMonitor's buffer hands them over. */
function columnsOf(rows: Array<Record<string, unknown>>) {
  const buffer = new FeatureBuffer(kinds, 100_000);
  for (const r of rows) buffer.push(r);
  const invalid = { ...buffer.invalidCounts() };
  return { ...buffer.takeBoth(), invalid };
}

const value = fc.oneof(
  fc.double({ noNaN: false }),
  fc.double({ min: -3, max: 3, noNaN: true }),
  fc.constantFrom(null, undefined, 'a', 'b', 'q', '', true, Infinity, -Infinity, 0, -0),
  fc.string({ maxLength: 3 }),
  fc.object({ maxDepth: 0 }),
);
const options = fc.record(
  {
    scale: fc.integer({ min: 0, max: 8 }),
    topK: fc.integer({ min: 1, max: 8 }),
    hllPrecision: fc.integer({ min: 4, max: 12 }),
    minCategoryCount: fc.integer({ min: 1, max: 3 }),
  },
  { requiredKeys: [] },
);

describe('profile service: inline and worker_threads', () => {
  let inline: ServiceEngine<ProfileService>;
  let worker: ServiceEngine<ProfileService>;
  beforeAll(async () => {
    inline = await createProfileEngine({ mode: 'inline' });
    worker = await createProfileEngine({ mode: 'worker' });
  }, 30_000);
  afterAll(() => {
    inline?.close();
    worker?.close();
  });

  it('runs where asked', () => {
    expect(inline.mode).toBe('inline');
    expect(worker.mode).toBe('worker');
  });

  it('gives the direct profilers’ bytes and the exact quality figures, in both modes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ x: value, c: value }), { minLength: 1, maxLength: 80 }),
        options,
        async (rows, o) => {
          const results = [];
          for (const engine of [inline, worker]) {
            const { own, invalid } = columnsOf(rows);
            const id = await engine.api.prepare([...plan], o);
            const buffers = [(own.x as Float64Array).buffer];
            results.push(await engine.api.build(id, transfer(own, buffers), invalid));
            await engine.api.release(id);
          }
          const [a, b] = results;
          expect(b).toEqual(a);
          expect(wire(a!.encoded.x)).toBe(
            direct(
              rows.map((r) => r.x),
              'numeric',
              o,
            ),
          );
          expect(wire(a!.encoded.c)).toBe(
            direct(
              rows.map((r) => r.c),
              'categorical',
              o,
            ),
          );
          // Out-of-range share: exact, against the reference's [min, max].
          const finite = rows
            .map((r) => r.x)
            .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
          let lo = Infinity;
          let hi = -Infinity;
          for (const v of ref.x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          const outside = finite.filter((v) => v < lo || v > hi).length;
          expect(a!.quality.x!.outOfRangeShare).toBe(
            finite.length === 0 ? 0 : outside / finite.length,
          );
          expect(a!.performance.quality_x_missing_share).toBe(a!.quality.x!.missingShare);
        },
      ),
      { numRuns: 40 },
    );
    expect(await inline.api.size()).toBe(0);
    expect(await worker.api.size()).toBe(0);
  }, 60_000);

  it('moves the numeric columns to the worker without a copy', async () => {
    const u = rng(5);
    const rows = Array.from({ length: 5000 }, () => ({ x: normal(u), c: 'ab'[i2(u)] }));
    const { own, invalid } = columnsOf(rows);
    const x = own.x as Float64Array;
    const id = await worker.api.prepare([...plan], {});
    const r = await profileWindow(worker, id, own, invalid);
    expect(x.length).toBe(0); // detached: the memory moved
    expect(r.quality.x!.seen).toBe(5000);
    await worker.api.release(id);
  });

  it('keeps error classes across the boundary and refuses released ids', async () => {
    for (const engine of [inline, worker]) {
      await expect(engine.api.prepare([...plan], { topK: 0 })).rejects.toBeInstanceOf(ConfigError);
      await expect(
        engine.api.prepare([{ name: 'x', kind: 'weird', reference: [] }] as never, {}),
      ).rejects.toBeInstanceOf(DataError);
      const id = await engine.api.prepare([...plan], {});
      await expect(
        engine.api.build(id, { x: ['not', 'numbers'], c: [] } as never, {}),
      ).rejects.toBeInstanceOf(DataError);
      await engine.api.release(id);
      await engine.api.release(id); // idempotent
      const stale = await engine.api.build(id, {}, {}).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(KernelError);
      expect((stale as Error).message).toMatch(/unknown or released/);
      expect(await engine.api.size()).toBe(0);
    }
  });

  it('reads invalid counts as own properties only (a column named constructor)', async () => {
    const id = await inline.api.prepare(
      [{ name: 'constructor', kind: 'numeric', reference: [1, 2, 3] }],
      {},
    );
    const r = await inline.api.build(id, { constructor: new Float64Array([1, NaN]) }, {});
    expect(r.quality.constructor).toEqual({
      seen: 2,
      missingShare: 0.5,
      invalidShare: 0,
      constant: false,
      outOfRangeShare: 0,
    });
    await inline.api.release(id);
  });
});

function wire(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('base64');
}

function i2(u: () => number): number {
  return Math.floor(u() * 2);
}
