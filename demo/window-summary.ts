/**
 * What one closed monitoring window looks like to the page (charts, panels,
 * the e2e test), and the outbox record built from it.
 */
import { windowRecord } from './edgewatch.js';
import { NUM_CLASSES } from './sensor-data.js';
import type {
  DemoAlert,
  DemoDriftResult,
  DemoEstimate,
  DemoPercentiles,
  DemoTableDrift,
} from './edgewatch-types.js';
import type { WindowDrift, WindowRecord } from '../src/index.js';

/** One closed window, as the page shows it. */
export interface WindowSummary {
  index: number;
  /** Seconds since the stream started (chart x). */
  t: number;
  start: number;
  end: number;
  modelVersion: number;
  rows: number;
  accuracy: number;
  baseline: number;
  /** Relative drop of accuracy vs the holdout baseline (positive = worse). */
  degradation: number;
  latency: DemoPercentiles;
  drift: DemoTableDrift;
  /** Output drift of the predicted classes against the model's holdout predictions. */
  outputDrift: DemoDriftResult | undefined;
  /** This window's accuracy estimated without labels (CBPE), with its band. */
  estimate: DemoEstimate | undefined;
  /** Fraction of rows predicted as each class. */
  predicted: number[];
  /** Fraction of rows whose true label is each class. */
  actual: number[];
  missingRate: number;
  firing: DemoAlert[];
}

/**
 * Summarizes a closed window for the page. O(rows · features).
 *
 * @param p - the window's rows, labels, predictions and monitor results.
 * @returns the summary (`firing` empty until the alert rules ran).
 */
export function summarizeWindow(p: {
  index: number;
  t: number;
  start: number;
  end: number;
  version: number;
  baseline: number;
  rows: Float64Array;
  labels: Int32Array;
  preds: Int32Array;
  drift: DemoTableDrift;
  outputDrift?: DemoDriftResult | undefined;
  estimate?: DemoEstimate | undefined;
  accuracy: number;
  degradation: number;
  latency: DemoPercentiles;
}): WindowSummary {
  const n = p.labels.length;
  const predicted = new Array<number>(NUM_CLASSES).fill(0);
  const actual = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < n; i++) {
    predicted[p.preds[i]!]! += 1 / n;
    actual[p.labels[i]!]! += 1 / n;
  }
  let missing = 0;
  for (const x of p.rows) if (Number.isNaN(x)) missing++;
  return {
    index: p.index,
    t: p.t,
    start: p.start,
    end: p.end,
    modelVersion: p.version,
    rows: n,
    accuracy: p.accuracy,
    baseline: p.baseline,
    degradation: p.degradation,
    latency: p.latency,
    drift: p.drift,
    outputDrift: p.outputDrift,
    estimate: p.estimate,
    predicted,
    actual,
    missingRate: missing / n,
    firing: [],
  };
}

/**
 * Builds the outbox record (edgewatch's `WindowRecord`) for a window: summaries
 * only — the latency sketch, drift results, metrics, alerts and drop counts.
 *
 * @param s - the window.
 * @param deviceId - this device.
 * @param fired - alerts that fired during the window.
 * @param latencySketch - the window's serialized latency sketch (ms).
 * @returns the record.
 */
export function toWindowRecord(
  s: WindowSummary,
  deviceId: string,
  fired: DemoAlert[],
  latencySketch: Uint8Array,
): WindowRecord {
  const finite = (x: number): number => (Number.isFinite(x) ? x : 0);
  return windowRecord(
    { deviceId, modelVersion: s.modelVersion, start: s.start, end: s.end },
    {
      sketches: { latency: latencySketch },
      counters: { predictions: s.rows },
      performance: {
        accuracy: finite(s.accuracy),
        ...(s.estimate === undefined
          ? {}
          : {
              estimated_accuracy: finite(s.estimate.value),
              estimated_accuracy_lower: finite(s.estimate.lower),
              estimated_accuracy_upper: finite(s.estimate.upper),
            }),
        degradation_accuracy: finite(s.degradation),
        latency_p50_ms: finite(s.latency.p50),
        latency_p95_ms: finite(s.latency.p95),
        latency_p99_ms: finite(s.latency.p99),
      },
      drift: [
        ...Object.entries(s.drift.features).map(([feature, r]) => wireDrift(feature, r)),
        ...(s.outputDrift === undefined
          ? []
          : [{ ...wireDrift('prediction', s.outputDrift), source: 'output' as const }]),
      ],
      alerts: fired.map((a) => ({ name: a.name, severity: a.severity, firedAt: a.firedAt })),
      drops: { missing_inputs: Math.round(s.missingRate * s.rows) },
    },
  );
}

/** One drift result as a `WindowDrift` row (a NaN statistic as 0, the p-value only when finite). */
function wireDrift(feature: string, r: DemoDriftResult): WindowDrift {
  return {
    feature,
    method: r.method,
    statistic: Number.isFinite(r.statistic) ? r.statistic : 0,
    threshold: r.threshold,
    isDrift: r.isDrift,
    ...(r.pValue !== undefined && Number.isFinite(r.pValue) ? { pValue: r.pValue } : {}),
  };
}
