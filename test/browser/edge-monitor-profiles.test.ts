/**
 * EdgeMonitor feature profiles in real Chromium: the default engine (module Web
 * Worker) and store (IndexedDB), the profiles built in the profile worker (never
 * on the page's thread). The stored window carries the same profile bytes as
 * profiling the raw values directly.
 */
import { describe, expect, it, vi } from 'vitest';
import { dataQuality } from '../../src/alerts/rules.js';
import { CategoricalProfiler, NumericProfiler } from '../../src/profile/feature-profiler.js';
import { profilesToWire } from '../../src/profile/profile-format.js';
import { WindowProfiler } from '../../src/profile/window-profiler.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import { WindowStore } from '../../src/storage/window-store.js';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { normal, record, referenceTable, rng } from '../session/helpers.js';

describe('EdgeMonitor profiles in Chromium (worker engine, IndexedDB)', () => {
  it('stores windows whose profiles equal the direct profiles, and alerts on quality', async () => {
    const onPage = vi.spyOn(WindowProfiler.prototype, 'build');
    const name = `ew-profiles-${Date.now()}`;
    const m = await EdgeMonitor.create({
      model: { name: 'perception', version: '7' },
      deviceId: 'tab-1',
      reference: referenceTable(500, 21),
      profiles: { features: 'all' },
      rules: [dataQuality({ maxInvalidShare: 0.05 })],
      windowCount: 100,
      store: { name },
    });
    const rec = record(m);
    const u = rng(23);
    const xs: unknown[] = [];
    const cs: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const x = i % 10 === 0 ? 'oops' : normal(u);
      const c = i % 7 === 0 ? null : 'abc'[i % 3]!;
      xs.push(x);
      cs.push(c);
      m.observe({ features: { x, c }, prediction: 'go', label: 'go', latencyMs: 2 });
    }
    await m.close();
    expect(rec.errors).toEqual([]);
    expect(onPage).not.toHaveBeenCalled(); // built in the profile worker
    onPage.mockRestore();
    const [w] = rec.windows.map((e) => e.record);
    expect(w).toBeDefined();
    expect(validateWindowRecord(w)).toEqual([]);
    const np = new NumericProfiler();
    np.add(xs);
    const cp = new CategoricalProfiler();
    cp.add(cs);
    expect(w!.profiles).toEqual(profilesToWire({ x: np.profile(), c: cp.profile() }));
    np.close();
    expect(w!.performance.quality_x_invalid_share).toBeCloseTo(0.1, 12);
    expect(w!.performance.quality_c_missing_share).toBeCloseTo(15 / 100, 12);
    expect(w!.alerts.map((a) => a.name)).toEqual(['data_quality']);

    const again = await WindowStore.open({ name });
    const stored = await again.peek(10);
    expect(stored.map((e) => e.record.profiles)).toEqual([w!.profiles]);
    await again.close();
  });
});
