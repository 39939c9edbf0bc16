/**
 * The asynchronous half of closing a window: the drift check in the engine,
 * the outbox backlog, the alert evaluation, the prediction log, and the record
 * sealed to the store. `EdgeMonitor` captures the window synchronously and
 * runs this in order, one window after the other.
 */
import { DataError } from '../errors.js';
import type { AlertSystem } from '../alerts/alert-system.js';
import type { Alert } from '../alerts/types.js';
import type { TypedEmitter } from '../util/typed-emitter.js';
import type { DriftDetector } from '../drift/drift-detector.js';
import { modelLabels, toWindowModel, withModelTag, type ModelTag } from '../lifecycle/model-tag.js';
import type { LatencyPercentiles, LatencySnapshot } from '../metrics/latency-tracker.js';
import type { PerformanceMetrics } from '../performance/types.js';
import type { TableDriftResult } from '../stats/drift/types.js';
import type { WindowStore } from '../storage/window-store.js';
import type { PredictionEntry, WindowAlert, WindowRecord } from '../window/window-record.js';
import { bytesToBase64 } from '../window/base64.js';
import { buildWindowRecord } from '../window/window-sealer.js';
import { randomUuid } from '../util/random-uuid.js';
import type {
  EdgeMonitorEvents,
  TaggedAlert,
  TaggedDrift,
  TaggedOutputDrift,
} from './edge-monitor-types.js';
import type { FeatureTable } from './feature-buffer.js';
import type { MultivariateCapture, MultivariateWatch } from './multivariate-watch.js';
import type { WindowProfilesResult, WindowProfiles } from './window-profiles.js';
import { OUTPUT_FEATURE, type OutputCapture } from './output-drift.js';
import { bump, flattenPerformance, toWindowDrift } from './window-contents.js';

/** Most prediction-log entries attached to one window (the rest wait for the next). */
export const MAX_WINDOW_PREDICTIONS = 1000;

/** What was taken from the monitors, synchronously, when the window closed. */
export interface WindowCapture {
  start: number;
  end: number;
  tag: ModelTag;
  metrics: PerformanceMetrics;
  counters: Record<string, number>;
  drops: Record<string, number>;
  /** The feature rows, when there are enough for a drift check. */
  table: FeatureTable | undefined;
  /** The drift reference the window was observed under, when drift is watched. */
  detector?: DriftDetector<FeatureTable> | undefined;
  /** Feature rows buffered in the window. */
  rows: number;
  /**
   * Every feature row, in columns nothing else holds (handed to the profile
   * service), and the per-column invalid counts, when feature profiles are on.
   */
  profileInput?: { columns: FeatureTable; invalid: Record<string, number> } | undefined;
  /** The window's predictions and the output detector of its model, when output drift is watched. */
  output?: OutputCapture | undefined;
  /** The window's vectors and scores, when multivariate checks or CBPE are configured. */
  multivariate?: MultivariateCapture | undefined;
  latency: Promise<LatencySnapshot>;
}

/** An alert that fired (`fired`) or resolved during an evaluation. */
export interface AlertEvent {
  fired: boolean;
  alert: Alert;
}

/**
 * The alert with the model's labels (`model`, `model_version`) added to the rule's.
 *
 * @param a - the alert.
 * @param tag - the model it was evaluated on.
 * @returns a copy.
 * @example
 * tagAlert(alert, modelTag('perception', '2')).labels; // => { model: 'perception', model_version: '2' }
 */
export function tagAlert(a: Alert, tag: ModelTag): TaggedAlert {
  return { ...a, labels: { ...a.labels, ...modelLabels(tag) } };
}

/** What {@link finishWindow} works with. */
export interface FinishContext {
  deviceId: string;
  now: () => number;
  alerts: AlertSystem;
  /** Removes and returns the alerts fired or resolved since the last call. */
  takeAlertEvents: () => AlertEvent[];
  store: WindowStore;
  drainPredictions: boolean;
  /** Offers the window's drift result to the retraining trigger. */
  retrain: (table: FeatureTable, drift: TableDriftResult) => void;
  /** Multivariate drift and CBPE, when configured. */
  multivariate?: MultivariateWatch | undefined;
  /** Feature profiles and data quality, when configured. */
  profiles?: WindowProfiles | undefined;
  emit: TypedEmitter<EdgeMonitorEvents>;
}

const EMPTY_LATENCY: LatencyPercentiles = {
  p50: NaN,
  p95: NaN,
  p99: NaN,
  p999: NaN,
  count: 0,
  min: NaN,
  max: NaN,
  mean: NaN,
  dropped: 0,
};

/**
 * Finishes a captured window: drift, alerts, record, store, `window` event.
 *
 * @param c - the capture.
 * @param x - the monitor's parts.
 * @returns the sealed record.
 * @throws StorageError when the store fails for a reason other than quota (the caller reports it).
 */
export async function finishWindow(c: WindowCapture, x: FinishContext): Promise<WindowRecord> {
  const { counters, drops } = c;
  // Started first: the profile service works while the drift check runs in the engine.
  const profiling = windowProfiles(c, x);
  let latency = EMPTY_LATENCY;
  const sketches: Record<string, Uint8Array> = {};
  try {
    const snap = await c.latency;
    latency = snap.percentiles;
    sketches.latency = snap.sketch;
  } catch (e) {
    bump(drops, 'latency_failed', 1);
    x.emit.emit('error', e);
  }
  if (latency.count > 0) counters.latencies = latency.count;
  if (c.rows > 0) counters.featureRows = c.rows;
  let drift: TaggedDrift | undefined;
  if (c.detector !== undefined && c.table !== undefined) {
    try {
      const result = await c.detector.detect(c.table);
      drift = withModelTag(result, c.tag) as TaggedDrift;
      x.emit.emit('drift', drift);
      x.retrain(c.table, result);
    } catch (e) {
      bump(drops, 'drift_failed', 1);
      // Bad window data (e.g. a column all missing) is counted; engine failures are reported too.
      if (!(e instanceof DataError)) x.emit.emit('error', e);
    }
  } else if (c.detector !== undefined && c.rows > 0) bump(counters, 'driftSkipped');
  const driftRows = drift ? toWindowDrift(drift) : { rows: [], skipped: 0 };
  bump(drops, 'drift_nan', driftRows.skipped);
  const output = await outputDrift(c, x.emit);
  if (output !== undefined) {
    const outRows = toWindowDrift(output.table);
    for (const r of outRows.rows) driftRows.rows.push({ ...r, source: 'output' });
    bump(drops, 'drift_nan', outRows.skipped);
  }
  const outputResult = output?.result;
  const mv =
    x.multivariate !== undefined && c.multivariate !== undefined
      ? await x.multivariate.run(c.multivariate)
      : undefined;
  if (mv !== undefined) {
    driftRows.rows.push(...mv.drift);
    for (const [reason, n] of Object.entries(mv.failed)) bump(drops, reason, n);
  }
  const prof = await profiling;
  let outboxBacklogAgeMs = 0;
  try {
    const oldest = (await x.store.stats()).outbox.oldest;
    if (oldest !== undefined) outboxBacklogAgeMs = Math.max(0, x.now() - oldest);
  } catch (e) {
    x.emit.emit('error', e);
  }
  const labels = modelLabels(c.tag);
  const firing = x.alerts
    .evaluate({
      ...c.metrics,
      ...mv?.performance,
      ...latency,
      latency,
      drift,
      driftShare: drift?.driftShare,
      outputDrift: outputResult,
      outboxBacklogAgeMs,
      ...(prof ? { quality: prof.quality } : {}),
      ...labels,
    })
    .map((a) => tagAlert(a, c.tag));
  const alerts: WindowAlert[] = [];
  for (const { fired, alert } of x.takeAlertEvents()) {
    if (fired) alerts.push({ name: alert.name, severity: alert.severity, firedAt: alert.firedAt });
    x.emit.emit('alert', tagAlert(alert, c.tag));
  }
  let predictions: PredictionEntry[] | undefined;
  if (x.drainPredictions) {
    try {
      predictions = await x.store.predictionLog.drain(MAX_WINDOW_PREDICTIONS);
    } catch (e) {
      x.emit.emit('error', e);
    }
  }
  const record = buildWindowRecord(
    {
      windowId: randomUuid(),
      deviceId: x.deviceId,
      model: toWindowModel(c.tag),
      start: c.start,
      end: c.end,
    },
    {
      sketches,
      counters,
      performance: { ...flattenPerformance(c.metrics), ...mv?.performance, ...prof?.performance },
      drift: driftRows.rows,
      alerts,
      drops,
      ...(predictions ? { predictions } : {}),
    },
  );
  if (prof !== undefined && Object.keys(prof.encoded).length > 0) {
    record.profiles = {};
    for (const [f, bytes] of Object.entries(prof.encoded))
      record.profiles[f] = bytesToBase64(bytes);
  }
  const { stored } = await x.store.append(record);
  x.emit.emit('window', {
    record,
    stored,
    latency,
    metrics: c.metrics,
    drift,
    outputDrift: outputResult,
    estimate: mv?.estimate,
    firing,
  });
  return record;
}

/** The window's profiles; a failure is counted (`profiles_failed`) and reported. Never rejects. */
async function windowProfiles(
  c: WindowCapture,
  x: FinishContext,
): Promise<WindowProfilesResult | undefined> {
  if (x.profiles === undefined || c.profileInput === undefined || c.rows === 0) return undefined;
  try {
    return await x.profiles.build(c.profileInput.columns, c.profileInput.invalid);
  } catch (e) {
    bump(c.drops, 'profiles_failed', 1);
    x.emit.emit('error', e);
    return undefined;
  }
}

/**
 * The window's output drift test, when predictions were captured: the
 * one-column table result and the `prediction` column's result, tagged.
 * A failing test is counted (`output_drift_failed`), engine failures reported.
 */
async function outputDrift(
  c: WindowCapture,
  emit: TypedEmitter<EdgeMonitorEvents>,
): Promise<{ table: TableDriftResult; result: TaggedOutputDrift } | undefined> {
  const out = c.output;
  if (out === undefined) return undefined;
  if (out.table === undefined) {
    if (out.rows > 0) bump(c.counters, 'outputDriftSkipped');
    return undefined;
  }
  try {
    const table = await out.detector.detect(out.table);
    const column = table.features[OUTPUT_FEATURE];
    if (column === undefined) return undefined;
    return { table, result: withModelTag(column, c.tag) as TaggedOutputDrift };
  } catch (e) {
    bump(c.drops, 'output_drift_failed', 1);
    if (!(e instanceof DataError)) emit.emit('error', e);
    return undefined;
  }
}
