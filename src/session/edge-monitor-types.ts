/**
 * Types of `EdgeMonitor`: one observation, the window event and the event map.
 * Types only.
 */
import type { Alert } from '../alerts/types.js';
import type { ModelTag } from '../lifecycle/model-tag.js';
import type { LatencyPercentiles } from '../metrics/latency-tracker.js';
import type { CbpeEstimate } from '../multivariate/cbpe.js';
import type { PerformanceMetrics } from '../performance/types.js';
import type { DriftResult, TableDriftResult } from '../stats/drift/types.js';
import type { WindowRecord } from '../window/window-record.js';

/** One prediction, as given to `EdgeMonitor.observe`. */
export interface Observation {
  /** Model inputs by column (buffered for the window's drift check; only columns of the reference count). */
  features?: Readonly<Record<string, unknown>>;
  /** The model's output: a class label, a probability, or a number. Required. */
  prediction: unknown;
  /** Ground truth, when known now. */
  label?: unknown;
  /** Inference latency, ms. */
  latencyMs?: number;
  /** Identifies the prediction for a delayed `label(id, actual)`. */
  id?: string | number;
}

/** An alert as the monitor reports it: its labels carry `model` and `model_version`. */
export type TaggedAlert = Alert & {
  /** The alert's labels, with `model` and `model_version`. */
  labels: Readonly<Record<string, string>>;
};

/** A drift result tagged with the model it was measured on. */
export type TaggedDrift = TableDriftResult & ModelTag;

/** An output drift result (the `prediction` column) tagged with the model it was measured on. */
export type TaggedOutputDrift = DriftResult & ModelTag;

/** What the `window` event carries. */
export interface WindowEvent {
  /** The sealed record (as stored and sent). */
  record: WindowRecord;
  /** Whether the store accepted it (false: dropped and counted by the store). */
  stored: boolean;
  /** The window's latency percentiles (ms). */
  latency: LatencyPercentiles;
  /** Performance metrics at close (the PerformanceMonitor's rolling window). */
  metrics: PerformanceMetrics;
  /** The drift result, when the window was checked. */
  drift: TaggedDrift | undefined;
  /** The output drift result, when the window's predictions were checked. */
  outputDrift: TaggedOutputDrift | undefined;
  /** The CBPE estimate with its bands, when `estimatePerformance` is set and the window had enough scores. */
  estimate?: CbpeEstimate | undefined;
  /** Alerts firing after this window's evaluation. */
  firing: TaggedAlert[];
}

/** Events of `EdgeMonitor`. */
export interface EdgeMonitorEvents {
  /** A window was sealed. */
  window: (event: WindowEvent) => void;
  /** An alert fired or resolved (`state`). */
  alert: (alert: TaggedAlert) => void;
  /** A window's drift check finished. */
  drift: (result: TaggedDrift) => void;
  /** Background work failed (engine, storage, delivery, a rule, a listener). */
  error: (error: unknown) => void;
}
