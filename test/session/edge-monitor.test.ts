import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { LatencyTracker } from '../../src/metrics/latency-tracker.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';
import { outboxBacklogBudget } from '../../src/lifecycle/budget-rules.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { EdgeMonitorOptions } from '../../src/session/edge-monitor-options.js';
import { flattenPerformance, toWindowDrift } from '../../src/session/window-contents.js';
import { fakeClock, normal, record, referenceTable, rng } from './helpers.js';
import type { EngineHandle } from '../../src/engine/client.js';
import { useEdgeMonitors, TEST_MODEL } from '../support/edge-monitors.js';

const MODEL = TEST_MODEL;

let engine: EngineHandle;
const { monitor } = useEdgeMonitors({ engine: (e) => (engine = e) });

/** One synthetic prediction: features from N(shift, 1), label correct with probability `acc`. */
function sample(u: () => number, shift: number, acc: number, latency: number) {
  const label = u() < 0.5 ? 'go' : 'stop';
  const prediction = u() < acc ? label : label === 'go' ? 'stop' : 'go';
  const features = { x: normal(u) + shift, c: shift > 0 ? 'c' : 'abc'[Math.floor(u() * 3)]! };
  return { features, prediction, label, latencyMs: latency * (0.5 + u()) };
}

describe('EdgeMonitor windows', () => {
  it('seals count windows whose contents equal the monitors’ own results', async () => {
    const ref = referenceTable(400, 1);
    const clock = fakeClock();
    const m = await monitor({
      reference: ref,
      windowCount: 100,
      now: clock.now,
      baseline: { accuracy: 0.9 },
    });
    const rec = record(m);
    const u = rng(2);
    const obs = Array.from({ length: 200 }, () => sample(u, 0, 0.85, 10));
    for (const o of obs) {
      m.observe(o);
      clock.advance(7);
    }
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(rec.windows.map((w) => w.record.counters.predictions)).toEqual([100, 100]);

    for (const [k, w] of rec.windows.entries()) {
      const part = obs.slice(k * 100, (k + 1) * 100);
      const r = w.record;
      expect(validateWindowRecord(r)).toEqual([]);
      expect(r.deviceId).toBe('robot-7');
      expect(r.model).toEqual({ name: 'perception', version: '1' });
      expect(r.end - r.start).toBe(k === 0 ? 99 * 7 : 100 * 7);
      // Latency: the same values in an independent tracker give the same sketch bytes.
      const lt = new LatencyTracker({ engine });
      for (const o of part) lt.record(o.latencyMs);
      const snap = await lt.snapshot();
      await lt.close();
      expect(r.sketches.latency).toBe(bytesToBase64(snap.sketch));
      const lat = part.map((o) => o.latencyMs).sort((a, b) => a - b);
      expect(w.latency.count).toBe(100);
      expect(w.latency.min).toBe(lat[0]);
      expect(w.latency.max).toBe(lat[99]);
      const exactP50 = lat[Math.floor(0.5 * 99)]!;
      expect(Math.abs(w.latency.p50 - exactP50)).toBeLessThanOrEqual(
        relativeErrorBound(7) * exactP50 * (1 + 1e-9),
      );
      // Performance: an independent monitor over the same pairs (its window = the window's 100).
      const pm = new PerformanceMonitor({ windowSize: 100, baseline: { accuracy: 0.9 } });
      for (const o of part) pm.update(o.prediction, o.label);
      expect(r.performance).toEqual(flattenPerformance(pm.getMetrics()));
      const hits = part.filter((o) => o.prediction === o.label).length;
      expect(r.performance.accuracy).toBeCloseTo(hits / 100, 12);
      expect(r.counters.labelled).toBe(100);
      // Drift: an independent detector on the same rows.
      const det = new DriftDetector(ref, { engine });
      const d = await det.detect({
        x: Float64Array.from(part.map((o) => o.features.x)),
        c: part.map((o) => o.features.c),
      });
      await det.dispose();
      expect(r.drift).toEqual(toWindowDrift(d).rows);
      expect(r.drift.map((x) => x.feature).sort()).toEqual(['c', 'x']);
      expect(w.drift?.model).toBe('perception');
      expect(w.drift?.modelVersion).toBe('1');
      expect(r.drops).toEqual({});
    }
    expect(rec.drifts).toHaveLength(2);
  });

  it('fires tagged alerts on injected degradation, drift and slow inference', async () => {
    const ref = referenceTable(400, 3);
    const m = await monitor({
      reference: ref,
      // A strict level keeps the healthy window's false-alarm chance near 0.2%.
      drift: { threshold: 0.001 },
      windowCount: 100,
      baseline: { accuracy: 0.9 },
      latencyP99Ms: 100,
    });
    const rec = record(m);
    const u = rng(4);
    const feed = (shift: number, acc: number, lat: number): void => {
      for (let i = 0; i < 100; i++) m.observe(sample(u, shift, acc, lat));
    };
    feed(0, 0.97, 10); // healthy
    feed(2, 0.6, 10); // drifted and degraded
    feed(0, 0.97, 400); // slow
    await m.close();
    const names = rec.windows.map((w) => w.record.alerts.map((a) => a.name).sort());
    expect(names[0]).toEqual([]);
    expect(names[1]).toEqual(['accuracy_drop', 'drift']);
    expect(names[2]).toEqual(['latency_p99_above']);
    expect(rec.windows[1]!.record.drift.every((d) => d.isDrift)).toBe(true);
    expect(rec.windows[1]!.record.performance['degradation.accuracy']).toBeGreaterThan(0.05);
    for (const a of rec.alerts) {
      expect(a.labels).toMatchObject({ model: 'perception', model_version: '1' });
    }
    // accuracy_drop and drift resolve in window 3; latency fires there.
    expect(rec.alerts.map((a) => `${a.name}:${a.state}`).sort()).toEqual([
      'accuracy_drop:firing',
      'accuracy_drop:resolved',
      'drift:firing',
      'drift:resolved',
      'latency_p99_above:firing',
    ]);
    expect(rec.windows[2]!.firing.map((a) => a.name)).toEqual(['latency_p99_above']);
  });

  it('counts bad observations instead of throwing (property)', async () => {
    const m = await monitor({ reference: { x: [0, 1, 2, 3] }, minDriftRows: 1 });
    const rec = record(m);
    await fc.assert(
      fc.property(fc.anything(), (junk) => {
        m.observe(junk as never);
        m.observe({ prediction: 1, latencyMs: junk as never, features: junk as never });
        m.label(junk as never, junk);
      }),
      { numRuns: 200 },
    );
    await m.sealWindow();
    expect(rec.errors).toEqual([]);
    expect(validateWindowRecord(rec.windows[0]!.record)).toEqual([]);

    const m2 = await monitor({
      reference: { x: [0, 1, 2, 3] },
      minDriftRows: 1,
      maxBufferedRows: 2,
    });
    const rec2 = record(m2);
    m2.observe(null as never);
    m2.observe({} as never);
    m2.observe({ prediction: 1, latencyMs: NaN });
    m2.observe({ prediction: 1, latencyMs: -1, features: 'x' as never });
    m2.observe({ prediction: 1, features: { x: 1, y: 2, z: 3 } });
    m2.observe({ prediction: 1, features: { x: 2 } });
    m2.observe({ prediction: 1, features: { x: 3 } }); // buffer full
    m2.observe({ prediction: 'a', label: 1 }); // type mismatch: performance drop
    expect(m2.label('never-seen', 1)).toBe(false);
    await m2.sealWindow();
    const r = rec2.windows[0]!.record;
    expect(r.drops).toEqual({
      observation_invalid: 2,
      latency_invalid: 2,
      features_invalid: 1,
      feature_unknown: 2,
      features_buffer_full: 1,
      performance: 1,
      label_unmatched: 1,
    });
    expect(r.counters.predictions).toBe(6);
    expect(r.counters.featureRows).toBe(2);
  });

  it('close() is idempotent, seals the last partial window and keeps a given store open', async () => {
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    const m = await monitor({ store, windowCount: 10 });
    const rec = record(m);
    for (let i = 0; i < 25; i++) m.observe({ prediction: 1, label: 1, latencyMs: 1 + i });
    const a = m.close();
    const b = m.close();
    expect(b).toBe(a);
    await a;
    await m.close();
    m.observe({ prediction: 1 }); // after close: ignored, no throw
    expect(rec.windows.map((w) => w.record.counters.predictions)).toEqual([10, 10, 5]);
    const out = await store.peek(10);
    expect(out.map((e) => e.windowId)).toEqual(rec.windows.map((w) => w.record.windowId));
    expect((await store.stats()).outbox.count).toBe(3);
    await store.close();
  });

  it('[Symbol.asyncDispose] closes like close(): the last partial window is sealed', async () => {
    const m = await monitor({ windowCount: 10 });
    const rec = record(m);
    for (let i = 0; i < 15; i++) m.observe({ prediction: 1, label: 1, latencyMs: 1 });
    await m[Symbol.asyncDispose]();
    expect(rec.windows.map((w) => w.record.counters.predictions)).toEqual([10, 5]);
    await m.close(); // idempotent after dispose
  });

  it('closes time windows on the clock and skips empty ones', async () => {
    const clock = fakeClock();
    const m = await monitor({ windowMs: 1000, now: clock.now });
    const rec = record(m);
    const t0 = clock.now();
    m.observe({ prediction: 1, latencyMs: 3 });
    clock.advance(999);
    m.observe({ prediction: 1, latencyMs: 4 });
    clock.advance(1);
    m.observe({ prediction: 1, latencyMs: 5 }); // due: closes [t0, t0+1000] with all three
    clock.advance(5000);
    await m.sealWindow(); // empty: skipped
    await m.close();
    expect(rec.windows).toHaveLength(1);
    expect(rec.windows[0]!.record.start).toBe(t0);
    expect(rec.windows[0]!.record.end).toBe(t0 + 1000);
    expect(rec.windows[0]!.latency.count).toBe(3);
  });
  it('seals on its own timer when no prediction arrives', async () => {
    const m = await monitor({ windowMs: 40 });
    const rec = record(m);
    const sealed = new Promise((resolve) => m.on('window', resolve));
    m.observe({ prediction: 1, latencyMs: 2 });
    await sealed; // no further observe(): the timer closed it
    expect(rec.windows).toHaveLength(1);
    expect(rec.windows[0]!.record.counters.predictions).toBe(1);
    expect(rec.windows[0]!.record.end - rec.windows[0]!.record.start).toBeGreaterThanOrEqual(39);
  });
});

describe('EdgeMonitor model versions, labels, log, retraining, backlog', () => {
  it('switching the model version seals the window under the old version first', async () => {
    const m = await monitor({
      windowCount: 1000,
      baseline: { accuracy: 0.9 },
      performance: { windowSize: 4 },
    });
    const rec = record(m);
    for (let i = 0; i < 5; i++) m.observe({ prediction: 0, label: 1 });
    const pending = m.setModel('2'); // the v1 window finishes after the switch
    for (let i = 0; i < 5; i++) m.observe({ prediction: 1, label: 1 });
    const sealed = await pending;
    await m.close();
    expect(sealed?.model.version).toBe('1');
    expect(rec.windows.map((w) => [w.record.model.version, w.record.counters.predictions])).toEqual(
      [
        ['1', 5],
        ['2', 5],
      ],
    );
    // The performance window restarted with the new version, with the same options.
    expect(rec.windows.map((w) => w.record.performance.accuracy)).toEqual([0, 1]);
    expect(rec.windows.map((w) => w.record.performance.numSamples)).toEqual([4, 4]);
    // Alerts carry the version they were measured on, not the one active when reported.
    expect(rec.windows.map((w) => w.record.alerts.map((a) => a.name))).toEqual([
      ['accuracy_drop'],
      [],
    ]);
    expect(rec.alerts.map((a) => [a.state, a.labels.model_version])).toEqual([
      ['firing', '1'],
      ['resolved', '2'],
    ]);
    expect(m.labels).toEqual({ model: 'perception', model_version: '2' });
    await expect(m.setModel('')).rejects.toBeInstanceOf(ConfigError);
  });

  it('setModel swaps the drift reference; the window before the switch keeps the old one', async () => {
    const ref1 = referenceTable(400, 21);
    const ref2 = { x: ref1.x.map((v) => v + 2), c: ref1.c };
    const m = await monitor({ reference: ref1 });
    const rec = record(m);
    const u = rng(22);
    // Both windows come from the shifted world: drift against v1's data, none against v2's.
    const rows = (n: number) =>
      Array.from({ length: n }, () => ({ x: normal(u) + 2, c: 'abc'[Math.floor(u() * 3)]! }));
    const w1 = rows(200);
    const w2 = rows(200);
    m.observeMany(w1.map((features) => ({ features, prediction: 1 })));
    const sealed = m.setModel('2', { reference: ref2 }); // synchronous up to the seal
    m.observeMany(w2.map((features) => ({ features, prediction: 1 })));
    expect((await sealed)?.model.version).toBe('1');
    await m.close();
    expect(rec.errors).toEqual([]);
    const table = (w: typeof w1) => ({
      x: Float64Array.from(w, (r) => r.x),
      c: w.map((r) => r.c),
    });
    const old = new DriftDetector(ref1, { engine });
    const swapped = new DriftDetector(ref2, { engine });
    const expected = [await old.detect(table(w1)), await swapped.detect(table(w2))];
    await old.close();
    await swapped.close();
    expect(
      rec.windows.map((w) => [
        w.record.model.version,
        w.drift?.features.x!.statistic,
        w.drift?.isDrift,
      ]),
    ).toEqual([
      ['1', expected[0]!.features.x!.statistic, true],
      ['2', expected[1]!.features.x!.statistic, false],
    ]);
    expect(expected[0]!.features.x!.pValue).toBeLessThan(1e-6);
  });

  it('setModel rejects a bad reference with ConfigError and changes nothing', async () => {
    const ref = referenceTable(200, 23);
    const m = await monitor({ reference: ref, windowCount: 100 });
    const rec = record(m);
    await expect(m.setModel('2', { reference: { x: [] } })).rejects.toBeInstanceOf(ConfigError);
    await expect(
      m.setModel('2', { reference: 'x' as unknown as Record<string, number[]> }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(m.model.modelVersion).toBe('1');
    // The v1 reference still serves: a clean window from its own distribution does not drift.
    const u = rng(24);
    for (let i = 0; i < 100; i++)
      m.observe({ features: { x: normal(u), c: 'abc'[Math.floor(u() * 3)]! }, prediction: 1 });
    await m.close();
    expect(rec.windows.map((w) => [w.record.model.version, w.drift?.isDrift])).toEqual([
      ['1', false],
    ]);
    const withProfiles = await monitor({ reference: ref, profiles: { features: 'all' } });
    await expect(withProfiles.setModel('2', { reference: ref })).rejects.toThrow(
      /profiles or multivariate/,
    );
    expect(withProfiles.model.modelVersion).toBe('1');
  });

  it('follows the active version of a registry', async () => {
    const registry = await ModelRegistry.open({ backend: 'memory' });
    await registry.register({ name: 'perception', version: '1', activate: true });
    await registry.register({ name: 'perception', version: '2' });
    const m = await monitor({ model: { registry, name: 'perception' } });
    const rec = record(m);
    m.observe({ prediction: 1 });
    await registry.setActive('perception', '2');
    m.observe({ prediction: 1 });
    await m.close();
    expect(rec.windows.map((w) => w.record.model.version)).toEqual(['1', '2']);
    const empty = await ModelRegistry.open({ backend: 'memory' });
    await expect(
      EdgeMonitor.create({ model: { registry: empty, name: 'nope' }, engine }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('matches delayed labels by id', async () => {
    const m = await monitor();
    const rec = record(m);
    m.observe({ prediction: 'go', id: 'a' });
    m.observe({ prediction: 'stop', id: 'b' });
    expect(m.label('a', 'go')).toBe(true);
    expect(m.label('b', 'go')).toBe(true);
    expect(m.label('zzz', 'go')).toBe(false);
    await m.close();
    const r = rec.windows[0]!.record;
    expect(r.counters.labelled).toBe(2);
    expect(r.performance.accuracy).toBe(0.5);
    expect(r.performance.pendingLabels).toBe(0);
    expect(r.drops.label_unmatched).toBe(1);
  });

  it('drains the prediction log into windows only when asked', async () => {
    const m = await monitor({ predictionLog: true, windowCount: 300 });
    const rec = record(m);
    for (let i = 0; i < 300; i++)
      m.observe({ prediction: i, label: i % 2, latencyMs: i / 10, features: { i } });
    await m.close();
    const p = rec.windows[0]!.record.predictions!;
    expect(p.map((e) => e.output)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(p[7]).toMatchObject({ inputs: { i: 7 }, label: 1, latencyMs: 0.7 });

    const store = await WindowStore.open({ backend: 'memory', persist: false });
    const local = await monitor({ predictionLog: { flush: false }, store });
    const rec2 = record(local);
    for (let i = 0; i < 10; i++) local.observe({ prediction: i });
    await local.close();
    expect(rec2.windows[0]!.record.predictions).toBeUndefined();
    expect((await store.predictionLog.size()).count).toBe(10);
    await store.close();
  });

  it('hands the window’s drift result to the retraining trigger', async () => {
    const runs: unknown[] = [];
    const m = await monitor({
      reference: referenceTable(300, 5),
      windowCount: 100,
      retrain: { run: (ev) => void runs.push(ev) },
    });
    const u = rng(6);
    for (let i = 0; i < 100; i++) m.observe(sample(u, 0, 1, 5));
    for (let i = 0; i < 100; i++) m.observe(sample(u, 3, 1, 5));
    await m.close();
    await m.retrain!.idle();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ reason: 'drift', sampleCount: 100, drift: { isDrift: true } });
  });

  it('does not retrain on drift against a reference that setModel has replaced', async () => {
    const ref1 = { x: referenceTable(300, 5).x };
    const ref2 = { x: ref1.x.map((v) => v + 3) };
    const runs: Array<{ drift?: { isDrift: boolean } }> = [];
    const m = await monitor({
      reference: ref1,
      drift: { threshold: 1e-6 }, // shifts of 3σ only: no false alarm at this level
      retrain: { run: (ev) => void runs.push(ev) },
    });
    const u = rng(6);
    // Observed under v1, sealed by the switch: drift against v1's data, but v1 is gone.
    for (let i = 0; i < 100; i++) m.observe(sample(u, 3, 1, 5));
    const first = m.setModel('2', { reference: ref2 });
    // Under v2: the same world, no drift against v2's data; then a world v2 never saw.
    for (let i = 0; i < 100; i++) m.observe(sample(u, 3, 1, 5));
    await first;
    await m.sealWindow();
    for (let i = 0; i < 100; i++) m.observe(sample(u, 0, 1, 5));
    await m.close();
    await m.retrain!.idle();
    const rec = m.retrain!.history;
    expect(rec).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.drift?.isDrift).toBe(true);
  });

  it('exposes the outbox backlog age to the rules (outboxBacklogAgeMs)', async () => {
    const clock = fakeClock();
    const store = await WindowStore.open({ backend: 'memory', persist: false, now: clock.now });
    const m = await monitor({ store, now: clock.now, rules: [outboxBacklogBudget(60_000)] });
    const rec = record(m);
    m.observe({ prediction: 1 });
    await m.sealWindow(); // nothing waiting yet when evaluated
    clock.advance(30_000);
    m.observe({ prediction: 1 });
    await m.sealWindow(); // oldest unsent: 30 s
    clock.advance(40_000);
    m.observe({ prediction: 1 });
    await m.sealWindow(); // oldest unsent: 70 s > 60 s
    await m.close();
    expect(rec.windows.map((w) => w.record.alerts.map((a) => a.name))).toEqual([
      [],
      [],
      ['outbox_backlog_budget'],
    ]);
    await store.close();
  });

  it('refuses bad options with ConfigError', async () => {
    const bad: unknown[] = [
      {},
      { model: { name: 'm' } },
      { model: MODEL, windowMs: 0 },
      { model: MODEL, windowCount: 1.5 },
      { model: MODEL, predictionLog: 'yes' },
      { model: MODEL, deviceId: '' },
      { model: MODEL, rules: 'none' },
    ];
    for (const o of bad) {
      await expect(
        EdgeMonitor.create({
          store: { backend: 'memory' },
          engine,
          ...(o as object),
        } as EdgeMonitorOptions),
      ).rejects.toBeInstanceOf(ConfigError);
    }
  });
});
