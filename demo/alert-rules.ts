/**
 * The demo's alert rules: the common monitoring checks, evaluated on every
 * closed window's metrics.
 */
import type { AlertsPort } from './edgewatch.js';
import type { DemoConfig } from './config.js';

/**
 * Adds the demo's rules to an alert system.
 *
 * @param alerts - the alert system.
 * @param config - thresholds.
 */
export function installAlertRules(alerts: AlertsPort, config: DemoConfig): void {
  alerts.addRule('accuracy_drop', (m) => m.degradation > config.maxDegradation, 'critical', {
    description: `accuracy more than ${config.maxDegradation * 100}% below the holdout baseline`,
  });
  alerts.addRule('input_drift', (m) => m.driftedFeatures.length > 0, 'warning', {
    description: 'a sensor feature no longer matches the training data (KS test per feature)',
  });
  alerts.addRule('output_drift', (m) => m.outputDrift === true, 'warning', {
    description:
      'the predicted-class mix moved away from the holdout run (chi-square) — seen before labels confirm it',
  });
  // Latency must stay high for a while: one slow window on a busy machine is not an incident.
  alerts.addRule('latency_p99', (m) => m.p99 > config.maxP99Ms, 'warning', {
    description: `p99 inference latency above ${config.maxP99Ms} ms`,
    for: config.latencyForMs,
  });
  alerts.addRule('sensor_missing', (m) => m.missingRate > config.maxMissingRate, 'warning', {
    description: `more than ${config.maxMissingRate * 100}% of rows have a missing (NaN) sensor value`,
  });
}
