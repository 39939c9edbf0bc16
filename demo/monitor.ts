/**
 * The page's `EdgeMonitor`: one object that watches the model — latency, input
 * drift per sensor against the training data, output drift of the predicted
 * classes, accuracy from the late labels against the holdout baseline, the
 * alert rules, the retraining trigger, and the durable outbox flushed to the
 * collector. This is the part of the demo an app copies.
 */
import {
  AlertRule,
  EdgeMonitor,
  driftDetected,
  latencyAbove,
  outputDriftDetected,
  performanceDrop,
  type AlertMetrics,
  type FlusherEvent,
  type RetrainEvidence,
  type TableDriftResult,
} from '../src/index.js';
import type { DemoConfig } from './config.js';
import { deviceId } from './device-id.js';
import { toColumns } from './sensor-data.js';

/** What the monitor needs to know about a model version. */
export interface ModelVersion {
  version: number;
  /** Its training rows (row-major): the drift reference. */
  trainRows: Float64Array;
  /** Its accuracy on its holdout set. */
  baseline: number;
  /** Its predicted classes on that holdout set: the output drift reference. */
  holdoutPredictions: Int32Array;
}

/**
 * Starts the monitor for the first model version.
 *
 * @param config - the page's thresholds and pace.
 * @param model - version 1.
 * @param hooks - `retrain` runs a retraining (the trigger calls it on drift, at
 *   most one at a time, then waits `cooldownMs`); `onFlush` sees the flusher's events.
 * @returns the running monitor.
 */
export function createMonitor(
  config: DemoConfig,
  model: ModelVersion,
  hooks: {
    retrain: (evidence: RetrainEvidence<TableDriftResult>) => Promise<unknown>;
    onFlush: (e: FlusherEvent) => void;
  },
): Promise<EdgeMonitor> {
  return EdgeMonitor.create({
    model: { name: 'perception', version: String(model.version) },
    deviceId: deviceId(),
    // Input drift: KS per sensor (explicitly: 'auto' would pick Wasserstein for a
    // reference this big, and the page states the test and its p-value threshold).
    reference: toColumns(model.trainRows),
    drift: { method: 'ks', threshold: config.driftThreshold, driftShare: config.driftShare },
    // Output drift: the window's predicted-class mix against the holdout run (chi-square).
    predictionReference: Array.from(model.holdoutPredictions),
    outputDrift: { classes: true, method: 'chisquare', threshold: config.outputDriftThreshold },
    // Accuracy over the last `windowSize` labelled predictions, against the holdout baseline.
    baseline: { accuracy: model.baseline },
    performance: { task: 'multiclass', windowSize: config.windowSize },
    // A window closes every `windowSize` predictions (the page can pause: never by time).
    windowCount: config.windowSize,
    windowMs: 24 * 3_600_000,
    rules: alertRules(config),
    retrain: { run: hooks.retrain, cooldownMs: config.cooldownMs },
    // The outbox: IndexedDB in this origin, flushed to the collector.
    store: { name: 'edgewatch-demo' },
    endpoint: {
      endpoint: config.endpoint,
      intervalMs: config.flushIntervalMs,
      onEvent: hooks.onFlush,
    },
  });
}

/**
 * Hands the monitor a promoted model: it seals the open window under the old
 * version, then tests later windows against the new version's training data,
 * holdout predictions and baseline.
 *
 * @param monitor - the monitor.
 * @param model - the new version.
 * @returns when the window of the old version is sealed.
 */
export function switchModel(monitor: EdgeMonitor, model: ModelVersion): Promise<unknown> {
  return monitor.setModel(String(model.version), {
    baseline: { accuracy: model.baseline },
    reference: toColumns(model.trainRows),
    predictionReference: Array.from(model.holdoutPredictions),
  });
}

/**
 * The page's alert rules: edgewatch's rule factories with the page's thresholds,
 * and one rule of its own (missing sensor values).
 *
 * @param config - thresholds.
 * @returns the rules.
 */
function alertRules(config: DemoConfig): AlertRule<AlertMetrics>[] {
  return [
    performanceDrop('accuracy', config.maxDegradation, {
      description: `accuracy more than ${config.maxDegradation * 100}% below the holdout baseline`,
    }),
    driftDetected(undefined, {
      name: 'input_drift',
      description: 'a sensor feature no longer matches the training data (KS test per feature)',
    }),
    outputDriftDetected({
      description:
        'the predicted-class mix moved away from the holdout run (chi-square) — seen before labels confirm it',
    }),
    // Latency must stay high for a while: one slow window on a busy machine is not an incident.
    latencyAbove('p99', config.maxP99Ms, {
      name: 'latency_p99',
      for: config.latencyForMs,
      description: `p99 inference latency above ${config.maxP99Ms} ms`,
    }),
    new AlertRule<AlertMetrics>(
      'sensor_missing',
      (m) => missingShare(m.drift as TableDriftResult | undefined) > config.maxMissingRate,
      'warning',
      {
        description: `more than ${config.maxMissingRate * 100}% of rows have a missing (NaN) sensor value`,
      },
    ),
  ];
}

/** The largest share of missing values of any feature in a window's drift result (0 without one). */
function missingShare(drift: TableDriftResult | undefined): number {
  let most = 0;
  for (const r of Object.values(drift?.features ?? {})) {
    const all = r.currentSize + r.missing.current;
    if (all > 0) most = Math.max(most, r.missing.current / all);
  }
  return most;
}
