/**
 * Streaming detectors on synthetic streams with a known change point (t = 2000):
 * detection delay and false alarms over 20 seeded streams each, plus defaults,
 * reset semantics, dropped input and configuration errors.
 */
import { describe, expect, it } from 'vitest';
import { ADWIN } from '../../src/drift/streaming/adwin.js';
import { DDM } from '../../src/drift/streaming/ddm.js';
import { EDDM } from '../../src/drift/streaming/eddm.js';
import { HDDM_A } from '../../src/drift/streaming/hddm-a.js';
import { HDDM_W } from '../../src/drift/streaming/hddm-w.js';
import { KSWIN } from '../../src/drift/streaming/kswin.js';
import { PageHinkley } from '../../src/drift/streaming/page-hinkley.js';
import type { StreamingDetector } from '../../src/drift/streaming/types.js';
import { ConfigError } from '../../src/errors.js';
import { seededUniform } from '../../src/stats/random.js';
import { normals } from './helpers.js';

const CHANGE = 2000;
const LENGTH = 4000;
const SEEDS = 20;

function errorStream(seed: number): number[] {
  const u = seededUniform(seed);
  return Array.from({ length: LENGTH }, (_, i) => (u() < (i < CHANGE ? 0.1 : 0.4) ? 1 : 0));
}
function valueStream(seed: number): number[] {
  const g = normals(seed);
  return [...g(CHANGE), ...g(LENGTH - CHANGE, 1)];
}

/** Runs a detector over streams; returns mean delay of the first post-change detection, false alarms, misses. */
function evaluate(make: () => StreamingDetector, stream: (seed: number) => number[]) {
  let falseAlarms = 0;
  let missed = 0;
  const delays: number[] = [];
  for (let s = 1; s <= SEEDS; s++) {
    const det = make();
    const xs = stream(s);
    let first = -1;
    xs.forEach((x, i) => {
      if (det.update(x).drift) {
        if (i < CHANGE) falseAlarms++;
        else if (first < 0) first = i;
      }
    });
    if (first < 0) missed++;
    else delays.push(first - CHANGE);
  }
  const meanDelay = delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length);
  return { falseAlarms, missed, meanDelay };
}

describe.each([
  ['DDM', () => new DDM(), errorStream, { delay: 400, falseAlarms: 20 }],
  // EDDM's defaults are known to be trigger-happy (River's own example loosens them).
  ['EDDM', () => new EDDM(), errorStream, { delay: 600, falseAlarms: 140 }],
  ['HDDM_A', () => new HDDM_A(), errorStream, { delay: 300, falseAlarms: 4 }],
  ['HDDM_W', () => new HDDM_W(), errorStream, { delay: 300, falseAlarms: 4 }],
  ['ADWIN', () => new ADWIN(), valueStream, { delay: 200, falseAlarms: 4 }],
  // KSWIN tests every value once its window is full (α = 0.005 per test, correlated tests).
  ['KSWIN', () => new KSWIN({ seed: 42 }), valueStream, { delay: 150, falseAlarms: 80 }],
  // threshold 50 is in data units: unit-variance noise random-walks past it about once per 2000 values.
  ['PageHinkley', () => new PageHinkley(), valueStream, { delay: 200, falseAlarms: 40 }],
] as const)('%s on a stream changing at t = 2000', (name, make, stream, bound) => {
  it('detects the change with a bounded delay and few false alarms', () => {
    const r = evaluate(make, stream);
    console.info(
      `${name}: mean delay ${r.meanDelay.toFixed(0)}, false alarms ${r.falseAlarms} over ${SEEDS} streams, missed ${r.missed}`,
    );
    expect(r.missed).toBe(0);
    expect(r.meanDelay).toBeLessThan(bound.delay);
    expect(r.falseAlarms).toBeLessThanOrEqual(bound.falseAlarms);
  });
  it('drops non-finite input without throwing and counts it', () => {
    const det = make();
    expect(det.update(NaN).drift).toBe(false);
    expect(det.update(Infinity).drift).toBe(false);
    expect(det.update('x' as never).drift).toBe(false);
    expect(det.dropped).toBe(3);
    expect(det.seen).toBe(3);
  });
});

describe('streaming defaults and semantics (River)', () => {
  it('uses River defaults', () => {
    expect(new ADWIN()).toMatchObject({
      delta: 0.002,
      clock: 32,
      maxBuckets: 5,
      minWindowLength: 5,
      gracePeriod: 10,
    });
    expect(new DDM()).toMatchObject({ warmStart: 30, warningThreshold: 2, driftThreshold: 3 });
    expect(new EDDM()).toMatchObject({ warmStart: 30, alpha: 0.95, beta: 0.9 });
    expect(new HDDM_A()).toMatchObject({
      driftConfidence: 0.001,
      warningConfidence: 0.005,
      twoSidedTest: false,
    });
    expect(new HDDM_W()).toMatchObject({
      driftConfidence: 0.001,
      warningConfidence: 0.005,
      lambda: 0.05,
      twoSidedTest: false,
    });
    expect(new KSWIN()).toMatchObject({ alpha: 0.005, windowSize: 100, statSize: 30 });
    expect(new PageHinkley()).toMatchObject({
      minInstances: 30,
      delta: 0.005,
      threshold: 50,
      alpha: 1 - 0.0001,
      mode: 'both',
    });
  });

  it('ADWIN keeps the exact window mean and shrinks its window after a change', () => {
    const adwin = new ADWIN();
    const xs = valueStream(3);
    let sum = 0;
    for (let i = 0; i < 1000; i++) {
      adwin.update(xs[i]!);
      sum += xs[i]!;
    }
    expect(adwin.width).toBe(1000);
    expect(adwin.estimation).toBeCloseTo(sum / 1000, 10);
    for (let i = 1000; i < LENGTH; i++) adwin.update(xs[i]!);
    expect(adwin.nDetections).toBeGreaterThan(0);
    // Most of the 2000 pre-change values are gone (bucket granularity may keep a few).
    expect(adwin.width).toBeLessThan(2100);
    expect(Math.abs(adwin.estimation - 1)).toBeLessThan(0.15);
  });

  it('DDM warns before it signals drift on a degrading error stream', () => {
    const ddm = new DDM();
    const xs = errorStream(8);
    let firstWarning = -1;
    let firstDrift = -1;
    xs.forEach((x, i) => {
      const r = ddm.update(x);
      if (i >= CHANGE && r.warning && firstWarning < 0) firstWarning = i;
      if (i >= CHANGE && r.drift && firstDrift < 0) firstDrift = i;
    });
    expect(firstWarning).toBeGreaterThanOrEqual(CHANGE);
    expect(firstWarning).toBeLessThanOrEqual(firstDrift);
  });

  it('PageHinkley mode selects the direction', () => {
    const g = normals(4);
    const down = [...g(500), ...g(500, -2)];
    const up = new PageHinkley({ mode: 'up' });
    const both = new PageHinkley({ mode: 'down' });
    expect(down.some((x) => up.update(x).drift)).toBe(false);
    expect(down.some((x) => both.update(x).drift)).toBe(true);
  });

  it('ADWIN starts an empty window on the update after a drift (River); resetOnDrift: false keeps W1', () => {
    const xs = valueStream(3);
    for (const resetOnDrift of [true, false]) {
      const adwin = new ADWIN({ resetOnDrift });
      const at = xs.findIndex((x) => adwin.update(x).drift);
      expect(at).toBeGreaterThanOrEqual(CHANGE);
      const kept = adwin.width;
      expect(kept).toBeGreaterThan(1);
      adwin.update(xs[at + 1]!);
      expect(adwin.width).toBe(resetOnDrift ? 1 : kept + 1);
    }
  });

  it('HDDM_W weighted mean: a mean of exactly 0 takes the next value (River EWMean)', () => {
    const h = new HDDM_W({ lambda: 0.05 });
    h.update(0);
    expect(h.mean).toBe(0);
    h.update(1);
    expect(h.mean).toBe(1);
    h.update(0);
    expect(h.mean).toBeCloseTo(0.95, 15);
    h.update(1);
    expect(h.mean).toBeCloseTo(0.05 + 0.95 * 0.95, 15);
  });

  it('KSWIN re-seeds on reset; statSize up to windowSize / 2 (River raises beyond, at its first test)', () => {
    const xs = valueStream(5).slice(0, 400);
    const k = new KSWIN({ windowSize: 100, statSize: 50, seed: 7 });
    const first = xs.map((x) => (k.update(x), k.pValue));
    k.reset();
    const again = xs.map((x) => (k.update(x), k.pValue));
    expect(again).toEqual(first);
    expect(first.some((p) => p > 0)).toBe(true);
    expect(() => new KSWIN({ windowSize: 100, statSize: 51 })).toThrow(ConfigError);
    expect(() => new KSWIN({ seed: 1.5 })).toThrow(ConfigError);
  });

  it('KSWIN with a seed is reproducible', () => {
    const xs = valueStream(5);
    const a = new KSWIN({ seed: 1 });
    const b = new KSWIN({ seed: 1 });
    const ra = xs.map((x) => a.update(x).drift);
    const rb = xs.map((x) => b.update(x).drift);
    expect(ra).toEqual(rb);
  });

  it('rejects bad options with ConfigError', () => {
    expect(() => new ADWIN({ delta: 0 })).toThrow(ConfigError);
    expect(() => new ADWIN({ clock: 1.5 })).toThrow(
      /ADWIN: expected clock to be an integer in \[1, 1000000000\], got 1.5/,
    );
    expect(() => new EDDM({ alpha: 0.8, beta: 0.9 })).toThrow(/alpha ≥ beta/);
    expect(() => new KSWIN({ windowSize: 50, statSize: 30 })).toThrow(/statSize/);
    expect(() => new PageHinkley({ mode: 'sideways' as never })).toThrow(ConfigError);
    expect(() => new HDDM_W({ lambda: 2 })).toThrow(ConfigError);
    expect(() => new DDM({ warmStart: -1 })).toThrow(ConfigError);
  });
});
