// DriftDetector in real Chromium on the DEFAULT engine, which in a page is the
// module Web Worker on the WASM kernels. Every result must equal the same
// computation on an in-page reference engine (pure-TS kernels) within 1e-12;
// statistics are also checked against naive recomputations; errors keep their
// class and code across the worker boundary.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import type { DriftData } from '../../src/drift/drift-detector.js';
import { ConfigError, DataError, EdgewatchError } from '../../src/errors.js';
import type { DriftMethod } from '../../src/stats/drift/types.js';
import { categories, normals } from '../drift/helpers.js';
import { useEngine } from '../support/per-file.js';

let reference: EngineHandle;
useEngine({ mode: 'reference' }, (e) => (reference = e));

/** Deep comparison where numbers agree within 1e-12 (relative above 1); returns the mismatches. */
function diff(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const same =
      Object.is(a, b) || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!same) out.push(`${path}: ${a} vs ${b}`);
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      diff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
        out,
      );
  } else if (!Object.is(a, b)) out.push(`${path}: ${String(a)} vs ${String(b)}`);
  return out;
}

/** Runs the same detection on the default engine and on the reference engine. */
async function both<R extends DriftData>(
  ref: R,
  cur: R,
  options: ConstructorParameters<typeof DriftDetector>[1] = {},
): Promise<{ worker: unknown; local: unknown }> {
  const d = new DriftDetector(ref, options);
  const l = new DriftDetector(ref, { ...options, engine: reference });
  try {
    return { worker: await d.detect(cur), local: await l.detect(cur) };
  } finally {
    await d.dispose();
    await l.dispose();
  }
}

/** Naive KS statistic: max over all points of |F_a − F_b|. */
function naiveKs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (const x of [...Array.from(a), ...Array.from(b)]) {
    const fa = Array.from(a).filter((v) => v <= x).length / a.length;
    const fb = Array.from(b).filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

/** Naive total variation distance between the category frequencies. */
function naiveTvd(a: readonly string[], b: readonly string[]): number {
  const cats = new Set([...a, ...b]);
  let s = 0;
  for (const c of cats)
    s += Math.abs(
      a.filter((v) => v === c).length / a.length - b.filter((v) => v === c).length / b.length,
    );
  return s / 2;
}

describe('the default engine in a page', () => {
  it('is the module Web Worker on the WASM kernels, and DriftDetector uses it', async () => {
    const engine = await getDefaultEngine();
    expect(engine.mode).toBe('worker');
    expect(engine.kernel).toBe('wasm');
    expect(await getDefaultEngine()).toBe(engine);
    const gen = normals(5);
    const d = new DriftDetector(gen(200));
    const info = await d.describe();
    expect(Object.values(info).length).toBeGreaterThan(0);
    await d.dispose();
  });
});

describe('numeric drift through the worker', () => {
  const gen = normals(2024);
  const ref = gen(600);
  const shifted = gen(400, 0.6, 1.3);
  const same = gen(400);
  const methods: DriftMethod[] = [
    'ks',
    'wasserstein',
    'psi',
    'jensenshannon',
    'kl',
    'hellinger',
    'tvd',
    'anderson',
    'cramervonmises',
    'ttest',
    'energy',
  ];

  it('every numeric method equals the reference engine within 1e-12, and flags a 0.6 sd shift', async () => {
    for (const method of methods) {
      const { worker, local } = await both(ref, shifted, { method });
      expect(diff(worker, local), method).toEqual([]);
      expect((worker as { isDrift: boolean }).isDrift, method).toBe(true);
      expect((worker as { method: string }).method).toBe(method);
    }
  });

  it('KS statistic and shifts equal a naive recomputation; same distribution is not drift', async () => {
    const { worker } = await both(ref, shifted, { method: 'ks' });
    const r = worker as { statistic: number; meanShift: number; referenceSize: number };
    expect(Math.abs(r.statistic - naiveKs(ref, shifted))).toBeLessThanOrEqual(1e-12);
    expect(r.referenceSize).toBe(600);
    const calm = (await both(ref, same)).worker as { isDrift: boolean; method: string };
    expect(calm.method).toBe('ks');
    expect(calm.isDrift).toBe(false);
  });

  it('auto method on random samples (Float64Array and number[]) equals the reference engine (property)', async () => {
    const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
      minLength: 1,
      maxLength: 150,
    });
    await fc.assert(
      fc.asyncProperty(sample, sample, fc.boolean(), async (a, b, typed) => {
        const ra = typed ? Float64Array.from(a) : a;
        const rb = typed ? Float64Array.from(b) : b;
        const { worker, local } = await both<number[] | Float64Array>(ra, rb);
        expect(diff(worker, local)).toEqual([]);
        const r = worker as { method: string; statistic: number };
        if (r.method === 'ks')
          expect(Math.abs(r.statistic - naiveKs(a, b))).toBeLessThanOrEqual(1e-12);
      }),
      { numRuns: 20 },
    );
  });
});

describe('categorical and table drift through the worker', () => {
  const cat = categories(77);
  const labels = ['car', 'bike', 'walk', 'bus'];
  const refCats = cat(500, labels, [4, 3, 2, 1]);
  const moved = cat(300, labels, [1, 2, 3, 4]);

  it('categorical methods equal the reference engine; TVD equals a naive count; a mix change is drift', async () => {
    for (const method of [
      'chisquare',
      'gtest',
      'psi',
      'jensenshannon',
      'hellinger',
      'tvd',
    ] as const) {
      const { worker, local } = await both(refCats, moved, { method });
      expect(diff(worker, local), method).toEqual([]);
      expect((worker as { isDrift: boolean }).isDrift, method).toBe(true);
      expect((worker as { kind: string }).kind).toBe('categorical');
    }
    const { worker } = await both(refCats, moved, { method: 'tvd' });
    const tvd = (worker as { statistic: number }).statistic;
    expect(Math.abs(tvd - naiveTvd(refCats, moved))).toBeLessThanOrEqual(1e-12);
  });

  it('a table with numeric and categorical columns equals the reference engine; only the moved column drifts', async () => {
    const gen = normals(31);
    const refTable = { speed: gen(500), mode: refCats, load: gen(500, 10, 2) };
    const curTable = {
      speed: gen(300, 1),
      mode: cat(300, labels, [4, 3, 2, 1]),
      load: gen(300, 10, 2),
    };
    const { worker, local } = await both(refTable, curTable, { categorical: ['mode'] });
    expect(diff(worker, local)).toEqual([]);
    const t = worker as {
      isDrift: boolean;
      driftedCount: number;
      features: Record<string, { isDrift: boolean; kind: string }>;
    };
    expect(t.features.speed).toMatchObject({ isDrift: true, kind: 'numeric' });
    expect(t.features.mode).toMatchObject({ kind: 'categorical' });
    expect(t.features.load!.isDrift).toBe(false);
    expect(t.driftedCount).toBe(Object.values(t.features).filter((f) => f.isDrift).length);
  });
});

describe('errors across the worker', () => {
  /** The rejection of `detect` on an engine (or undefined: the default one). */
  async function rejection(
    ref: DriftData,
    cur: DriftData,
    options: { method?: DriftMethod },
    engine?: EngineHandle,
  ): Promise<unknown> {
    const d = new DriftDetector(ref, engine ? { ...options, engine } : options);
    try {
      await d.detect(cur);
      return undefined;
    } catch (err) {
      return err;
    } finally {
      await d.dispose();
    }
  }

  type Case = [string, DriftData, DriftData, { method?: DriftMethod }, typeof DataError];
  const cases: Case[] = [
    ['empty current', [1, 2, 3], [], {}, DataError],
    ['all-missing current', [1, 2, 3], [NaN, null] as number[], {}, DataError],
    ['strings against a numeric reference', [1, 2, 3], ['a', 'b'], {}, DataError],
    ['all-missing reference', [NaN, NaN], [1], {}, DataError],
    [
      'mixed types in a table column',
      { m: [1, 'a', 2] } as never,
      { m: [1] } as never,
      {},
      DataError,
    ],
    ['a numeric method on categories', ['a', 'b'], ['a'], { method: 'ks' }, ConfigError],
  ];

  it.each(cases)('%s: same class, code and message as in-page', async (_, ref, cur, opts, cls) => {
    const remote = await rejection(ref, cur, opts);
    const local = await rejection(ref, cur, opts, reference);
    expect(local).toBeInstanceOf(cls);
    expect(remote).toBeInstanceOf(cls);
    expect(remote).toBeInstanceOf(EdgewatchError);
    const r = remote as EdgewatchError;
    const l = local as EdgewatchError;
    expect({ name: r.name, code: r.code, message: r.message }).toEqual({
      name: l.name,
      code: l.code,
      message: l.message,
    });
  });
});
