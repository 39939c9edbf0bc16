/**
 * Taking the open window's contents in one synchronous step when it closes —
 * counters, drops, performance metrics, feature rows and the latency
 * snapshot — so that nothing observed afterwards leaks into it and the
 * asynchronous finishing (drift, alerts, sealing) can run later, in order.
 */
import type { LatencyTracker } from '../metrics/latency-tracker.js';
import type { PerformanceMonitor } from '../performance/performance-monitor.js';
import type { ModelTag } from '../lifecycle/model-tag.js';
import type { FeatureBuffer } from './feature-buffer.js';
import type { WindowCapture } from './finish-window.js';
import type { WindowTally } from './window-tally.js';
import type { OutputDrift } from './output-drift.js';

/** The open window's parts (the buffer only when drift is watched). */
export interface OpenWindowParts {
  /** Counters and drops. */
  readonly tally: WindowTally;
  /** The performance window. */
  readonly perf: PerformanceMonitor;
  /** The latency sketch (snapshotted, then reset). */
  readonly latency: LatencyTracker;
  /** Feature rows (taken). */
  readonly buffer: FeatureBuffer | undefined;
  /** Predictions for output drift (taken), when a prediction reference is set. */
  readonly output: OutputDrift | undefined;
}

/**
 * Captures and empties the open window. Synchronous; never throws (a failing
 * latency reset goes to `onError`; a failing snapshot surfaces when finishing).
 *
 * @param w - the window's parts.
 * @param bounds - the window's start and end (epoch ms) and the model it ran under.
 * @param o - `sealEmpty` (capture a window with nothing counted) and `minDriftRows`
 *   (fewer rows than this: no drift check).
 * @param onError - receives background failures.
 * @returns the capture, or undefined for an empty window that is not sealed.
 * @example const c = captureWindow(parts, { start, end, tag }, { sealEmpty: false, minDriftRows: 30 }, onError);
 * Cost: O(buffered rows) to hand over the feature table and the predictions.
 */
export function captureWindow(
  w: OpenWindowParts,
  bounds: { start: number; end: number; tag: ModelTag },
  o: { sealEmpty: boolean; minDriftRows: number },
  onError: (e: unknown) => void,
): WindowCapture | undefined {
  const metrics = w.perf.getMetrics();
  const { counters, drops, empty } = w.tally.take(metrics);
  if (empty && !o.sealEmpty) return undefined;
  const rows = w.buffer?.size ?? 0;
  const table = w.buffer?.take();
  const latencyLost = w.latency.dropped;
  // Posted in this order in the same tick: the snapshot sees exactly this window's values.
  const latency = w.latency.snapshot();
  latency.catch(() => undefined);
  w.latency.reset().catch(onError);
  if (latencyLost > 0) drops.latency_lost = latencyLost;
  return {
    ...bounds,
    metrics,
    counters,
    drops,
    table: rows >= o.minDriftRows ? table : undefined,
    rows,
    output: w.output?.take(o.minDriftRows),
    latency,
  };
}
