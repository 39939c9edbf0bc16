import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  nonEmptyString,
  numberOption,
  numberOptions,
  oneOfOption,
  optionalFunction,
  optionalNumber,
  optionsObject,
} from '../../src/util/options.js';
import { ConfigError } from '../../src/errors.js';

describe('option validation (one module)', () => {
  it('property: numberOption accepts exactly the values inside the check', () => {
    const check = fc.record(
      {
        min: fc.integer({ min: -10, max: 10 }),
        above: fc.integer({ min: -10, max: 10 }),
        max: fc.integer({ min: -10, max: 30 }),
        below: fc.integer({ min: -10, max: 30 }),
        integer: fc.boolean(),
        infinite: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    const value = fc.oneof(
      fc.double({ min: -20, max: 40 }),
      fc.integer({ min: -20, max: 40 }),
      fc.constantFrom(NaN, Infinity, -Infinity, '3', null, undefined, {}),
    );
    fc.assert(
      fc.property(check, value, (c, v) => {
        const expected =
          typeof v === 'number' &&
          !Number.isNaN(v) &&
          (c.infinite === true || Number.isFinite(v)) &&
          (c.integer !== true || Number.isInteger(v)) &&
          (c.min === undefined || v >= c.min) &&
          (c.max === undefined || v <= c.max) &&
          (c.above === undefined || v > c.above) &&
          (c.below === undefined || v < c.below);
        if (expected) expect(numberOption('k', v, c)).toBe(v);
        else expect(() => numberOption('k', v, c)).toThrow(ConfigError);
      }),
      { numRuns: 2000 },
    );
  });

  it('messages say what was expected and what came', () => {
    expect(() => numberOption('windowSize', 0, { above: 0, integer: true }, 'X')).toThrow(
      'X: expected windowSize to be a positive integer, got 0',
    );
    expect(() => numberOption('cooldownMs', -1, { min: 0 })).toThrow(
      'expected cooldownMs to be a finite number >= 0, got -1',
    );
    expect(() => numberOption('threshold', 2, { min: 0, max: 1 })).toThrow(
      'expected threshold to be a finite number in [0, 1], got 2',
    );
    expect(() => numberOption('delta', 1, { above: 0, below: 1 })).toThrow(
      'expected delta to be a finite number in (0, 1), got 1',
    );
    expect(() => numberOption('alpha', 1, { min: 0, below: 1 })).toThrow(
      'expected alpha to be a finite number >= 0 and < 1, got 1',
    );
    expect(optionalNumber('k', undefined, 7, { min: 100 })).toBe(7);
    expect(() => optionalFunction('now', 5 as never, 'Y')).toThrow(
      'Y: expected now to be a function, got 5',
    );
    expect(optionalFunction('now', undefined)).toBeUndefined();
  });

  it('numberOptions checks each option of a spec and applies the defaults', () => {
    const spec = {
      clock: [32, { min: 1, integer: true }],
      delta: [0.002, { above: 0, below: 1 }],
    } as const;
    expect(numberOptions({ clock: 16, other: 'x' } as { clock?: number }, spec, 'A')).toEqual({
      clock: 16,
      delta: 0.002,
    });
    expect(() => numberOptions({ delta: 1 }, spec, 'A')).toThrow(
      'A: expected delta to be a finite number in (0, 1), got 1',
    );
    expect(() => numberOptions({ clock: 1.5 }, spec)).toThrow(
      'expected clock to be an integer >= 1, got 1.5',
    );
  });

  it('oneOfOption, optionsObject and nonEmptyString: the value passes or a ConfigError says expected/got', () => {
    expect(oneOfOption('mode', 'inline', ['auto', 'inline'])).toBe('inline');
    expect(() => oneOfOption('mode', 'fast', ['auto', 'inline'], 'X')).toThrow(
      new ConfigError('X: expected mode to be one of auto, inline, got "fast"'),
    );
    expect(() => optionsObject({})).not.toThrow();
    for (const bad of [null, 3, 'x', undefined])
      expect(() => optionsObject(bad)).toThrow(ConfigError);
    expect(() => optionsObject(null, 'Y')).toThrow('Y: expected an options object, got null');
    expect(() => nonEmptyString('name', 'a')).not.toThrow();
    expect(() => nonEmptyString('name', '')).toThrow(
      'expected name to be a non-empty string, got ""',
    );
    expect(() => nonEmptyString('name', 7, 'Z')).toThrow(
      'Z: expected name to be a non-empty string, got 7',
    );
  });
});
