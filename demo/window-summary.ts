/**
 * What one closed monitoring window looks like to the page (charts, panels,
 * the e2e test): the monitor's `window` event plus what the page kept of the
 * window itself (class mix, the label-free estimate).
 */
import type {
  LatencyPercentiles,
  TaggedAlert,
  TaggedDrift,
  TaggedOutputDrift,
  WindowEvent,
} from '../src/index.js';
import type { DemoEstimate } from './edgewatch.js';
import { NUM_CLASSES } from './sensor-data.js';
import type { WindowRows } from './window-buffer.js';

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
  latency: LatencyPercentiles;
  /** Input drift per feature (undefined for a window too short to test, e.g. cut by a model switch). */
  drift: TaggedDrift | undefined;
  /** Output drift of the predicted classes against the model's holdout predictions. */
  outputDrift: TaggedOutputDrift | undefined;
  /** This window's accuracy estimated without labels (CBPE), with its band. */
  estimate: DemoEstimate | undefined;
  /** Fraction of rows predicted as each class. */
  predicted: number[];
  /** Fraction of rows whose true label is each class. */
  actual: number[];
  /** Alerts firing after this window's evaluation. */
  firing: TaggedAlert[];
}

/**
 * Summarizes a closed window for the page. O(rows).
 *
 * @param e - the monitor's `window` event.
 * @param own - what the page kept of the window (undefined if it kept nothing).
 * @param p - the window's index and chart time, the model's baseline and the estimate.
 * @returns the summary.
 */
export function summarizeWindow(
  e: WindowEvent,
  own: WindowRows | undefined,
  p: { index: number; t: number; baseline: number; estimate: DemoEstimate | undefined },
): WindowSummary {
  const predicted = new Array<number>(NUM_CLASSES).fill(0);
  const actual = new Array<number>(NUM_CLASSES).fill(0);
  const n = own?.labels.length ?? 0;
  for (let i = 0; i < n; i++) {
    predicted[own!.preds[i]!]! += 1 / n;
    actual[own!.labels[i]!]! += 1 / n;
  }
  return {
    index: p.index,
    t: p.t,
    start: e.record.start,
    end: e.record.end,
    modelVersion: Number(e.record.model.version),
    rows: e.record.counters.predictions ?? 0,
    accuracy: e.metrics.accuracy ?? Number.NaN,
    baseline: p.baseline,
    // edgewatch's relative drop vs the holdout baseline (positive = worse).
    degradation: e.metrics.degradation?.accuracy ?? Number.NaN,
    latency: e.latency,
    drift: e.drift,
    outputDrift: e.outputDrift,
    estimate: p.estimate,
    predicted,
    actual,
    firing: e.firing,
  };
}
