/**
 * The open window of an `EdgeMonitor`: its boundaries in time (and the timer
 * that closes it when no observation arrives to notice), its counters and drop
 * reasons, where each observation's parts go while it is open, and the
 * synchronous capture of its contents when it closes — so that nothing
 * observed afterwards leaks into it and the asynchronous finishing (drift,
 * alerts, sealing) can run later, in order.
 */
import type { ModelTag } from '../lifecycle/model-tag.js';
import type { LatencyTracker } from '../metrics/latency-tracker.js';
import type { PerformanceMonitor } from '../performance/performance-monitor.js';
import type { PerformanceMetrics } from '../performance/types.js';
import type { Observation } from './edge-monitor-types.js';
import type { FeatureBuffer } from './feature-buffer.js';
import type { WindowCapture } from './finish-window.js';
import type { OutputDrift } from './output-drift.js';
import { bump } from './window-contents.js';

/** Tracks the open window's start and arms a timer for its end. */
export class WindowClock {
  private startMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  /**
   * @param now - the clock (epoch ms).
   * @param windowMs - window length in ms.
   * @param onDue - called by the timer when the open window is due.
   * @example new WindowClock(Date.now, 60_000, () => void monitor.sealWindow())
   */
  constructor(
    private readonly now: () => number,
    private readonly windowMs: number,
    private readonly onDue: () => void,
  ) {
    this.startMs = now();
  }

  /** Start of the open window (epoch ms). */
  get start(): number {
    return this.startMs;
  }

  /**
   * Whether the open window has reached its length. O(1).
   * @returns true when it should be closed.
   */
  due(): boolean {
    return this.now() - this.startMs >= this.windowMs;
  }

  /** (Re)arms the timer for the open window's end; a no-op once stopped. */
  arm(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const wait = Math.max(0, this.startMs + this.windowMs - this.now());
    this.timer = setTimeout(this.onDue, Math.min(wait, 2 ** 31 - 1));
  }

  /**
   * Ends the open window now (never before its start), starts the next and re-arms.
   * @returns the closed window's `[start, end]`.
   */
  advance(): { start: number; end: number } {
    const start = this.startMs;
    const end = Math.max(this.now(), start);
    this.startMs = end;
    this.arm();
    return { start, end };
  }

  /** Clears the timer for good (idempotent). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/** What {@link WindowTally.take} hands over. */
export interface TallyTake {
  counters: Record<string, number>;
  drops: Record<string, number>;
  /** Nothing was counted: no prediction, label or drop. */
  empty: boolean;
}

/** Counters and drops of the open window. */
export class WindowTally {
  /** Predictions observed in the window. */
  predictions = 0;
  private counters: Record<string, number> = {};
  private drops: Record<string, number> = {};
  private seen = { dropped: 0, expired: 0, unmatched: 0 };

  /**
   * Adds to a counter.
   *
   * @param key - counter name.
   * @param n - amount (default 1).
   */
  count(key: string, n = 1): void {
    bump(this.counters, key, n);
  }

  /**
   * Counts dropped values by reason.
   *
   * @param reason - why.
   * @param n - how many (default 1).
   */
  drop(reason: string, n = 1): void {
    bump(this.drops, reason, n);
  }

  /** Forgets the performance counters seen so far (a new PerformanceMonitor starts at 0). */
  restartPerformance(): void {
    this.seen = { dropped: 0, expired: 0, unmatched: 0 };
  }

  /**
   * Hands over the window's counters and drops (plus the performance
   * monitor's deltas since the last take) and starts a new window. O(keys).
   *
   * @param m - the performance metrics read at close.
   * @returns the counters and drops.
   */
  take(m: PerformanceMetrics): TallyTake {
    const { counters, drops } = this;
    const expired = m.expiredLabels ?? 0;
    const unmatched = m.unmatchedLabels ?? 0;
    bump(drops, 'performance', m.dropped - this.seen.dropped);
    bump(drops, 'label_expired', expired - this.seen.expired);
    bump(drops, 'label_unmatched', unmatched - this.seen.unmatched);
    this.seen = { dropped: m.dropped, expired, unmatched };
    if (this.predictions > 0) counters.predictions = this.predictions;
    this.predictions = 0;
    this.counters = {};
    this.drops = {};
    return {
      counters,
      drops,
      empty: Object.keys(counters).length === 0 && Object.keys(drops).length === 0,
    };
  }
}

/**
 * Routes one observation to its sinks. Never throws; synchronous.
 *
 * @param obs - the observation as given (validated here).
 * @param t - counters and drops of the open window.
 * @param latency - the latency sketch (ms).
 * @param perf - the open performance window.
 * @param buffer - feature rows of the open window, when a reference is set.
 * @param output - predictions of the open window, when a prediction reference is set.
 * @returns false when the observation itself was malformed (dropped as
 *   `observation_invalid`), true when it counted as a prediction.
 * @example routeObservation({ prediction: 1, latencyMs: 4 }, tally, latency, perf, undefined) // => true
 * Cost: O(reference columns).
 */
export function routeObservation(
  obs: Observation,
  t: WindowTally,
  latency: LatencyTracker,
  perf: PerformanceMonitor,
  buffer: FeatureBuffer | undefined,
  output?: OutputDrift,
): boolean {
  if (obs === null || typeof obs !== 'object' || obs.prediction === undefined) {
    t.drop('observation_invalid');
    return false;
  }
  t.predictions++;
  if (output !== undefined) {
    const r = output.push(obs.prediction);
    if (r === 'full') t.drop('output_buffer_full');
    else if (r === 'invalid') t.drop('output_invalid');
  }
  const lat = obs.latencyMs;
  if (typeof lat === 'number' && lat >= 0 && lat < Infinity) latency.record(lat);
  else if (lat !== undefined) t.drop('latency_invalid');
  if (obs.label !== undefined) {
    if (perf.update(obs.prediction, obs.label)) t.count('labelled');
  } else if (obs.id !== undefined) perf.recordPrediction(obs.id, obs.prediction);
  const f = obs.features;
  if (f !== undefined) {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) t.drop('features_invalid');
    else if (buffer !== undefined) {
      const r = buffer.push(f);
      if (!r.stored) t.drop('features_buffer_full');
      t.drop('feature_unknown', r.unknown);
    }
  }
  return true;
}

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
 * @param o - `sealEmpty` (capture a window with nothing counted), `minDriftRows`
 *   (fewer rows than this: no drift check) and `profiles` (hand every row, in
 *   columns of their own, and the invalid counts to the feature profiles).
 * @param onError - receives background failures.
 * @returns the capture, or undefined for an empty window that is not sealed.
 * @example const c = captureWindow(parts, { start, end, tag }, { sealEmpty: false, minDriftRows: 30 }, onError);
 * Cost: O(buffered rows) to hand over the feature table and the predictions.
 */
export function captureWindow(
  w: OpenWindowParts,
  bounds: { start: number; end: number; tag: ModelTag },
  o: { sealEmpty: boolean; minDriftRows: number; profiles?: boolean },
  onError: (e: unknown) => void,
): WindowCapture | undefined {
  const metrics = w.perf.getMetrics();
  const { counters, drops, empty } = w.tally.take(metrics);
  if (empty && !o.sealEmpty) return undefined;
  const rows = w.buffer?.size ?? 0;
  const invalid = w.buffer?.invalidCounts();
  const taken = o.profiles === true ? w.buffer?.takeBoth() : undefined;
  const table = taken !== undefined ? taken.table : w.buffer?.take();
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
    ...(taken !== undefined && invalid !== undefined
      ? { profileInput: { columns: taken.own, invalid } }
      : {}),
    output: w.output?.take(o.minDriftRows),
    latency,
  };
}
