// The multivariate statistics in real Chromium: their own module Web Worker
// (Vite bundles src/engine/multivariate-worker.ts), results equal to the
// plain functions on the page, typed errors across the boundary.
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  createMultivariateEngine,
  type MultivariateEngine,
} from '../../src/engine/multivariate-client.js';
import { mmdTest, prepareMmd } from '../../src/multivariate/mmd.js';
import { normalDraws, seededUniform } from '../../src/stats/random.js';
import { perFile } from '../support/per-file.js';

const z = normalDraws(seededUniform(5));
const rows = (n: number, d: number, shift = 0): number[][] =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => z() + shift));

let mv: MultivariateEngine;
perFile(createMultivariateEngine, (v) => (mv = v));

describe('multivariate worker (Chromium)', () => {
  it('auto mode starts a worker whose MMD equals the page’s own computation', async () => {
    expect(mv.mode).toBe('worker');
    const reference = rows(200, 16);
    const shifted = rows(100, 16, 0.6);
    const id = await mv.api.prepareDrift('mmd', reference, { permutations: 40 });
    const r = await mv.api.compareDrift(id, shifted);
    expect(r).toEqual({
      method: 'mmd',
      ...mmdTest(prepareMmd(reference, { permutations: 40 }), shifted),
    });
    expect(r.isDrift).toBe(true);
    await expect(mv.api.compareDrift(id, [[1, 2]])).rejects.toBeInstanceOf(DataError);
    await mv.api.release(id);
    expect(await mv.api.size()).toBe(0);
  });
});
