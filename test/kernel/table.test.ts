// The generated boundary table (scripts/gen-sketch-table.mjs), re-checked independently:
// BOUNDARY_MANTISSA[k] = floor(2^52 · (2^(k/1024) − 1)) exactly, via BigInt powers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOUNDARY_MANTISSA } from '../../src/kernel/reference/sketch-table.js';
import { DEFAULT_SCALE, relativeErrorBound } from '../../src/kernel/kernel.js';

describe('sketch boundary table', () => {
  it('has 1025 increasing entries from 0 to the 2^52 sentinel, each gap wider than a lookup cell', () => {
    expect(BOUNDARY_MANTISSA.length).toBe(1025);
    expect(BOUNDARY_MANTISSA[0]).toBe(0);
    expect(BOUNDARY_MANTISSA[1024]).toBe(2 ** 52);
    for (let k = 1; k < 1025; k++)
      expect(
        (BOUNDARY_MANTISSA[k] as number) - (BOUNDARY_MANTISSA[k - 1] as number),
      ).toBeGreaterThan(2 ** 41);
  });

  it('holds A = 2^52 + M[k] with A^1024 ≤ 2^(52·1024 + k) < (A + 1)^1024', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1023 }), (k) => {
        const a = 2n ** 52n + BigInt(BOUNDARY_MANTISSA[k] as number);
        const target = 1n << (52n * 1024n + BigInt(k));
        expect(a ** 1024n <= target).toBe(true);
        expect((a + 1n) ** 1024n > target).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('documents the default scale error bound', () => {
    expect(DEFAULT_SCALE).toBe(7);
    expect(relativeErrorBound(7)).toBeCloseTo(0.0027076, 6);
    expect(relativeErrorBound(6)).toBeCloseTo(0.0054152, 6);
  });
});
