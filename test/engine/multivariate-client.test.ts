// The multivariate engine: same results as the plain functions, in-process
// and in its own real worker_threads worker (the heavy loops run there),
// typed errors across the boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, KernelError } from '../../src/errors.js';
import {
  createMultivariateEngine,
  type MultivariateEngine,
} from '../../src/engine/multivariate-client.js';
import {
  estimatePerformance,
  fitCbpe,
  fitPcaDrift,
  mmdTest,
  pcaDrift,
  prepareMmd,
} from '../../src/entry/multivariate.js';
import { normalDraws, seededUniform } from '../../src/stats/random.js';

const z = normalDraws(seededUniform(7));
const rows = (n: number, d: number, shift = 0): number[][] =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => z() + shift));
const reference = rows(300, 8);
const same = rows(100, 8);
const shifted = rows(100, 8, 0.8);
const scores = Array.from({ length: 400 }, (_, i) => ((i * 37) % 100) / 100);
const labels = scores.map((s, i) => (((i * 13) % 100) / 100 < s ? 1 : 0));

describe.each(['inline', 'worker'] as const)('multivariate engine (%s)', (mode) => {
  let engine: MultivariateEngine;
  beforeAll(async () => {
    engine = await createMultivariateEngine({ mode });
    expect(engine.mode).toBe(mode);
  });
  afterAll(() => {
    engine.close();
  });

  it('returns what the plain functions return and frees what it held', async () => {
    const mv = engine.api;
    expect(await mv.size()).toBe(0);
    await mv.release(99);
    const mmd = await mv.prepareDrift('mmd', reference, { permutations: 50 });
    const pca = await mv.prepareDrift('pca', reference);
    const cbpe = await mv.prepareCbpe(scores, labels, { draws: 50 });
    expect(await mv.size()).toBe(3);
    expect(await mv.compareDrift(mmd, shifted)).toEqual({
      method: 'mmd',
      ...mmdTest(prepareMmd(reference, { permutations: 50 }), shifted),
    });
    const r = await mv.compareDrift(pca, same);
    expect(r).toEqual({ method: 'pca', ...pcaDrift(fitPcaDrift(reference), same) });
    expect((await mv.compareDrift(mmd, shifted)).isDrift).toBe(true);
    expect(await mv.estimate(cbpe, scores.slice(0, 100))).toEqual(
      estimatePerformance(fitCbpe(scores, labels, { draws: 50 }), scores.slice(0, 100)),
    );
    for (const id of [mmd, pca, cbpe]) await mv.release(id);
    expect(await mv.size()).toBe(0);
  });

  it('keeps error classes across the boundary', async () => {
    const mv = engine.api;
    await expect(mv.compareDrift(12345, same)).rejects.toBeInstanceOf(KernelError);
    const id = await mv.prepareDrift('components', reference);
    await expect(mv.compareDrift(id, [[1, 2]])).rejects.toBeInstanceOf(DataError);
    await expect(mv.estimate(id, [0.5])).rejects.toBeInstanceOf(KernelError);
    await mv.release(id);
  });
});

describe('multivariate engine options', () => {
  it('refuses a bad mode and rejects calls after close', async () => {
    await expect(createMultivariateEngine({ mode: 'gpu' as never })).rejects.toThrow(
      'expected mode to be one of auto, worker, inline, got "gpu"',
    );
    await expect(createMultivariateEngine({ startTimeoutMs: 0 })).rejects.toThrow(
      'expected startTimeoutMs to be a positive number, got 0',
    );
    const e = await createMultivariateEngine({ mode: 'inline' });
    e.close();
    e.close();
    expect(e.closed).toBe(true);
    await expect(e.api.size()).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});
