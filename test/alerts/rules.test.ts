import { describe, expect, it } from 'vitest';
import { AlertSystem } from '../../src/alerts/alert-system.js';
import {
  driftDetected,
  latencyAbove,
  outputDriftDetected,
  performanceDrop,
} from '../../src/alerts/rules.js';
import { ConfigError } from '../../src/errors.js';
import { PerformanceMonitor } from '../../src/performance/performance-monitor.js';

describe('rule factories', () => {
  it("performanceDrop: 'alert on performance drop > 5%' from a monitor with a baseline", () => {
    const monitor = new PerformanceMonitor({
      windowSize: 100,
      task: 'multiclass',
      baseline: { accuracy: 0.9 },
    });
    const alerts = new AlertSystem();
    alerts.addRule(performanceDrop('accuracy', 0.05));
    // 86 correct of 100: accuracy 0.86, a 4.4% drop -> no alert
    for (let i = 0; i < 100; i++) monitor.update(i < 86 ? 'a' : 'b', 'a');
    expect(alerts.evaluate(monitor.getMetrics())).toEqual([]);
    // 84 correct: a 6.7% drop -> alert
    for (let i = 0; i < 100; i++) monitor.update(i < 84 ? 'a' : 'b', 'a');
    const fired = alerts.evaluate(monitor.getMetrics());
    expect(fired).toMatchObject([{ name: 'accuracy_drop', severity: 'critical' }]);
    expect(fired[0]!.description).toMatch(/5%/);
  });

  it('performanceDrop with an explicit baseline, for an error metric (worse = larger)', () => {
    const rule = performanceDrop('mae', 0.1, {
      baseline: 0.2,
      severity: 'warning',
      name: 'mae_up',
    });
    expect(rule.name).toBe('mae_up');
    expect(rule.condition({ mae: 0.21 })).toBe(false);
    expect(rule.condition({ mae: 0.23 })).toBe(true);
    expect(rule.condition({ mae: 0.1 })).toBe(false);
    expect(rule.condition({})).toBe(false);
    expect(rule.condition({ mae: NaN })).toBe(false);
  });

  it('latencyAbove reads percentiles flat or under `latency`', () => {
    const rule = latencyAbove('p99', 250, { for: 1000 });
    expect(rule.for).toBe(1000);
    expect(rule.name).toBe('latency_p99_above');
    expect(rule.condition({ p50: 10, p99: 300 })).toBe(true);
    expect(rule.condition({ p99: 250 })).toBe(false);
    expect(rule.condition({ latency: { p99: 251 } })).toBe(true);
    expect(rule.condition({ latency: null })).toBe(false);
  });

  it('driftDetected reads a single result, a table result, or either under `drift`', () => {
    const any = driftDetected();
    expect(any.condition({ isDrift: true, statistic: 0.3 })).toBe(true);
    expect(any.condition({ isDrift: false })).toBe(false);
    expect(any.condition({ drift: { isDrift: true } })).toBe(true);
    const speed = driftDetected('speed');
    expect(speed.name).toBe('drift_speed');
    const table = {
      isDrift: false,
      driftShare: 0.5,
      features: { speed: { isDrift: true }, heading: { isDrift: false } },
    };
    expect(speed.condition(table)).toBe(true);
    expect(driftDetected('heading').condition(table)).toBe(false);
    expect(speed.condition({ drift: table })).toBe(true);
    expect(speed.condition({})).toBe(false);
  });

  it('reject bad arguments with ConfigError', () => {
    expect(() => performanceDrop('', 0.05)).toThrow(ConfigError);
    expect(() => performanceDrop('accuracy', -1)).toThrow(ConfigError);
    expect(() => performanceDrop('accuracy', 0.05, { baseline: NaN })).toThrow(ConfigError);
    expect(() => latencyAbove('p99', NaN)).toThrow(ConfigError);
    expect(() => driftDetected('')).toThrow(ConfigError);
  });

  it('outputDriftDetected reads `outputDrift.isDrift`, or a result passed as is', () => {
    const rule = outputDriftDetected();
    expect(rule.name).toBe('output_drift');
    expect(rule.severity).toBe('warning');
    expect(rule.condition({ outputDrift: { isDrift: true } })).toBe(true);
    expect(rule.condition({ outputDrift: { isDrift: false }, isDrift: true })).toBe(false);
    expect(rule.condition({ isDrift: true })).toBe(true);
    expect(rule.condition({ drift: { isDrift: true } })).toBe(false);
    expect(rule.condition({})).toBe(false);
    const named = outputDriftDetected({ name: 'classes_moved', severity: 'critical', for: 60_000 });
    expect(named.name).toBe('classes_moved');
    expect(named.severity).toBe('critical');
  });
});
