// The worker's drift service loads the drift statistics on first use
// (src/engine/lazy-drift-service.ts). Checked: same surface and results as the
// eager in-process Engine, against scipy's committed fixtures
// (scripts/gen-drift-fixtures.py), in-process and through a real worker_threads
// worker; typed errors across the boundary; nothing loaded for release/size.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, DataError, KernelError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { Engine } from '../../src/engine/engine.js';
import { WorkerEngine } from '../../src/engine/worker-engine.js';
import { fullStatistics } from '../../src/stats/drift/full-statistics.js';
import {
  createReferenceKernel,
  createReferenceWorkerKernel,
} from '../../src/kernel/reference/reference-kernel.js';
import type { DriftResult } from '../../src/stats/drift/types.js';

const loadFullStatistics = () => Promise.resolve(fullStatistics);

interface Row {
  name: string;
  a: number[];
  b: number[];
  ks_auto: { statistic: number; pvalue: number };
  wasserstein: number;
}
const rows = (
  JSON.parse(
    readFileSync(new URL('../fixtures/drift/numeric.json', import.meta.url), 'utf8'),
  ) as Row[]
).filter((r) => Math.max(r.a.length, r.b.length) <= 2000);

function close(actual: number, expected: number, rel: number, abs = 1e-12): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    Math.max(abs, rel * Math.abs(expected)),
  );
}

describe('WorkerEngine drift (in-process)', () => {
  it('loads nothing for size/release before the first prepare, then matches scipy', async () => {
    const engine = new WorkerEngine(createReferenceWorkerKernel(), loadFullStatistics);
    expect(await engine.drift.size()).toBe(0);
    await engine.drift.release(1); // idempotent, nothing to free
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) {
      const { id } = await engine.drift.prepare(row.a, { method: 'ks' });
      const r = (await engine.drift.compare(id, row.b)) as DriftResult;
      expect(r.statistic).toBe(row.ks_auto.statistic);
      close(r.pValue as number, row.ks_auto.pvalue, 0.03, 1e-15);
      const w = await engine.drift.prepare(row.a, { method: 'wasserstein' });
      const rw = (await engine.drift.compare(w.id, row.b)) as DriftResult;
      close(rw.distance as number, row.wasserstein, 1e-6, 1e-9);
      expect(await engine.drift.size()).toBe(2);
      await engine.drift.release(id);
      await engine.drift.release(w.id);
    }
    expect(await engine.drift.size()).toBe(0);
  });

  it('returns exactly what the eager Engine returns (property)', async () => {
    const lazy = new WorkerEngine(createReferenceWorkerKernel(), loadFullStatistics);
    const eager = new Engine(createReferenceKernel());
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 2,
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(
        sample,
        sample,
        fc.constantFrom('ks', 'wasserstein', 'psi', 'anderson', 'cramervonmises', 'jensenshannon'),
        async (a, b, method) => {
          const options = { method: method as 'ks' };
          const l = await lazy.drift.prepare(a, options);
          const e = eager.drift.prepare(a, options);
          expect(l.info).toEqual(e.info);
          expect(await lazy.drift.compare(l.id, b)).toEqual(eager.drift.compare(e.id, b));
          await lazy.drift.release(l.id);
          eager.drift.release(e.id);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects with the same typed errors', async () => {
    const engine = new WorkerEngine(createReferenceWorkerKernel(), loadFullStatistics);
    await expect(engine.drift.compare(42, [1, 2])).rejects.toBeInstanceOf(KernelError);
    await expect(engine.drift.prepare([1, 2], { method: 'nope' as 'ks' })).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(engine.drift.prepare([])).rejects.toBeInstanceOf(DataError);
  });
});

describe('drift through a worker_threads worker (statistics loaded lazily in the worker)', () => {
  let engine: EngineHandle;
  beforeAll(async () => {
    engine = await createEngine({ mode: 'worker', kernel: 'wasm' });
  }, 30_000);
  afterAll(() => engine.close());

  it('matches scipy and keeps error classes across the boundary', async () => {
    expect(await engine.api.drift.size()).toBe(0);
    const row = rows[0] as Row;
    const { id } = await engine.api.drift.prepare(row.a, { method: 'ks' });
    const r = (await engine.api.drift.compare(id, row.b)) as DriftResult;
    expect(r.statistic).toBe(row.ks_auto.statistic);
    close(r.pValue as number, row.ks_auto.pvalue, 0.03, 1e-15);
    expect(await engine.api.drift.size()).toBe(1);
    await engine.api.drift.release(id);
    expect(await engine.api.drift.size()).toBe(0);
    const stale = await engine.api.drift.compare(id, row.b).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KernelError);
    const bad = await engine.api.drift.prepare([]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DataError);
  });
});
