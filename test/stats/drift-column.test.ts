// normalizeColumn's Float64Array path (no per-element conversion; no copy when nothing
// is missing) against a plain filter, and the generic path on other typed arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeColumn } from '../../src/stats/drift/column.js';

describe('normalizeColumn on typed arrays', () => {
  it('drops and counts NaN exactly as a filter does, keeping order and -0', () => {
    const value = fc.oneof(fc.double(), fc.constant(NaN), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), (xs) => {
        const input = Float64Array.from(xs);
        const want = xs.filter((v) => !Number.isNaN(v));
        const col = normalizeColumn(input, 'x', false);
        expect(col.kind).toBe('numeric');
        expect(col.missing).toBe(xs.length - want.length);
        const got = [...(col.values as Float64Array)];
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(Object.is(v, want[i])).toBe(true));
        // the same through the generic typed-array path
        const f32 = normalizeColumn(Float32Array.from(xs), 'x', false);
        expect(f32.missing).toBe(col.missing);
      }),
      { numRuns: 200 },
    );
  });

  it('shares a NaN-free Float64Array (read-only use) and copies one with NaN', () => {
    const clean = new Float64Array([3, 1, 2]);
    expect(normalizeColumn(clean, 'x', false).values).toBe(clean);
    const holey = new Float64Array([3, NaN, 2]);
    const col = normalizeColumn(holey, 'x', false);
    expect(col.values).not.toBe(holey);
    expect([...(col.values as Float64Array)]).toEqual([3, 2]);
    expect(Number.isNaN(holey[1])).toBe(true); // input untouched
    expect(normalizeColumn(new Float64Array([1, NaN]), 'x', true)).toEqual({
      kind: 'categorical',
      values: ['1'],
      missing: 1,
    });
  });
});
