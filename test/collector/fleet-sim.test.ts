/**
 * The fleet simulator (scripts/fleet-sim.ts) runs every device as an EdgeMonitor
 * with profiles on: what it sends carries the monitors' profiles, drift rows,
 * quality figures and default alerts, and the collector's fleet drift report names
 * exactly the simulator's drifted devices.
 */
import { describe, expect, it } from 'vitest';
import type { FleetDriftReport } from '../../src/collector/fleet-drift.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { validateWindowRecord } from '../../src/window/window-record.js';
import { DRIFTED_DEVICES, runFleetSim } from '../../scripts/fleet-sim.js';
import { start } from './helpers.js';

describe('fleet simulator', () => {
  it('sends EdgeMonitor windows; the fleet drift report picks out the drifted devices', async () => {
    const c = await start({ rateLimit: false });
    const sent: WindowRecord[] = [];
    const t0 = Date.now();
    const { devices, drifted } = await runFleetSim({
      url: c.url,
      backfillMinutes: 8,
      liveSeconds: 0,
      onWindows: (w) => sent.push(...w),
    });
    expect(devices).toHaveLength(20);
    expect(sent).toHaveLength(20 * 8);
    for (const rec of sent) {
      expect(validateWindowRecord(rec)).toEqual([]);
      expect(Object.keys(rec.profiles ?? {}).sort()).toEqual(['colour', 'speed', 'temperature']);
      // Built by the monitor: its drift check and quality figures are in the window too.
      expect(rec.drift.map((d) => d.feature).sort()).toEqual(['colour', 'speed', 'temperature']);
      expect(rec.counters.predictions).toBe(200);
      expect(rec.performance.quality_speed_missing_share).toBeLessThan(0.05);
    }
    const dq = (d: string) =>
      sent.some((r) => r.deviceId === d && r.alerts.some((a) => a.name === 'data_quality'));
    // New categories on device-09, a wider temperature on device-15; none on healthy devices.
    expect(dq('device-09')).toBe(true);
    expect(dq('device-15')).toBe(true);
    expect(devices.filter((d) => !(d in DRIFTED_DEVICES) && dq(d))).toEqual([]);
    const ref = await fetch(`${c.url}/v1/models/perception/2.1/reference`);
    expect(ref.status).toBe(200);
    // The second half of the backfill: the drifted devices drifted.
    const from = Math.max(...sent.map((r) => r.end)) - 3 * 60_000;
    const r = await fetch(
      `${c.url}/v1/fleet/drift?model=perception&version=2.1&from=${from}&to=${t0 + 3_600_000}`,
    );
    expect(r.status).toBe(200);
    const rep = (await r.json()) as FleetDriftReport;
    expect([...rep.driftedDevices].sort()).toEqual([...drifted].sort());
  }, 120_000);
});
