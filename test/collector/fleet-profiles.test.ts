/** FleetProfiles bounds: device, feature, bucket and model-version caps, counted drops. */
import { describe, expect, it } from 'vitest';
import { FleetProfiles } from '../../src/collector/fleet-profiles.js';
import { NumericProfiler, profilesToWire } from '../../src/entry/stats.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord } from '../window/make-record.js';

const T0 = 1_699_999_980_000;

function win(device: string, end: number, features: string[], model = 'm'): WindowRecord {
  const rec = makeRecord(0, { deviceId: device, end, model });
  const p = new NumericProfiler();
  p.add([1, 2, 3]);
  const prof = p.profile();
  p.close();
  rec.profiles = profilesToWire(Object.fromEntries(features.map((f) => [f, prof])));
  return rec;
}

describe('FleetProfiles limits', () => {
  it('caps devices and features per model version and counts what it drops', () => {
    const s = new FleetProfiles({ maxDevices: 2, maxFeatures: 1 });
    s.ingest(win('a', T0, ['x']));
    s.ingest(win('b', T0, ['x', 'y']));
    s.ingest(win('c', T0, ['x']));
    expect(s.perDevice('m', '1', T0 - 1, T0 + 1).map((d) => d.device)).toEqual(['a', 'b']);
    expect(s.dropped.get('devices')).toBe(1);
    expect(s.dropped.get('features')).toBe(1);
    const fleet = s.fleetProfiles('m', '1', T0 - 1, T0 + 1);
    expect([...fleet.profiles.keys()]).toEqual(['x']);
    expect(fleet.windows).toBe(3);
  });

  it('keeps at most maxBuckets fleet buckets and maxDeviceBuckets device buckets', () => {
    const s = new FleetProfiles({ maxBuckets: 3, maxDeviceBuckets: 2, deviceBucketMs: 120_000 });
    const T1 = T0 + 60_000; // a whole two minutes
    for (let i = 0; i < 6; i++) s.ingest(win('a', T1 + i * 60_000, ['x']));
    const minutes = s.timeline('m', '1', T1, T1 + 10 * 60_000).map(([t]) => (t - T1) / 60_000);
    expect(minutes).toEqual([3, 4, 5]);
    const d = s.perDevice('m', '1', T1, T1 + 10 * 60_000);
    expect(d[0]!.windows).toBe(4); // two device buckets of two minutes each
    expect(s.dropped.get('expired')).toBe(1);
    expect(s.fleetProfiles('m', '1', T1, T1 + 10 * 60_000).windows).toBe(3);
  });

  it('caps model versions', () => {
    const s = new FleetProfiles({ maxModelVersions: 1 });
    s.ingest(win('a', T0, ['x'], 'm1'));
    s.ingest(win('a', T0, ['x'], 'm2'));
    expect(s.modelVersions()).toEqual([{ model: 'm1', version: '1' }]);
    expect(s.dropped.get('models')).toBe(1);
  });
});
