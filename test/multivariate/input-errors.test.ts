/** Bad input gives a typed error or a counted drop, never a crash or a silent number. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import * as mv from '../../src/entry/multivariate.js';

describe('multivariate input checks', () => {
  it('ragged vectors and non-arrays are DataErrors', () => {
    expect(() => mv.toMatrix([[1, 2], [3]], 'reference')).toThrow(DataError);
    expect(() => mv.toMatrix('x', 'reference')).toThrow(/expected an array of vectors/);
    expect(() => mv.toMatrix([[1, 2]], 'current', 3)).toThrow(
      /expected vectors of 3 dimensions, got 2/,
    );
  });
  it('rows with a non-finite value are dropped and counted', () => {
    const r = mv.toMatrix(
      [
        [1, 2],
        [NaN, 1],
        [3, Infinity],
        [4, 5],
      ],
      'x',
    );
    expect(r.dropped).toBe(2);
    expect(Array.from(r.matrix.data)).toEqual([1, 2, 4, 5]);
    const model = mv.prepareMmd([[0], [1], [2], [3]], { permutations: 5 });
    expect(mv.mmdTest(model, [[0], [1], [NaN]]).dropped).toBe(1);
  });
  it('too few finite rows name the argument and count only the finite ones', () => {
    const rows = [[0], [1], [NaN], [Infinity]];
    expect(() => mv.toMatrix(rows, 'reference', undefined, 3)).toThrow(
      /^reference: expected at least 3 finite rows, got 2$/,
    );
    expect(mv.toMatrix(rows, 'reference', undefined, 2).matrix.rows).toBe(2);
    expect(() => mv.prepareMmd(rows.slice(0, 1).concat(rows.slice(2)))).toThrow(
      /reference: expected at least 2 finite rows, got 1/,
    );
    expect(() => mv.prepareDomainClassifier(rows)).toThrow(/reference: .* 4 finite rows, got 2/);
    const model = mv.prepareMmd([[0], [1], [2], [3]], { permutations: 5 });
    expect(() => mv.mmdTest(model, [[0], [NaN]])).toThrow(/current: .* 2 finite rows, got 1/);
    expect(() => mv.mmd2Unbiased([[0], [1]], [[2]], 1)).toThrow(/^y: .* 2 finite rows, got 1$/);
    expect(() => mv.driftedComponents(mv.prepareDriftedComponents([[0]]), [[NaN]])).toThrow(
      /current: expected at least 1 finite row, got 0/,
    );
  });
  it('bad options are ConfigErrors with "expected …, got …"', () => {
    expect(() => mv.prepareMmd([[0], [1]], { permutations: 0 })).toThrow(ConfigError);
    expect(() => mv.prepareDomainClassifier([[0], [1]], { testShare: 0 })).toThrow(
      /expected testShare/,
    );
    expect(() => mv.fitPcaDrift([[0, 1]], { varianceShare: 2 })).toThrow(ConfigError);
    expect(() => mv.fitCbpe([0.1, 0.9], [0, 1], { calibration: 'beta' as never })).toThrow(
      /calibration/,
    );
  });
  it('CBPE: bad labels and empty windows are DataErrors; non-finite window scores are counted', () => {
    expect(() => mv.fitCbpe([0.1, 0.9], [0, 2])).toThrow(DataError);
    expect(() => mv.fitCbpe([0.1, 0.9], [0])).toThrow(/labels/);
    const model = mv.fitCbpe([0.1, 0.9, 0.4, 0.7], [0, 1, 0, 1], { calibration: 'none', draws: 0 });
    expect(() => mv.estimatePerformance(model, [NaN])).toThrow(DataError);
    expect(mv.estimatePerformance(model, [0.8, NaN, 0.2]).dropped).toBe(1);
  });
});
