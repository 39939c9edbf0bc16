import { describe, expect, it } from 'vitest';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import { dataQuality } from '../../src/alerts/rules.js';
import { ConfigError } from '../../src/errors.js';

const clean = { seen: 100, missingShare: 0, invalidShare: 0, constant: false };

describe('dataQuality rule', () => {
  it('holds when any checked feature crosses a limit, and only then', () => {
    const rule = dataQuality({ maxMissingShare: 0.1, maxOutOfRangeShare: 0.05 });
    const at = (q: Record<string, unknown>) => rule.condition({ quality: q });
    expect(at({ x: clean, c: clean })).toBe(false);
    expect(at({ x: { ...clean, missingShare: 0.1 } })).toBe(false); // at the limit
    expect(at({ x: { ...clean, missingShare: 0.11 } })).toBe(true);
    expect(at({ x: { ...clean, outOfRangeShare: 0.06 }, c: clean })).toBe(true);
    expect(at({ c: { ...clean, invalidShare: 0.9, constant: true } })).toBe(false); // not limited
    expect(rule.condition({})).toBe(false);
    expect(rule.condition({ quality: null })).toBe(false);
  });

  it('checks only the listed features; constant and new-category limits', () => {
    const rule = dataQuality({ features: ['c'], constant: true, maxNewCategoryShare: 0.2 });
    expect(rule.condition({ quality: { x: { ...clean, constant: true } } })).toBe(false);
    expect(rule.condition({ quality: { c: { ...clean, constant: true } } })).toBe(true);
    expect(rule.condition({ quality: { c: { ...clean, newCategoryShare: 0.25 } } })).toBe(true);
    expect(rule.condition({ quality: { c: { ...clean, newCategoryShare: 0.2 } } })).toBe(false);
    expect(rule.name).toBe('data_quality');
    expect(rule.description).toMatch(/new-category share > 0.2, constant/);
  });

  it('fires and resolves through an AlertSystem', () => {
    let t = 0;
    const alerts = new AlertSystem({ now: () => t });
    alerts.addRule(dataQuality({ maxInvalidShare: 0.05, name: 'dq' }));
    expect(
      alerts.evaluate({ quality: { x: { ...clean, invalidShare: 0.2 } } }).map((a) => a.name),
    ).toEqual(['dq']);
    t += 1000;
    expect(alerts.evaluate({ quality: { x: clean } })).toEqual([]);
  });

  it('refuses bad options with ConfigError', () => {
    expect(() => dataQuality({})).toThrow(ConfigError);
    expect(() => dataQuality({ maxMissingShare: 1.5 })).toThrow(/maxMissingShare in \[0, 1\]/);
    expect(() => dataQuality({ maxInvalidShare: Number.NaN })).toThrow(ConfigError);
    expect(() => dataQuality({ maxMissingShare: 0.1, features: 'x' as never })).toThrow(
      ConfigError,
    );
    expect(() => dataQuality({ maxMissingShare: 0.1, features: [''] })).toThrow(ConfigError);
    expect(() => dataQuality(null as never)).toThrow(ConfigError);
  });
});
