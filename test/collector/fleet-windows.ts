/**
 * Test helper: windows of a small fleet that exercise every aggregate the
 * collector keeps — several models, versions and devices, latency and other
 * sketches, counters, drift results, alerts, drops and feature profiles
 * (numeric and categorical).
 */
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { CategoricalProfiler, NumericProfiler, profilesToWire } from '../../src/entry/stats.js';
import { PyRandom } from '../../src/stats/random.js';
import { bytesToBase64 } from '../../src/window/base64.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord, sketchBytes } from '../window/make-record.js';

const kernel = createReferenceKernel();

function profileSet(seed: number): Record<string, string> {
  const r = new PyRandom(seed);
  const speed = new NumericProfiler(kernel);
  speed.add(Array.from({ length: 200 }, () => 10 + seed + 3 * r.random()));
  const colour = new CategoricalProfiler();
  colour.add(Array.from({ length: 200 }, () => ['red', 'green', 'blue'][r.randbelow(3)]));
  const wire = profilesToWire({ speed: speed.profile(), colour: colour.profile() });
  speed.close();
  return wire;
}

const PROFILES = Array.from({ length: 4 }, (_, i) => profileSet(i + 1));

/**
 * `n` windows from 7 devices, 2 models, 2 versions, ending one minute apart
 * (the last ends at `lastEnd`).
 *
 * @param n - how many.
 * @param seed - varies values and ids.
 * @param lastEnd - end of the last window, epoch ms.
 * @returns the windows, in the order to send them.
 */
export function fleetWindows(n: number, seed: number, lastEnd: number): WindowRecord[] {
  const r = new PyRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const rec = makeRecord(i, {
      deviceId: `device-${r.randbelow(7)}`,
      model: `m${i % 2}`,
      version: String(1 + r.randbelow(2)),
      end: lastEnd - (n - 1 - i) * 60_000,
      latency: Array.from({ length: 5 }, () => 1 + r.random() * 100),
    });
    rec.sketches.queue = bytesToBase64(sketchBytes([r.random() * 10, r.random() * 20]));
    rec.drift = [
      {
        feature: 'speed',
        method: 'psi',
        statistic: r.random(),
        threshold: 0.2,
        isDrift: r.random() < 0.3,
      },
    ];
    if (r.random() < 0.2) rec.alerts = [{ name: 'drift', severity: 'warning', firedAt: rec.end }];
    rec.drops = { nan: r.randbelow(3) };
    if (r.random() < 0.8) rec.profiles = PROFILES[r.randbelow(PROFILES.length)]!;
    return rec;
  });
}
