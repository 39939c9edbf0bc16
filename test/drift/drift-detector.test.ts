/**
 * DriftDetector end to end through an in-process engine (reference kernels;
 * one block on the WASM kernels): results against independent computations,
 * tables, output drift, bad input, auto rule and bins.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/client.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { ConfigError, DataError } from '../../src/errors.js';
import type { DriftResult } from '../../src/stats/drift/types.js';
import { categories, normals } from './helpers.js';
import { useEngine } from '../support/per-file.js';

let engine: EngineHandle;
useEngine({ mode: 'reference' }, (e) => (engine = e));

/** Naive O(n·m) KS statistic: max over all points of |F_a − F_b|. */
function naiveKs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const pts = [...Array.from(a), ...Array.from(b)];
  let d = 0;
  for (const x of pts) {
    const fa = Array.from(a).filter((v) => v <= x).length / a.length;
    const fb = Array.from(b).filter((v) => v <= x).length / b.length;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}
const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
const popStd = (x: ArrayLike<number>) => {
  const m = mean(x);
  return Math.sqrt(Array.from(x).reduce((s, v) => s + (v - m) ** 2, 0) / x.length);
};

describe('one numeric feature', () => {
  const gen = normals(7);
  const ref = gen(300);
  const cur = gen(200, 0.5, 1.5);

  it('auto picks KS at ≤ 1000 rows; statistic, shifts and sizes match direct computation', async () => {
    const d = new DriftDetector(ref, { engine });
    const r = await d.detect(cur);
    expect(r.method).toBe('ks');
    expect(r.kind).toBe('numeric');
    expect(r.statistic).toBeCloseTo(naiveKs(ref, cur), 12);
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.isDrift).toBe(true);
    expect(r.threshold).toBe(0.05);
    expect(r.meanShift).toBeCloseTo((mean(cur) - mean(ref)) / popStd(ref), 10);
    expect(r.stdShift).toBeCloseTo(popStd(cur) / popStd(ref) - 1, 10);
    expect(r.referenceSize).toBe(300);
    expect(r.currentSize).toBe(200);
    expect(r.missing).toEqual({ reference: 0, current: 0 });
    await d.dispose();
  });

  it('auto keeps a KS test above 1000 rows, with the normed-Wasserstein floor and the raw W1 kept apart', async () => {
    const big = gen(1500);
    const d = new DriftDetector(big, { engine });
    const shifted = Float64Array.from(big, (v) => v + 0.25);
    const r = await d.detect(shifted);
    expect(r.method).toBe('ks');
    expect(r.threshold).toBe(0.05);
    expect(r.pValue).toBeLessThan(0.05);
    // W1 between a sample and its translate is exactly the shift.
    expect(r.effect).toBeCloseTo(0.25 / popStd(big), 10);
    expect(r.minEffect).toBe(0.1);
    expect(r.isDrift).toBe(true);
    // An explicit Wasserstein still reports the raw and the normed distance.
    const w = await new DriftDetector(big, { engine, method: 'wasserstein' }).detect(shifted);
    expect(w.distance).toBeCloseTo(0.25, 12);
    expect(w.statistic).toBeCloseTo(0.25 / popStd(big), 10);
    expect(w.pValue).toBeUndefined();
  });

  it('counts NaN and null as missing and excludes them from the test', async () => {
    const withGaps = [...Array.from(ref), NaN, NaN];
    const curGaps: (number | null)[] = [...Array.from(cur), null, NaN, null];
    const d = new DriftDetector(withGaps, { engine });
    const r = await d.detect(curGaps as number[]);
    const clean = await new DriftDetector(ref, { engine }).detect(cur);
    expect(r.missing).toEqual({ reference: 2, current: 3 });
    expect(r.statistic).toBe(clean.statistic);
    expect(r.pValue).toBe(clean.pValue);
  });

  it.each([
    ['ks'],
    ['wasserstein'],
    ['psi'],
    ['jensenshannon'],
    ['kl'],
    ['hellinger'],
    ['tvd'],
    ['anderson'],
    ['cramervonmises'],
    ['ttest'],
    ['energy'],
  ] as const)('constant data gives a defined, finite result (%s)', async (method) => {
    const d = new DriftDetector(new Float64Array(50).fill(3), { engine, method });
    const same = await d.detect(new Float64Array(40).fill(3));
    expect(Number.isFinite(same.statistic) || method === 'ttest').toBe(true);
    expect(same.isDrift).toBe(false);
    expect(same.meanShift).toBe(0);
    expect(same.stdShift).toBe(0);
    const moved = await d.detect(new Float64Array(40).fill(4));
    expect(Number.isNaN(moved.statistic)).toBe(false);
    expect(moved.meanShift).toBe(1 / 0.001);
  });

  it('honours bins: quantile bins of the reference, PSI changes with the bin count', async () => {
    const r5 = await new DriftDetector(ref, { engine, method: 'psi', bins: 5 }).detect(cur);
    const r20 = await new DriftDetector(ref, { engine, method: 'psi', bins: 20 }).detect(cur);
    expect(r5.statistic).not.toBeCloseTo(r20.statistic, 6);
    // Independent PSI with 5 reference-quintile bins.
    const s = Float64Array.from(ref).sort();
    const edges = [1, 2, 3, 4].map((i) => s[Math.floor((i * s.length) / 5)] as number);
    const bin = (x: number) => edges.filter((e) => e <= x).length;
    const rc = [0, 0, 0, 0, 0];
    const cc = [0, 0, 0, 0, 0];
    for (const v of ref) rc[bin(v)]!++;
    for (const v of cur) cc[bin(v)]!++;
    let psi = 0;
    for (let i = 0; i < 5; i++) {
      const p = Math.max(rc[i]! / ref.length, 1e-4);
      const q = Math.max(cc[i]! / cur.length, 1e-4);
      psi += (p - q) * Math.log(p / q);
    }
    expect(r5.statistic).toBeCloseTo(psi, 12);
  });

  it('per-call results are stable: the reference is prepared once and reused', async () => {
    const d = new DriftDetector(ref, { engine });
    const a = await d.detect(cur);
    const b = await d.detect(cur);
    expect(b).toEqual(a);
    const info = await d.describe();
    expect(info.features.value).toMatchObject({
      kind: 'numeric',
      method: 'ks',
      referenceSize: 300,
    });
  });
});

describe('one categorical feature', () => {
  const gen = categories(3);
  it('auto: chi-square (homogeneity) for > 2 categories; unseen categories get their own bin', async () => {
    const ref = gen(400, ['a', 'b', 'c'], [1, 1, 1]);
    const d = new DriftDetector(ref, { engine });
    const same = await d.detect(gen(300, ['a', 'b', 'c'], [1, 1, 1]));
    expect(same.method).toBe('chisquare');
    expect(same.kind).toBe('categorical');
    expect(Number.isNaN(same.meanShift)).toBe(true);
    const unseen = await d.detect([
      ...gen(290, ['a', 'b', 'c'], [1, 1, 1]),
      ...Array<string>(10).fill('zzz'),
    ]);
    expect(Number.isFinite(unseen.statistic)).toBe(true);
    expect(unseen.pValue).toBeGreaterThanOrEqual(0);
    expect(unseen.isDrift).toBe(true);
    for (const method of ['psi', 'kl', 'jensenshannon', 'hellinger', 'tvd', 'gtest'] as const) {
      const r = await new DriftDetector(ref, { engine, method }).detect(['zzz', 'zzz', 'a']);
      expect(Number.isFinite(r.statistic), method).toBe(true);
    }
  });

  it('auto: z-test for two categories; fisher on 2×2 and a clear error beyond', async () => {
    const ref = gen(200, ['yes', 'no'], [1, 1]);
    const r = await new DriftDetector(ref, { engine }).detect(gen(200, ['yes', 'no'], [3, 1]));
    expect(r.method).toBe('ztest');
    expect(r.isDrift).toBe(true);
    const f = new DriftDetector(ref, { engine, method: 'fisher' });
    expect((await f.detect(['yes', 'no', 'no'])).pValue).toBeGreaterThan(0.05);
    await expect(f.detect(['yes', 'maybe', 'no'])).rejects.toThrow(
      /fisher needs at most 2 categories/,
    );
  });

  it('auto: still chi-square above 1000 rows, floored by the Jensen–Shannon distance', async () => {
    const r = await new DriftDetector(gen(1200, ['a', 'b', 'c'], [1, 2, 3]), { engine }).detect([
      'a',
      'b',
    ]);
    expect(r.method).toBe('chisquare');
    expect(r.effect).toBeGreaterThan(0);
    expect(r.minEffect).toBe(0.1);
  });

  it('numbers in a `categorical` column are taken as labels', async () => {
    const d = new DriftDetector({ code: [1, 2, 2, 3, 3, 3] }, { engine, categorical: ['code'] });
    const r = await d.detect({ code: [1, 2, 3, 4] });
    expect(r.features.code!.kind).toBe('categorical');
  });

  it('a categorical reference (strings) with numeric current data → DataError, not labels', async () => {
    const d = new DriftDetector(['a', 'b', 'b', '1'], { engine });
    await expect(d.detect([1, 2, 2] as never)).rejects.toThrow(DataError);
    await expect(d.detect([1, 2, 2] as never)).rejects.toThrow(
      /feature "value": expected categorical values like the reference, got numeric values/,
    );
    await expect(d.detect(Float64Array.of(1, 2) as never)).rejects.toThrow(DataError);
    const t = new DriftDetector({ mode: ['x', 'y'] }, { engine });
    await expect(t.detect({ mode: [1, 2] } as never)).rejects.toThrow(/feature "mode"/);
    // Declared categorical columns still take numbers as labels.
    const c = new DriftDetector({ code: ['1', '2'] }, { engine, categorical: ['code'] });
    expect((await c.detect({ code: [1, 2] } as never)).features.code!.kind).toBe('categorical');
  });
});

describe('tables', () => {
  const gen = normals(11);
  const cat = categories(12);
  const ref = { a: gen(400), b: gen(400), c: gen(400), d: cat(400, ['x', 'y', 'z'], [1, 1, 1]) };

  it('per-feature results, driftShare and the share rule (default 0.5)', async () => {
    const d = new DriftDetector(ref, {
      engine,
      features: { c: { method: 'psi', threshold: 0.2 } },
    });
    const r = await d.detect({
      a: gen(300, 1),
      b: gen(300, 1),
      c: gen(300),
      d: cat(300, ['x', 'y', 'z'], [1, 1, 1]),
    });
    expect(r.features.a!.isDrift && r.features.b!.isDrift).toBe(true);
    expect(r.features.c!.method).toBe('psi');
    expect(r.features.c!.threshold).toBe(0.2);
    const drifted = Object.values(r.features).filter((f: DriftResult) => f.isDrift).length;
    expect(r.driftedCount).toBe(drifted);
    expect(r.driftShare).toBe(drifted / 4);
    expect(r.isDrift).toBe(r.driftShare >= 0.5);
    const strict = await new DriftDetector(ref, { engine, driftShare: 0.75 }).detect({
      a: gen(300, 1),
      b: gen(300, 1),
      c: gen(300),
      d: cat(300, ['x', 'y', 'z'], [1, 1, 1]),
    });
    expect(strict.isDrift).toBe(strict.driftShare >= 0.75);
  });

  it('bonferroni and fdr corrections decide from the p-values', async () => {
    const cur = {
      a: gen(300, 0.35),
      b: gen(300),
      c: gen(300),
      d: cat(300, ['x', 'y', 'z'], [1, 1, 1]),
    };
    const plain = await new DriftDetector(ref, { engine }).detect(cur);
    const bonf = await new DriftDetector(ref, { engine, correction: 'bonferroni' }).detect(cur);
    const fdr = await new DriftDetector(ref, { engine, correction: 'fdr' }).detect(cur);
    const ps = Object.values(plain.features).map((f) => f.pValue as number);
    for (const [name, f] of Object.entries(bonf.features)) {
      expect(f.isDrift).toBe((plain.features[name]!.pValue as number) <= 0.05 / 4);
      expect(f.threshold).toBe(0.05 / 4);
    }
    // Benjamini–Hochberg by hand.
    const sorted = [...ps].sort((x, y) => x - y);
    let k = -1;
    sorted.forEach((p, i) => {
      if (p <= ((i + 1) * 0.05) / 4) k = i;
    });
    const cutoff = k >= 0 ? sorted[k]! : -1;
    for (const [name, f] of Object.entries(fdr.features))
      expect(f.isDrift).toBe((plain.features[name]!.pValue as number) <= cutoff);
    expect(bonf.isDrift).toBe(bonf.driftedCount > 0);
  });

  it('columns that do not match the reference are a clear error', async () => {
    const d = new DriftDetector(ref, { engine });
    await expect(d.detect({ a: [1], b: [1], c: [1] } as never)).rejects.toThrow(/missing d/);
    await expect(d.detect({ ...ref, e: [1] } as never)).rejects.toThrow(/unexpected e/);
    await expect(d.detect([1, 2, 3] as never)).rejects.toBeInstanceOf(DataError);
  });

  it('output drift: scores (numeric) and predicted classes (categorical) in one detector', async () => {
    /** The model's outputs for `scores`: the scores and the classes they predict. */
    const outputsOf = (scores: Float64Array) => ({
      score: scores,
      predicted: Array.from(scores, (s) => (s > 0.3 ? 'pos' : 'neg')),
    });
    const outputs = new DriftDetector(outputsOf(gen(800, 0.3, 0.1)), {
      engine,
      categorical: ['predicted'],
      features: { score: { method: 'ks' } },
    });
    const ok = await outputs.detect(outputsOf(gen(500, 0.3, 0.1)));
    expect(ok.features.score!.isDrift).toBe(false);
    expect(ok.features.predicted!.isDrift).toBe(false);
    const bad = await outputs.detect(outputsOf(gen(500, 0.36, 0.1)));
    expect(bad.features.score!.isDrift).toBe(true);
    expect(bad.features.predicted!.isDrift).toBe(true);
    expect(bad.features.predicted!.method).toBe('ztest');
    expect(bad.isDrift).toBe(true);
  });
});

describe('bad input', () => {
  it('empty reference, empty table, empty column → ConfigError at construction', () => {
    expect(() => new DriftDetector([], { engine })).toThrow(ConfigError);
    expect(() => new DriftDetector({}, { engine })).toThrow(ConfigError);
    expect(() => new DriftDetector({ a: [1], b: [] }, { engine })).toThrow(/reference column "b"/);
  });
  it('bad options → ConfigError with expected/got', () => {
    expect(() => new DriftDetector([1, 2], { engine, method: 'nope' as never })).toThrow(
      /method: expected 'auto', one of ks, .* or an Evidently name \(kl_div, z, fisher_exact, g_test, ed, es, t_test, cramer_von_mises, TVD\), got "nope"/,
    );
    expect(() => new DriftDetector([1, 2], { engine, threshold: -1 })).toThrow(ConfigError);
    expect(() => new DriftDetector([1, 2], { engine, bins: 1 })).toThrow(
      /expected bins to be an integer in \[2, 10000\], got 1/,
    );
    expect(() => new DriftDetector([1, 2], { engine, driftShare: 0 })).toThrow(
      /expected driftShare to be .*> 0.*, got 0/,
    );
    expect(
      () => new DriftDetector({ a: [1, 2] }, { engine, features: { a: { alpha: 1 } } }),
    ).toThrow(/expected features\.a\.alpha to be a finite number in \(0, 1\), got 1/);
    expect(() => new DriftDetector([1, 2], { engine, calibrate: { resamples: 9.5 } })).toThrow(
      /expected calibrate\.resamples to be an integer >= 10, got 9\.5/,
    );
    expect(() => new DriftDetector([1, 2], { engine, correction: 'holm' as never })).toThrow(
      /expected correction to be one of bonferroni, fdr, got "holm"/,
    );
    expect(() => new DriftDetector([1, 2], { engine: {} as never })).toThrow(ConfigError);
  });
  it('empty current, all-missing reference, mixed types → typed errors naming the feature', async () => {
    const d = new DriftDetector([1, 2, 3], { engine });
    await expect(d.detect([])).rejects.toThrow(DataError);
    await expect(d.detect([NaN, null] as number[])).rejects.toThrow(
      /feature "value": expected at least one non-missing/,
    );
    await expect(new DriftDetector([NaN, NaN], { engine }).detect([1])).rejects.toThrow(DataError);
    await expect(
      new DriftDetector({ m: [1, 'a', 2] as never }, { engine }).detect({ m: [1] } as never),
    ).rejects.toThrow(/feature "m": expected all numbers or all strings/);
    await expect(d.detect(['a', 'b'] as never)).rejects.toThrow(/expected numeric values/);
  });
  it('a numeric method on categories, or an unknown override column → ConfigError', async () => {
    await expect(
      new DriftDetector(['a', 'b'], { engine, method: 'ks' }).detect(['a']),
    ).rejects.toThrow(ConfigError);
    await expect(
      new DriftDetector({ a: [1, 2] }, { engine, features: { zz: { method: 'ks' } } }).detect({
        a: [1],
      }),
    ).rejects.toThrow(/features.zz/);
  });
  it('detect after dispose is refused', async () => {
    const d = new DriftDetector([1, 2, 3], { engine });
    await d.dispose();
    await d.dispose();
    await expect(d.detect([1])).rejects.toThrow(ConfigError);
  });
});

describe('on the WASM kernels', () => {
  it('gives the same results as the reference kernels', async () => {
    const wasm = await createEngine({ mode: 'inline', kernel: 'wasm' });
    try {
      expect(wasm.kernel).toBe('wasm');
      const gen = normals(99);
      const ref = gen(2000);
      const cur = gen(700, 0.1, 1.1);
      for (const method of ['ks', 'wasserstein', 'psi', 'anderson', 'energy'] as const) {
        const a = await new DriftDetector(ref, { engine: wasm, method }).detect(cur);
        const b = await new DriftDetector(ref, { engine, method }).detect(cur);
        expect(a.statistic, method).toBeCloseTo(b.statistic, 10);
        expect(a.isDrift).toBe(b.isDrift);
      }
    } finally {
      wasm.close();
    }
  });
});

describe('through a worker (structured clone, error transfer)', () => {
  it('prepares in the worker, returns plain results and typed errors', async () => {
    const worker = await createEngine({ mode: 'worker' });
    try {
      const gen = normals(123);
      const ref = gen(400);
      const d = new DriftDetector({ x: ref, c: ['a', 'b', 'a', 'c'] }, { engine: worker });
      const r = await d.detect({ x: gen(300, 1), c: ['a', 'b', 'b'] });
      const local = await new DriftDetector({ x: ref, c: ['a', 'b', 'a', 'c'] }, { engine })
        .detect({ x: gen(0), c: ['a'] })
        .catch((e: unknown) => e);
      expect(local).toBeInstanceOf(DataError);
      expect(r.features.x!.isDrift).toBe(true);
      expect(r.features.x!.method).toBe('ks');
      await expect(d.detect({ x: new Float64Array(0), c: ['a'] })).rejects.toBeInstanceOf(
        DataError,
      );
      await d.dispose();
    } finally {
      worker.close();
    }
  });
});

describe('without an engine option', () => {
  it('uses the shared default engine (inline on WASM in Node)', async () => {
    const gen = normals(31);
    const d = new DriftDetector(gen(200));
    const r = await d.detect(gen(150, 2));
    expect(r.isDrift).toBe(true);
    expect(r.method).toBe('ks');
    await d.dispose();
  });
});

describe('one meaning per threshold', () => {
  it('{ threshold: 0.05 } holds its level on undrifted data across the old 1000-row switch', async () => {
    // Before: above 1000 rows auto switched to normed Wasserstein and 0.05 became a distance
    // (56 of 100 false alarms at 1001 rows, 35 of 50 at 2000).
    const gen = normals(1001);
    for (const n of [1000, 1001, 2000]) {
      const ref = gen(n);
      const d = new DriftDetector(ref, { engine, threshold: 0.05 });
      let alarms = 0;
      const trials = 100;
      for (let t = 0; t < trials; t++) {
        const r = await d.detect(gen(n));
        expect(r.method).toBe('ks');
        expect(r.threshold).toBe(0.05);
        if (r.isDrift) alarms++;
      }
      expect(alarms, `${n} rows`).toBeLessThanOrEqual(10);
      await d.dispose();
    }
  });

  it('the floor keeps a large sample from flagging a tiny shift; minEffect: 0 is the bare test', async () => {
    const gen = normals(50);
    const ref = gen(50_000);
    const tiny = gen(50_000, 0.05);
    const floored = await new DriftDetector(ref, { engine }).detect(tiny);
    const bare = await new DriftDetector(ref, { engine, minEffect: 0 }).detect(tiny);
    expect(floored.pValue).toBeLessThan(0.05);
    expect(floored.effect).toBeLessThan(0.1);
    expect(floored.isDrift).toBe(false);
    expect(bare.isDrift).toBe(true);
    expect(bare.minEffect).toBeUndefined();
    const real = await new DriftDetector(ref, { engine }).detect(gen(50_000, 0.2));
    expect(real.isDrift).toBe(true);
  });

  it('a named test has no floor; alpha is the level of tests, threshold the cut of distances', async () => {
    const gen = normals(3);
    const ref = { a: gen(300), b: gen(300) };
    const cur = { a: gen(300, 0.3), b: gen(300, 0.3) };
    const ks = await new DriftDetector(ref.a, { engine, method: 'ks' }).detect(cur.a);
    expect(ks.minEffect).toBeUndefined();
    const r = await new DriftDetector(ref, {
      engine,
      alpha: 0.01,
      threshold: 0.2,
      features: { b: { method: 'psi' } },
    }).detect(cur);
    expect(r.features.a!.threshold).toBe(0.01);
    expect(r.features.b!.threshold).toBe(0.2);
  });

  it('refuses a detector-level threshold that would be a level for some features and a distance for others', () => {
    const gen = normals(4);
    const ref = { a: gen(100), b: gen(100) };
    expect(
      () => new DriftDetector(ref, { engine, threshold: 0.05, features: { b: { method: 'psi' } } }),
    ).toThrow(/threshold: expected one meaning.*a \(tests\).*b; set alpha/);
    expect(() => new DriftDetector(ref, { engine, alpha: 1 })).toThrow(ConfigError);
    expect(() => new DriftDetector(ref, { engine, minEffect: -1 })).toThrow(ConfigError);
  });
});

describe("Evidently's method names", () => {
  it('each alias gives the same result as the method it names', async () => {
    const gen = normals(12);
    const ref = gen(400);
    const cur = gen(300, 0.3, 1.2);
    const numeric = {
      kl_div: 'kl',
      jensenshannon: 'jensenshannon',
      wasserstein: 'wasserstein',
      hellinger: 'hellinger',
      ed: 'energy',
      es: 'eppssingleton',
      t_test: 'ttest',
      anderson: 'anderson',
      cramer_von_mises: 'cramervonmises',
      TVD: 'tvd',
      psi: 'psi',
      ks: 'ks',
    } as const;
    for (const [alias, method] of Object.entries(numeric)) {
      const a = await new DriftDetector(ref, { engine, method: alias as never }).detect(cur);
      const b = await new DriftDetector(ref, { engine, method }).detect(cur);
      expect(a, alias).toEqual(b);
      expect(a.method).toBe(method);
    }
    const cats = categories(13);
    const refC = cats(300, ['a', 'b'], [1, 1]);
    const curC = cats(200, ['a', 'b'], [1, 2]);
    for (const [alias, method] of Object.entries({
      chisquare: 'chisquare',
      z: 'ztest',
      fisher_exact: 'fisher',
      g_test: 'gtest',
    } as const)) {
      const a = await new DriftDetector(refC, { engine, method: alias as never }).detect(curC);
      const b = await new DriftDetector(refC, { engine, method }).detect(curC);
      expect(a, alias).toEqual(b);
    }
  });

  it('an unknown name is refused with the valid names; es needs 5 values a side', async () => {
    expect(() => new DriftDetector([1, 2, 3], { engine, method: 'zz' as never })).toThrow(
      /method: expected 'auto', one of ks, .*eppssingleton.* got "zz"/,
    );
    await expect(
      new DriftDetector([1, 2, 3], { engine, method: 'es' }).detect([1, 2, 3, 4, 5]),
    ).rejects.toThrow(/eppssingleton needs at least 5 values on each side, got 3 and 5/);
    await expect(
      new DriftDetector([1, 1, 1, 1, 1, 1], { engine, method: 'es' }).detect([1, 1, 1, 1, 1]),
    ).rejects.toThrow(DataError);
  });
});
