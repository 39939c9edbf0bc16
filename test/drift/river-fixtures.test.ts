/**
 * The streaming detectors on River's docstring examples: the streams are
 * rebuilt with CPython's `random` by scripts/gen-river-fixtures.py, and the
 * expected indices are the outputs River prints in those docstrings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADWIN } from '../../src/drift/streaming/adwin.js';
import { DDM } from '../../src/drift/streaming/ddm.js';
import { EDDM } from '../../src/drift/streaming/eddm.js';
import { HDDM_A } from '../../src/drift/streaming/hddm-a.js';
import { HDDM_W } from '../../src/drift/streaming/hddm-w.js';
import { KSWIN } from '../../src/drift/streaming/kswin.js';
import { PageHinkley } from '../../src/drift/streaming/page-hinkley.js';
import type { StreamingDetector } from '../../src/drift/streaming/types.js';
import { PyRandom } from '../../src/stats/random.js';

interface Expected {
  stream: 'value' | 'binary';
  options: Record<string, number>;
  drifts: number[];
  warnings?: number[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/river/streams.json', import.meta.url), 'utf8'),
) as {
  value: number[];
  binary: number[];
  expected: Record<string, Expected>;
  kswinTrace: [number, number, number][];
};

const make: Record<string, (o: Record<string, number>) => StreamingDetector> = {
  ADWIN: (o) => new ADWIN(o),
  KSWIN: (o) => new KSWIN(o),
  PageHinkley: (o) => new PageHinkley(o),
  DDM: (o) => new DDM(o),
  EDDM: (o) => new EDDM(o),
  HDDM_A: (o) => new HDDM_A(o),
  HDDM_W: (o) => new HDDM_W(o),
};

/** Runs the docstring loop: every drift, and the first warning after the start or a drift. */
function run(det: StreamingDetector, xs: readonly number[]) {
  const drifts: number[] = [];
  const warnings: number[] = [];
  let printWarning = true;
  xs.forEach((x, i) => {
    const s = det.update(x);
    if (s.warning && printWarning) {
      warnings.push(i);
      printWarning = false;
    }
    if (s.drift) {
      drifts.push(i);
      printWarning = true;
    }
  });
  return { drifts, warnings };
}

describe("River's docstring examples", () => {
  it('the fixture streams are the ones the docstrings build (Random(12345), Random(42))', () => {
    const a = new PyRandom(12345);
    expect([...a.choices([0, 1], 1000), ...a.choices([4, 5, 6, 7], 1000)]).toEqual(fixture.value);
    const b = new PyRandom(42);
    expect([...b.choices([0, 1], 1000), ...b.choices([0, 1], 1000, [0.3, 0.7])]).toEqual(
      fixture.binary,
    );
  });

  it.each(Object.entries(fixture.expected))('%s reports the indices River prints', (name, e) => {
    const det = (make[name] as (o: Record<string, number>) => StreamingDetector)(e.options);
    const got = run(det, fixture[e.stream]);
    expect(got.drifts).toEqual(e.drifts);
    if (e.warnings) expect(got.warnings).toEqual(e.warnings);
  });
});

describe('KSWIN draws as River (Python random.sample) and tests as scipy', () => {
  it('reproduces D and p of every test of the seeded docstring run', () => {
    const k = new KSWIN({ alpha: 0.0001, seed: 42 });
    const trace: [number, number, number][] = [];
    let last = -1;
    fixture.value.forEach((x, i) => {
      k.update(x);
      if (k.pValue !== 0 || k.statistic !== 0) {
        if (last !== i) trace.push([i, k.statistic, k.pValue]);
        last = i;
      }
    });
    const want = fixture.kswinTrace;
    expect(trace.map((t) => t[0])).toEqual(want.map((t) => t[0]));
    trace.forEach(([i, d, p], n) => {
      const [, wd, wp] = want[n] as [number, number, number];
      expect(d, `D at ${i}`).toBe(wd);
      expect(Math.abs(p - wp), `p at ${i}: ${p} vs ${wp}`).toBeLessThanOrEqual(1e-12 + 1e-9 * wp);
    });
  });
});
