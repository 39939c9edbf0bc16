import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { dataQuality } from '../../src/alerts/rules.js';
import { createEngine } from '../../src/engine/client.js';
import { ConfigError } from '../../src/errors.js';
import { CategoricalProfiler, NumericProfiler } from '../../src/profile/feature-profiler.js';
import { decodeProfile, profilesToWire } from '../../src/profile/profile-format.js';
import type { FeatureProfile } from '../../src/profile/profile-types.js';
import { WindowProfiler } from '../../src/profile/window-profiler.js';
import type { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { EdgeMonitorOptions } from '../../src/session/edge-monitor-options.js';
import { validateWindowRecord, type WindowRecord } from '../../src/window/window-record.js';
import { fakeClock, normal, record, referenceTable, rng } from './helpers.js';
import { useEdgeMonitors } from '../support/edge-monitors.js';

const { monitor } = useEdgeMonitors({
  defaults: () => ({ windowMs: 3_600_000, now: fakeClock().now }),
});

/** The profile the fleet code builds from the raw values (the device must send the same bytes). */
function direct(values: unknown[], kind: 'numeric' | 'categorical', minCategoryCount = 1) {
  let p: FeatureProfile;
  if (kind === 'numeric') {
    const np = new NumericProfiler();
    np.add(values);
    p = np.profile();
    np.close();
  } else {
    const cp = new CategoricalProfiler({ minCategoryCount });
    cp.add(values);
    p = cp.profile();
  }
  return profilesToWire({ f: p }).f;
}

/** The window's profiles of x (numeric) and c (categorical) are the bytes the raw values give. */
function expectDirectProfiles(rec: WindowRecord, rows: Array<Record<string, unknown>>): void {
  expect(rec.profiles!.x).toBe(
    direct(
      rows.map((r) => r.x),
      'numeric',
    ),
  );
  expect(rec.profiles!.c).toBe(
    direct(
      rows.map((r) => r.c),
      'categorical',
    ),
  );
}

/** 200 rows of mixed quality: x numeric (missing, strings, Infinity, out of range), c categorical. */
function dirtyRows(seed: number): Array<Record<string, unknown>> {
  const u = rng(seed);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 200; i++) {
    let x: unknown = normal(u);
    if (i % 10 === 0)
      x = 'n/a'; // 20 type mismatches
    else if (i % 25 === 1)
      x = null; // 8 missing
    else if (i % 50 === 2)
      x = Infinity; // 4 invalid
    else if (i % 40 === 3) x = 100; // 5 out of range
    let c: unknown = 'abc'[Math.floor(u() * 3)];
    if (i % 20 === 5)
      c = { bad: true }; // 10 invalid
    else if (i % 50 === 6)
      c = undefined; // 4 missing
    else if (i % 8 === 7) c = 'z'; // 25 new category
    const row: Record<string, unknown> = { x, c };
    if (c === undefined) delete row.c;
    rows.push(row);
  }
  return rows;
}

async function oneWindow(
  o: Partial<EdgeMonitorOptions>,
  rows: Array<Record<string, unknown>>,
): Promise<{ rec: WindowRecord; m: EdgeMonitor; events: ReturnType<typeof record> }> {
  const m = await monitor(o);
  const events = record(m);
  for (const features of rows) m.observe({ features, prediction: 1, latencyMs: 2 });
  const rec = await m.sealWindow();
  expect(rec).toBeDefined();
  return { rec: rec!, m, events };
}

describe('EdgeMonitor feature profiles', () => {
  it('sends the profiles the raw values give, with type mismatches counted invalid', async () => {
    const ref = referenceTable(400, 3);
    const rows = dirtyRows(11);
    const { rec, events } = await oneWindow({ reference: ref, profiles: {} }, rows);
    expect(events.errors).toEqual([]);
    expect(validateWindowRecord(rec)).toEqual([]);
    expect(Object.keys(rec.profiles ?? {}).sort()).toEqual(['c', 'x']);
    expectDirectProfiles(rec, rows);
    const x = decodeProfile(Buffer.from(rec.profiles!.x!, 'base64'));
    const c = decodeProfile(Buffer.from(rec.profiles!.c!, 'base64'));
    expect([x.missing, x.invalid]).toEqual([8, 24]);
    expect([c.missing, c.invalid]).toEqual([4, 10]);

    const refMin = Math.min(...ref.x);
    const refMax = Math.max(...ref.x);
    const finite = rows
      .map((r) => r.x)
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const outside = finite.filter((v) => v < refMin || v > refMax).length;
    expect(outside).toBeGreaterThanOrEqual(5);
    const p = rec.performance;
    expect(p.quality_x_missing_share).toBeCloseTo(8 / 200, 12);
    expect(p.quality_x_invalid_share).toBeCloseTo(24 / 200, 12);
    expect(p.quality_x_out_of_range_share).toBeCloseTo(outside / finite.length, 12);
    expect(p.quality_x_constant).toBe(0);
    expect(p.quality_c_missing_share).toBeCloseTo(4 / 200, 12);
    expect(p.quality_c_invalid_share).toBeCloseTo(10 / 200, 12);
    expect(p.quality_c_new_categories).toBe(1);
    expect(p.quality_c_new_category_share).toBeCloseTo(25 / 186, 12);
    expect(p.quality_c_out_of_range_share).toBeUndefined();
    // The drift check still sees the same table (mismatches as missing).
    expect(rec.drift.map((d) => d.feature).sort()).toEqual(['c', 'x']);
  });

  it('is off by default: no profiles, no quality figures', async () => {
    const { rec } = await oneWindow({ reference: referenceTable(400, 3) }, dirtyRows(12));
    expect(rec.profiles).toBeUndefined();
    expect(Object.keys(rec.performance).filter((k) => k.startsWith('quality_'))).toEqual([]);
  });

  it('profiles only the listed features, suppresses rare categories, also below minDriftRows', async () => {
    const rows = dirtyRows(13).slice(0, 20);
    const { rec } = await oneWindow(
      { reference: referenceTable(400, 3), profiles: { features: ['c'], minCategoryCount: 3 } },
      rows,
    );
    expect(rec.drift).toEqual([]); // 20 rows < minDriftRows
    expect(Object.keys(rec.profiles ?? {})).toEqual(['c']);
    expect(rec.profiles!.c).toBe(
      direct(
        rows.map((r) => r.c),
        'categorical',
        3,
      ),
    );
    const c = decodeProfile(Buffer.from(rec.profiles!.c!, 'base64'));
    expect(c.kind === 'categorical' && c.topK.entries.every((e) => e.count >= 3)).toBe(true);
  });

  it('flags a constant column', async () => {
    const rows = Array.from({ length: 40 }, () => ({ x: 0.5, c: 'b' }));
    const { rec } = await oneWindow({ reference: referenceTable(400, 3), profiles: {} }, rows);
    expect(rec.performance.quality_x_constant).toBe(1);
    expect(rec.performance.quality_c_constant).toBe(1);
    expect(rec.performance.quality_x_out_of_range_share).toBe(0);
  });

  it('equals the direct profile for any mix of values (property)', async () => {
    const ref = referenceTable(200, 5);
    const value = fc.oneof(
      fc.double({ noNaN: false }),
      fc.constantFrom(null, undefined, 'a', 'b', 'q', true, Infinity, -Infinity),
      fc.object({ maxDepth: 0 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ x: value, c: value }), { minLength: 1, maxLength: 60 }),
        async (rows) => {
          const { rec, m } = await oneWindow({ reference: ref, profiles: {} }, rows);
          expectDirectProfiles(rec, rows);
          await m.close();
        },
      ),
      { numRuns: 25, seed: 16 },
    );
  });

  it('fires a dataQuality rule on the window’s quality', async () => {
    const { rec, events } = await oneWindow(
      {
        reference: referenceTable(400, 3),
        profiles: {},
        rules: [dataQuality({ maxInvalidShare: 0.1, features: ['x'] })],
      },
      dirtyRows(14),
    );
    expect(rec.alerts.map((a) => a.name)).toEqual(['data_quality']);
    expect(events.alerts[0]?.metrics.quality.x.invalidShare).toBeCloseTo(24 / 200, 12);
  });

  it('adds a default data_quality rule: fires on missing-share and out-of-range faults, not on clean data', async () => {
    const ref = referenceTable(2000, 21);
    const u = rng(22);
    const clean = () =>
      Array.from({ length: 300 }, () => ({ x: normal(u), c: 'abc'[Math.floor(u() * 3)] }));
    const names = (r: WindowRecord) => r.alerts.map((a) => a.name);
    // Clean data: same distribution as the reference, no missing values.
    const ok = await oneWindow({ reference: ref, profiles: {} }, clean());
    expect(ok.m.alerts.rules.map((r) => r.name)).toContain('data_quality');
    expect(names(ok.rec)).not.toContain('data_quality');
    expect(ok.rec.performance.quality_x_out_of_range_share).toBeLessThanOrEqual(0.05);
    // 15 % of x missing (limit 10 %).
    const missing = clean().map((r, i) => (i % 20 < 3 ? { c: r.c } : r));
    const m1 = await oneWindow({ reference: ref, profiles: {} }, missing);
    expect(m1.rec.performance.quality_x_missing_share).toBeCloseTo(0.15, 12);
    expect(names(m1.rec)).toContain('data_quality');
    expect(m1.events.alerts.find((a) => a.name === 'data_quality')?.severity).toBe('warning');
    // 10 % of x far outside the reference's range (limit 5 %).
    const shifted = clean().map((r, i) => (i % 10 === 0 ? { ...r, x: 50 + r.x } : r));
    const m2 = await oneWindow({ reference: ref, profiles: {} }, shifted);
    expect(m2.rec.performance.quality_x_out_of_range_share).toBeCloseTo(0.1, 12);
    expect(names(m2.rec)).toContain('data_quality');
    // No profiles: no data_quality rule; own rules replace the defaults.
    const off = await monitor({ reference: ref });
    expect(off.alerts.rules.map((r) => r.name)).not.toContain('data_quality');
    const own = await monitor({ reference: ref, profiles: {}, rules: [] });
    expect(own.alerts.rules).toEqual([]);
  });

  it('with a worker engine builds the profiles in the profile worker, not on this thread: same bytes', async () => {
    const spy = vi.spyOn(WindowProfiler.prototype, 'build');
    const workerEngine = await createEngine({ mode: 'worker' });
    try {
      const ref = referenceTable(400, 3);
      const rows = dirtyRows(31);
      const onWorker = await oneWindow(
        { reference: ref, profiles: {}, engine: workerEngine },
        rows,
      );
      expect(onWorker.events.errors).toEqual([]);
      expect(spy).not.toHaveBeenCalled();
      const here = await oneWindow({ reference: ref, profiles: {} }, rows);
      expect(spy).toHaveBeenCalledTimes(1); // inline engine: in-process
      expect(onWorker.rec.profiles).toEqual(here.rec.profiles);
      expect(onWorker.rec.profiles!.x).toBe(
        direct(
          rows.map((r) => r.x),
          'numeric',
        ),
      );
      const quality = (r: WindowRecord) =>
        Object.entries(r.performance).filter(([k]) => k.startsWith('quality_'));
      expect(quality(onWorker.rec)).toEqual(quality(here.rec));
      await onWorker.m.close();
    } finally {
      spy.mockRestore();
      workerEngine.close();
    }
  }, 30_000);

  it('refuses profiles without a reference or for an unknown feature (ConfigError)', async () => {
    await expect(monitor({ profiles: {} })).rejects.toThrow(ConfigError);
    await expect(
      monitor({ reference: referenceTable(50, 1), profiles: { features: ['nope'] } }),
    ).rejects.toThrow(/not a reference column/);
    await expect(
      monitor({ reference: referenceTable(50, 1), profiles: { minCategoryCount: 0 } }),
    ).rejects.toThrow(ConfigError);
    const wide = Object.fromEntries(
      Array.from({ length: 65 }, (_, i) => [
        `f${i}`,
        Float64Array.from({ length: 40 }, (_, j) => j),
      ]),
    );
    await expect(monitor({ reference: wide, profiles: {} })).rejects.toThrow(/at most 64 features/);
  });
});
