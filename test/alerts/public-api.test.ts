import { describe, expect, it } from 'vitest';
import * as ew from '../../src/index.js';
import { AlertRule, AlertSeverity, AlertSystem } from '../../src/index.js';

describe('alert, retraining and performance names on the public entry point', () => {
  it('the documented alert snippet runs against the package entry', () => {
    const alerts = new AlertSystem();
    alerts.addRule(
      new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL),
    );
    expect(alerts.evaluate({ accuracy: 0.82 })).toMatchObject([
      { name: 'accuracy_drop', severity: 'critical' },
    ]);
  });

  it.each([
    'PerformanceMonitor',
    'RetrainTrigger',
    'callbackNotifier',
    'webhookNotifier',
    'driftDetected',
    'latencyAbove',
    'performanceDrop',
  ] as const)('exports %s', (name) => {
    expect(typeof ew[name]).toBe('function');
  });
});
