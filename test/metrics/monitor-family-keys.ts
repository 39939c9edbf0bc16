/** What the monitor exposition tests expect to find in a registry every monitor kind publishes into. */
import type { EdgewatchMetricKey } from '../../src/export/metric-names.js';

/** The families of latency, performance, drift and alerts, and the drop counter, that every monitor set exposes. */
export const MONITOR_FAMILY_KEYS = [
  'latency',
  'accuracy',
  'performance',
  'degradation',
  'drift',
  'driftDetected',
  'alertsFiring',
  'alertsFired',
  'valuesDropped',
] as const satisfies readonly EdgewatchMetricKey[];
