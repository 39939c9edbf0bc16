import { describe, expect, it } from 'vitest';
import {
  AlertRule,
  AlertSeverity,
  AlertSystem,
  PerformanceMonitor,
  RetrainTrigger,
  callbackNotifier,
  driftDetected,
  latencyAbove,
  performanceDrop,
  webhookNotifier,
} from '../../src/index.js';

describe('issue-4 names on the public entry point', () => {
  it('the documented alert snippet runs against the package entry', () => {
    const alerts = new AlertSystem();
    alerts.addRule(
      new AlertRule('accuracy_drop', (m) => m.accuracy < 0.85, AlertSeverity.CRITICAL),
    );
    expect(alerts.evaluate({ accuracy: 0.82 })).toMatchObject([
      { name: 'accuracy_drop', severity: 'critical' },
    ]);
  });

  it('exports every issue-4 class and factory', () => {
    for (const f of [
      PerformanceMonitor,
      RetrainTrigger,
      callbackNotifier,
      webhookNotifier,
      driftDetected,
      latencyAbove,
      performanceDrop,
    ]) {
      expect(typeof f).toBe('function');
    }
  });
});
