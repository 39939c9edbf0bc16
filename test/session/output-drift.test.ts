/**
 * Output drift in EdgeMonitor: the window's predictions against the model's
 * predictions on its reference run, on the real engine (inline WASM kernel).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import { validateWindowRecord, type WindowRecord } from '../../src/window/window-record.js';
import { fakeClock, normal, record, rng } from './helpers.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { useEdgeMonitors } from '../support/edge-monitors.js';

let engine: EngineHandle;
const { monitor } = useEdgeMonitors({ engine: (e) => (engine = e) });

const CLASSES = ['person', 'vehicle', 'pallet', 'free'] as const;
const BASE = [0.4, 0.2, 0.3, 0.1];
const SHIFTED = [0.15, 0.6, 0.15, 0.1];

/** Draws a class from the priors. */
function draw(u: () => number, priors: readonly number[]): string {
  let x = u();
  for (let k = 0; k < priors.length; k++) {
    x -= priors[k]!;
    if (x < 0) return CLASSES[k]!;
  }
  return CLASSES[CLASSES.length - 1]!;
}

const classes = (u: () => number, n: number, priors: readonly number[] = BASE): string[] =>
  Array.from({ length: n }, () => draw(u, priors));

const outputRows = (r: WindowRecord) => r.drift.filter((d) => d.source === 'output');

describe('EdgeMonitor output drift', () => {
  it('tests each window’s predicted-class shares against the reference (same result as a DriftDetector)', async () => {
    const u = rng(1);
    const reference = classes(u, 800);
    const m = await monitor({ predictionReference: reference, windowCount: 200 });
    const rec = record(m);
    const clean = classes(u, 200);
    const shifted = classes(u, 200, SHIFTED);
    m.observeMany(clean.map((prediction) => ({ prediction })));
    m.observeMany(shifted.map((prediction) => ({ prediction })));
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(rec.windows).toHaveLength(2);

    const independent = new DriftDetector(reference, { engine });
    for (const [k, preds] of [clean, shifted].entries()) {
      const w = rec.windows[k]!;
      expect(validateWindowRecord(w.record)).toEqual([]);
      const expected = await independent.detect(preds);
      expect(expected.method).toBe('chisquare');
      expect(outputRows(w.record)).toEqual([
        {
          feature: 'prediction',
          source: 'output',
          method: 'chisquare',
          statistic: expected.statistic,
          pValue: expected.pValue,
          threshold: 0.05,
          isDrift: expected.isDrift,
        },
      ]);
      expect(w.outputDrift?.statistic).toBe(expected.statistic);
      expect(w.outputDrift?.model).toBe('perception');
    }
    expect(rec.windows[0]!.record.drift[0]!.isDrift).toBe(false);
    expect(rec.windows[1]!.record.drift[0]!.isDrift).toBe(true);
    await independent.dispose();
    // The default rule fires on the shifted window, tagged with the model.
    const fired = rec.alerts.filter((a) => a.state === 'firing');
    expect(fired.map((a) => a.name)).toEqual(['output_drift']);
    expect(fired[0]!.labels.model_version).toBe('1');
    expect(rec.windows[1]!.record.alerts.map((a) => a.name)).toEqual(['output_drift']);
  });

  it('counts a class the reference never saw as its own bin (drift), and bad predictions as drops', async () => {
    const u = rng(3);
    const m = await monitor({ predictionReference: classes(u, 500), windowCount: 100 });
    const rec = record(m);
    const batch: Array<{ prediction: unknown }> = classes(u, 100).map((prediction) => ({
      prediction,
    }));
    // 20 predictions of a class the model never produced on its holdout set.
    for (let i = 0; i < 20; i++) batch[i * 5] = { prediction: 'forklift' };
    m.observeMany(batch);
    m.observeMany([{ prediction: { nested: 1 } }, { prediction: NaN }]);
    m.observeMany(42 as unknown as Iterable<{ prediction: unknown }>);
    await m.close();
    expect(rec.errors).toEqual([]);
    const [w1, w2] = rec.windows.map((w) => w.record);
    expect(outputRows(w1!)[0]).toMatchObject({ method: 'chisquare', isDrift: true });
    expect(outputRows(w1!)[0]!.pValue).toBeLessThan(1e-6);
    // Two malformed predictions and one non-iterable batch: counted, never thrown.
    expect(w2!.drops).toMatchObject({ output_invalid: 2, observation_invalid: 1 });
    expect(w2!.counters.predictions).toBe(2);
  });

  it('tests scores with KS, and PSI on request', async () => {
    const u = rng(5);
    const scores = (n: number, shift: number) =>
      Float64Array.from({ length: n }, () => 1 / (1 + Math.exp(-(normal(u) + shift))));
    const ks = await monitor({ predictionReference: scores(600, 0), windowCount: 150 });
    const psi = await monitor({
      predictionReference: scores(600, 0),
      outputDrift: { method: 'psi' },
      windowCount: 150,
    });
    const rk = record(ks);
    const rp = record(psi);
    for (const shift of [0, 1]) {
      const batch = [...scores(150, shift)].map((prediction) => ({ prediction }));
      ks.observeMany(batch);
      psi.observeMany(batch);
    }
    await ks.close();
    await psi.close();
    expect(rk.windows.map((w) => outputRows(w.record)[0]?.method)).toEqual(['ks', 'ks']);
    expect(rk.windows.map((w) => w.record.drift[0]!.isDrift)).toEqual([false, true]);
    expect(rp.windows.map((w) => outputRows(w.record)[0]?.method)).toEqual(['psi', 'psi']);
    expect(rp.windows.map((w) => w.record.drift[0]!.isDrift)).toEqual([false, true]);
    // A string prediction is no score: dropped.
    const again = await monitor({ predictionReference: scores(100, 0), windowCount: 1 });
    const ra = record(again);
    again.observe({ prediction: 'high' });
    await again.close();
    expect(ra.windows[0]!.record.drops.output_invalid).toBe(1);
  });

  it('false-alarm rate on unshifted streams is at most alpha + 2 points (200 trials each)', async () => {
    const alpha = 0.05;
    const u = rng(7);
    let classAlarms = 0;
    let scoreAlarms = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const m = await monitor({
        predictionReference: classes(u, 400),
        outputDrift: { threshold: alpha },
        windowCount: 100,
        rules: [],
      });
      const s = await monitor({
        predictionReference: Float64Array.from({ length: 400 }, () => normal(u)),
        outputDrift: { threshold: alpha },
        windowCount: 100,
        rules: [],
      });
      const rm = record(m);
      const rs = record(s);
      m.observeMany(classes(u, 100).map((prediction) => ({ prediction })));
      s.observeMany(Array.from({ length: 100 }, () => ({ prediction: normal(u) })));
      await m.close();
      await s.close();
      if (rm.windows[0]!.outputDrift!.isDrift) classAlarms++;
      if (rs.windows[0]!.outputDrift!.isDrift) scoreAlarms++;
      expect(rm.windows[0]!.outputDrift!.method).toBe('chisquare');
      expect(rs.windows[0]!.outputDrift!.method).toBe('ks');
    }
    expect(classAlarms / trials).toBeLessThanOrEqual(alpha + 0.02);
    expect(scoreAlarms / trials).toBeLessThanOrEqual(alpha + 0.02);
  }, 120_000);

  it('setModel swaps the prediction reference; the window before the switch keeps the old one', async () => {
    const u = rng(9);
    const clock = fakeClock();
    const before = classes(u, 600);
    const after = classes(u, 600, SHIFTED);
    const m = await monitor({ predictionReference: before, now: clock.now });
    const rec = record(m);
    const w1 = classes(u, 100, SHIFTED);
    const w2 = classes(u, 100, SHIFTED);
    m.observeMany(w1.map((prediction) => ({ prediction })));
    const sealed = await m.setModel('2', { predictionReference: after });
    m.observeMany(w2.map((prediction) => ({ prediction })));
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(sealed?.model.version).toBe('1');
    const old = new DriftDetector(before, { engine });
    const swapped = new DriftDetector(after, { engine });
    const expected = [await old.detect(w1), await swapped.detect(w2)];
    await old.dispose();
    await swapped.dispose();
    expect(rec.windows.map((w) => [w.record.model.version, w.outputDrift?.statistic])).toEqual([
      ['1', expected[0]!.statistic],
      ['2', expected[1]!.statistic],
    ]);
    expect(expected[0]!.pValue).toBeLessThan(1e-6);
  });

  it('rejects a bad prediction reference with ConfigError, leaving the model unchanged', async () => {
    await expect(monitor({ predictionReference: [] })).rejects.toThrow(ConfigError);
    await expect(monitor({ predictionReference: 'abc' as unknown as string[] })).rejects.toThrow(
      /expected predictionReference to be an array/,
    );
    await expect(
      monitor({ predictionReference: [1, { a: 1 }] as unknown as number[] }),
    ).rejects.toThrow(ConfigError);
    const m = await monitor({ predictionReference: ['a', 'b'] });
    await expect(m.setModel('2', { predictionReference: [] })).rejects.toThrow(ConfigError);
    expect(m.model.modelVersion).toBe('1');
  });

  it('reads the reference from the registry version’s metadata and follows activations', async () => {
    const u = rng(11);
    const registry = await ModelRegistry.open({ backend: 'memory' });
    await registry.register({
      name: 'perception',
      version: '1',
      activate: true,
      metadata: { predictionReference: classes(u, 600) },
    });
    await registry.register({
      name: 'perception',
      version: '2',
      metadata: { predictionReference: classes(u, 600, SHIFTED) },
    });
    const m = await monitor({ model: { registry, name: 'perception' } });
    const rec = record(m);
    const shifted = () => classes(u, 100, SHIFTED).map((prediction) => ({ prediction }));
    m.observeMany(shifted());
    await m.sealWindow();
    await registry.setActive('perception', '2');
    m.observeMany(shifted());
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(rec.windows.map((w) => [w.record.model.version, w.outputDrift?.isDrift])).toEqual([
      ['1', true],
      ['2', false],
    ]);
    expect(rec.alerts.filter((a) => a.state === 'firing').map((a) => a.name)).toEqual([
      'output_drift',
    ]);
  });

  it('fires the output-drift alert before the accuracy alert when labels arrive late', async () => {
    const u = rng(13);
    const m = await monitor({
      predictionReference: classes(u, 800),
      baseline: { accuracy: 0.9 },
      windowCount: 100,
      performance: { windowSize: 100 },
    });
    const rec = record(m);
    // Label shift: the world moved to vehicles; the model (trained on the old mix)
    // predicts what it sees, and is wrong more often. Labels come one window late.
    let pending: Array<{ id: number; label: string }> = [];
    let id = 0;
    for (let w = 0; w < 3; w++) {
      const batch = classes(u, 100, SHIFTED).map((label) => {
        const prediction = u() < 0.7 ? label : 'person';
        pending.push({ id: ++id, label });
        return { prediction, id };
      });
      const late = pending.splice(0, w === 0 ? 0 : 100);
      for (const l of late) m.label(l.id, l.label);
      m.observeMany(batch);
      await m.sealWindow();
    }
    for (const l of pending) m.label(l.id, l.label);
    pending = [];
    await m.close();
    expect(rec.errors).toEqual([]);
    const order = rec.alerts.filter((a) => a.state === 'firing').map((a) => a.name);
    expect(order[0]).toBe('output_drift');
    expect(order).toContain('accuracy_drop');
  });
});
