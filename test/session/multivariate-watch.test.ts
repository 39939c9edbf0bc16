/**
 * EdgeMonitor with an embedding column, the numeric features tested together,
 * and CBPE each window: on the real engine (inline WASM kernel), records
 * validated as the collector validates them, results equal to the engine's
 * own calls, and alert rules on the estimated metrics.
 */
import { describe, expect, it } from 'vitest';
import { performanceDrop } from '../../src/alerts/rules.js';
import { ConfigError } from '../../src/errors.js';
import { estimatePerformance, fitCbpe, mmdTest, prepareMmd } from '../../src/entry/multivariate.js';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { normal, record, rng } from './helpers.js';
import { useEdgeMonitors } from '../support/edge-monitors.js';

const { monitor } = useEdgeMonitors();

const u = rng(3);
const vec = (d: number, shift = 0): number[] => Array.from({ length: d }, () => normal(u) + shift);
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

describe('EdgeMonitor multivariate watch', () => {
  it('adds embedding drift rows (MMD, components) equal to the engine’s own results', async () => {
    const reference = Array.from({ length: 300 }, () => vec(16));
    const m = await monitor({
      embedding: { column: 'emb', reference, options: { mmd: { permutations: 50 } } },
      windowCount: 100,
    });
    const rec = record(m);
    const clean = Array.from({ length: 100 }, () => vec(16));
    const shifted = Array.from({ length: 100 }, () => vec(16, 0.5));
    m.observeMany(clean.map((emb) => ({ prediction: 1, features: { emb } })));
    m.observeMany(shifted.map((emb) => ({ prediction: 1, features: { emb } })));
    m.observe({ prediction: 1, features: { emb: [1, 2] } }); // wrong dimension: counted
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(rec.windows.length).toBeGreaterThanOrEqual(2);
    const model = prepareMmd(reference, { permutations: 50 });
    for (const [k, rows] of [clean, shifted].entries()) {
      const r = rec.windows[k]!.record;
      expect(validateWindowRecord(r)).toEqual([]);
      const emb = r.drift.filter((d) => d.source === 'embedding');
      expect(emb.map((d) => d.method)).toEqual(['mmd', 'components']);
      const expected = mmdTest(model, rows);
      expect(emb[0]).toEqual({
        feature: 'emb',
        source: 'embedding',
        method: 'mmd',
        statistic: expected.statistic,
        pValue: expected.pValue,
        threshold: 0.05,
        isDrift: expected.isDrift,
      });
    }
    expect(rec.windows[1]!.record.drift.find((d) => d.method === 'mmd')!.isDrift).toBe(true);
    expect(rec.windows.at(-1)!.record.drops.embedding_invalid).toBe(1);
  });

  it('tests the numeric reference columns together (PCA) with source multivariate', async () => {
    const n = 400;
    const a = Float64Array.from({ length: n }, () => normal(u));
    const b = Float64Array.from(a, (v) => v + 0.3 * normal(u));
    const c = Float64Array.from({ length: n }, () => normal(u));
    const m = await monitor({ reference: { a, b, c }, multivariate: {}, windowCount: 150 });
    const rec = record(m);
    for (let i = 0; i < 150; i++) {
      const x = normal(u);
      m.observe({ prediction: 0, features: { a: x, b: x + 0.3 * normal(u), c: normal(u) } });
    }
    // The correlation between a and b breaks: the marginals alone barely move.
    for (let i = 0; i < 150; i++)
      m.observe({ prediction: 0, features: { a: normal(u), b: normal(u), c: normal(u) } });
    await m.close();
    expect(rec.errors).toEqual([]);
    const rows = rec.windows.map((w) => w.record.drift.find((d) => d.source === 'multivariate'));
    expect(rows[0]).toMatchObject({ feature: 'features', method: 'pca', isDrift: false });
    expect(rows[1]).toMatchObject({ feature: 'features', method: 'pca', isDrift: true });
    for (const w of rec.windows) expect(validateWindowRecord(w.record)).toEqual([]);
  });

  it('reports estimated_* performance with its band and lets alert rules read it', async () => {
    const draw = (n: number, flip: boolean) =>
      Array.from({ length: n }, () => {
        const x = normal(u);
        const p = sig(2 * x);
        const y = u() < (flip ? 1 - p : p) ? 1 : 0;
        return { score: sig(3 * x), y };
      });
    const ref = draw(2000, false);
    const scores = ref.map((r) => r.score);
    const labels = ref.map((r) => r.y);
    const m = await monitor({
      estimatePerformance: { scores, labels, options: { draws: 100 } },
      rules: [performanceDrop('estimated_accuracy', 0.02, { baseline: 0.95 })],
      windowCount: 300,
    });
    const rec = record(m);
    const win = draw(300, false);
    m.observeMany(win.map((r) => ({ prediction: r.score })));
    await m.close();
    expect(rec.errors).toEqual([]);
    const w = rec.windows[0]!;
    expect(validateWindowRecord(w.record)).toEqual([]);
    const expected = estimatePerformance(
      fitCbpe(scores, labels, { draws: 100 }),
      win.map((r) => r.score),
    );
    expect(w.record.performance.estimated_accuracy).toBe(expected.metrics.accuracy.value);
    expect(w.record.performance.estimated_accuracy_lower).toBe(expected.metrics.accuracy.lower);
    expect(w.record.performance.estimated_accuracy_upper).toBe(expected.metrics.accuracy.upper);
    expect(w.record.performance.estimated_roc_auc).toBeGreaterThan(0.7);
    expect(w.estimate?.metrics.f1.value).toBe(expected.metrics.f1.value);
    // The estimate (≈ 0.74) is far below the 0.95 baseline: the rule fires on it.
    expect(w.firing.map((a) => a.name)).toContain('estimated_accuracy_drop');
  });

  it('refuses bad options with ConfigError', async () => {
    await expect(monitor({ embedding: { column: '', reference: [] } })).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(
      monitor({
        embedding: { column: 'e', reference: [[1], [2], [3], [4]], methods: ['nope' as never] },
      }),
    ).rejects.toThrow(/embedding.methods/);
    await expect(monitor({ multivariate: {} })).rejects.toThrow(/reference table/);
    await expect(
      monitor({ estimatePerformance: { scores: [0.1], labels: [0, 1] } }),
    ).rejects.toThrow();
  });
});
