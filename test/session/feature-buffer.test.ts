import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FeatureBuffer, columnKinds } from '../../src/session/feature-buffer.js';
import { flattenPerformance, toWindowDrift } from '../../src/session/window-contents.js';
import type { TableDriftResult } from '../../src/stats/drift/types.js';

const value = fc.oneof(
  fc.double(),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

describe('columnKinds', () => {
  it('reads strings and declared columns as categorical', () => {
    expect(
      columnKinds({ a: [1, 2], b: [null, 'x'], c: Float64Array.from([1]), d: [3] }, ['d']),
    ).toEqual({ a: 'numeric', b: 'categorical', c: 'numeric', d: 'categorical' });
  });
});

describe('FeatureBuffer', () => {
  it('stores each row column by column, missing as NaN / null, bounded by maxRows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom('n', 'k', 'extra'), value), { maxLength: 200 }),
        fc.integer({ min: 1, max: 150 }),
        (rows, maxRows) => {
          const buf = new FeatureBuffer({ n: 'numeric', k: 'categorical' }, maxRows);
          let unknown = 0;
          let refused = 0;
          for (const r of rows) {
            const out = buf.push(r);
            unknown += out.unknown;
            if (!out.stored) refused++;
          }
          const kept = rows.slice(0, maxRows);
          expect(buf.size).toBe(kept.length);
          expect(refused).toBe(rows.length - kept.length);
          expect(unknown).toBe(rows.filter((r) => 'extra' in r).length);
          const t = buf.take();
          expect(buf.size).toBe(0);
          const n = t.n as Float64Array;
          expect(n).toBeInstanceOf(Float64Array);
          expect(Array.from(n)).toEqual(
            kept.map((r) => (typeof r.n === 'number' && Number.isFinite(r.n) ? r.n : NaN)),
          );
          expect(t.k).toEqual(
            kept.map((r) =>
              typeof r.k === 'string' ||
              typeof r.k === 'boolean' ||
              (typeof r.k === 'number' && Number.isFinite(r.k))
                ? String(r.k)
                : null,
            ),
          );
          const again = buf.take();
          expect(again.n).toHaveLength(0);
          expect(again.k).toHaveLength(0);
        },
      ),
    );
  });
});

describe('window contents', () => {
  it('flattenPerformance keeps numbers, leaves out NaN and cumulative counters (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('accuracy', 'mae', 'f1', 'numSamples', 'dropped'),
          fc.double(),
        ),
        fc.dictionary(fc.constantFrom('accuracy', 'mae'), fc.double()),
        (top, deg) => {
          const m = { numSamples: 0, dropped: 0, ...top, degradation: deg };
          const flat = flattenPerformance(m);
          for (const v of Object.values(flat)) expect(Number.isNaN(v)).toBe(false);
          expect('dropped' in flat).toBe(false);
          for (const [k, v] of Object.entries(top)) {
            if (k !== 'dropped') expect(flat[k]).toBe(Number.isNaN(v) ? undefined : v);
          }
          for (const [k, v] of Object.entries(deg))
            expect(flat[`degradation.${k}`]).toBe(Number.isNaN(v) ? undefined : v);
        },
      ),
    );
  });

  it('toWindowDrift maps each feature and skips NaN statistics', () => {
    const f = (statistic: number, pValue?: number) => ({
      isDrift: false,
      method: 'ks' as const,
      kind: 'numeric' as const,
      statistic,
      ...(pValue === undefined ? {} : { pValue }),
      threshold: 0.05,
      calibrated: false,
      meanShift: 0,
      stdShift: 0,
      referenceSize: 1,
      currentSize: 1,
      missing: { reference: 0, current: 0 },
    });
    const r: TableDriftResult = {
      isDrift: false,
      driftShare: 0,
      driftedCount: 0,
      features: { a: f(0.2, 0.5), b: f(NaN), c: f(0.1) },
    };
    expect(toWindowDrift(r)).toEqual({
      rows: [
        {
          feature: 'a',
          method: 'ks',
          statistic: 0.2,
          pValue: 0.5,
          threshold: 0.05,
          isDrift: false,
        },
        { feature: 'c', method: 'ks', statistic: 0.1, threshold: 0.05, isDrift: false },
      ],
      skipped: 1,
    });
  });
});

describe('FeatureBuffer invalid counts', () => {
  it('counts present values of the wrong kind per column, stored as missing, reset by take', () => {
    const kinds = JSON.parse(
      '{"x":"numeric","c":"categorical","__proto__":"numeric","constructor":"categorical"}',
    );
    const b = new FeatureBuffer(kinds, 10);
    b.push({ x: 'str', c: {} });
    b.push({ x: Infinity, c: -Infinity });
    b.push({ x: null, c: null });
    b.push({ x: NaN, c: NaN });
    b.push({ c: 'ok', ['__proto__']: 'bad' });
    b.push({ x: 1, c: 2 });
    expect({ ...b.invalidCounts() }).toEqual({ x: 2, c: 2, ['__proto__']: 1 });
    const t = b.take();
    expect(Array.from(t.x as Float64Array)).toEqual([NaN, NaN, NaN, NaN, NaN, 1]);
    expect(t.c).toEqual([null, null, null, null, 'ok', '2']);
    expect({ ...b.invalidCounts() }).toEqual({});
  });
});

describe('FeatureBuffer.takeBoth', () => {
  it('hands over its own storage beside the trimmed table, and never writes to it again (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: value, c: value }), { maxLength: 200 }),
        fc.array(fc.record({ x: value, c: value }), { maxLength: 50 }),
        (rows, next) => {
          const b = new FeatureBuffer({ x: 'numeric', c: 'categorical' }, 1000);
          for (const r of rows) b.push(r);
          const { table, own } = b.takeBoth();
          const x = own.x as Float64Array;
          expect(Array.from(x)).toEqual(Array.from(table.x as Float64Array));
          expect(x.length).toBe(rows.length);
          expect(x.buffer).not.toBe((table.x as Float64Array).buffer);
          expect(own.c).toBe(table.c);
          const kept = Array.from(x);
          const keptC = [...(own.c as (string | null)[])];
          for (const r of next) b.push(r);
          expect(b.size).toBe(next.length);
          expect(Array.from(x)).toEqual(kept); // the next window's rows go elsewhere
          expect(own.c).toEqual(keptC);
        },
      ),
      { numRuns: 100 },
    );
  });
});
