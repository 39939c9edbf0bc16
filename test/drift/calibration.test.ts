/**
 * Calibration of the default detector (200 trials, fresh reference each, in-process
 * engine): ≤ 9% alarms at 0.05 on identical distributions, ≥ 95% detection of a
 * 0.3σ shift at n = 500. And reference-calibrated thresholds (item 7): repeated
 * checks on undrifted data alarm near the nominal rate, where the fixed distance
 * threshold does not.
 */
import { describe, expect, it } from 'vitest';
import type { EngineHandle } from '../../src/engine/client.js';
import { DriftDetector } from '../../src/drift/drift-detector.js';
import { normals } from './helpers.js';
import { useEngine } from '../support/per-file.js';

let engine: EngineHandle;
useEngine({ mode: 'reference' }, (e) => (engine = e));

describe('default detector calibration', () => {
  it('alarms ≤ 9% under no drift and detects a 0.3σ shift ≥ 95% (n = 500, 200 trials)', async () => {
    const gen = normals(2026);
    let falseAlarms = 0;
    let detections = 0;
    for (let t = 0; t < 200; t++) {
      const d = new DriftDetector(gen(500), { engine, threshold: 0.05 });
      if ((await d.detect(gen(500))).isDrift) falseAlarms++;
      if ((await d.detect(gen(500, 0.3))).isDrift) detections++;
      await d.dispose();
    }
    console.info(
      `calibration: false alarms ${falseAlarms}/200, detections of 0.3σ ${detections}/200`,
    );
    expect(falseAlarms / 200).toBeLessThanOrEqual(0.09);
    expect(detections / 200).toBeGreaterThanOrEqual(0.95);
  });
});

describe('reference-calibrated thresholds', () => {
  it('Wasserstein with calibrate alarms near alpha on repeated undrifted checks; fixed 0.1 does not', async () => {
    const gen = normals(77);
    const ref = gen(4000);
    const calibrated = new DriftDetector(ref, {
      engine,
      method: 'wasserstein',
      calibrate: { alpha: 0.05, resamples: 1000, seed: 3 },
    });
    const fixed = new DriftDetector(ref, { engine, method: 'wasserstein' });
    let calAlarms = 0;
    let fixedAlarms = 0;
    let threshold = NaN;
    const checks = 300;
    for (let i = 0; i < checks; i++) {
      const cur = gen(100);
      const r = await calibrated.detect(cur);
      threshold = r.threshold;
      expect(r.calibrated).toBe(true);
      if (r.isDrift) calAlarms++;
      if ((await fixed.detect(cur)).isDrift) fixedAlarms++;
    }
    console.info(
      `calibrated W1 threshold ${threshold.toFixed(4)}: alarms ${calAlarms}/${checks}; fixed 0.1: ${fixedAlarms}/${checks}`,
    );
    expect(calAlarms / checks).toBeGreaterThan(0.01);
    expect(calAlarms / checks).toBeLessThan(0.1);
    expect(fixedAlarms / checks).toBeGreaterThan(0.2);
    // It still detects a real shift.
    expect((await calibrated.detect(gen(100, 0.5))).isDrift).toBe(true);
  });

  it('calibrates p-value levels of tests and categorical methods too, reproducibly by seed', async () => {
    const gen = normals(5);
    const ref = gen(1000);
    const a = await new DriftDetector(ref, {
      engine,
      method: 'ks',
      calibrate: { seed: 9, resamples: 50 },
    }).detect(gen(200));
    const b = await new DriftDetector(ref, {
      engine,
      method: 'ks',
      calibrate: { seed: 9, resamples: 50 },
    }).detect(gen(200));
    expect(a.threshold).toBe(b.threshold);
    expect(a.threshold).toBeGreaterThan(0);
    expect(a.threshold).toBeLessThan(0.5);
    const cats = ['a', 'b', 'c'];
    const refCat = Array.from({ length: 900 }, (_, i) => cats[i % 3] as string);
    const c = await new DriftDetector(refCat, { engine, method: 'psi', calibrate: true }).detect([
      'a',
      'b',
      'c',
      'a',
    ]);
    expect(c.calibrated).toBe(true);
    expect(Number.isFinite(c.threshold)).toBe(true);
  });
});
