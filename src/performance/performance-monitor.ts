/**
 * `PerformanceMonitor`: sliding-window model performance on the caller thread
 * (prediction accuracy tracked over time), for regression, binary
 * and multiclass models, with delayed labels and degradation against a baseline.
 */
import { ConfusionStats } from './confusion-stats.js';
import { relativeDegradation } from './degradation.js';
import {
  MAX_MAGNITUDE,
  isLabel,
  resolveMonitorOptions,
  type ResolvedMonitorOptions,
} from './monitor-options.js';
import { PendingLabels, type PredictionId } from './pending-labels.js';
import { ProbabilityStats } from './probability-stats.js';
import { RegressionStats } from './regression-stats.js';
import { SampleRing } from './sample-ring.js';
import type { Label, PerformanceMetrics, PerformanceMonitorOptions } from './types.js';
import { linkMonitor } from '../metrics/monitor-link.js';
import type { MonitorLink, MonitorMetricsOptions } from '../metrics/monitor-link.js';
import { closedError } from '../errors.js';

/** The task once resolved: `'numeric'` is `'auto'` with numbers (regression + accuracy). */
type Mode = 'numeric' | 'regression' | 'binary' | 'multiclass';

interface Sample {
  t: number;
  /** numeric / regression: prediction and actual */
  p: number;
  y: number;
  /** classification: hard predicted and actual label (binary: 0/1) */
  hp: Label;
  hy: Label;
  /** binary: probability and 0/1 label */
  prob: number;
  y01: 0 | 1;
}

/**
 * Tracks model performance over a sliding window (last `windowSize` samples
 * and/or last `windowMs` milliseconds).
 *
 * Cost per `update`: O(1) for every metric except the exact AUC, O(log n).
 * `getMetrics()` is O(1) for regression, O(k²) for k classes (the confusion
 * matrix), O(bins) for the calibration error. Floating sums are compensated
 * and recomputed from the window once per window turnover (amortised O(1)),
 * so the sliding result stays equal to a recomputation from scratch.
 *
 * Bad samples (NaN, mismatched types, a probability outside [0, 1], a label
 * that is neither binary class, |x| > 1e100) are dropped and counted in
 * `dropped`; `update` never throws.
 *
 * @example
 * ```ts
 * const monitor = new PerformanceMonitor({ windowSize: 100 });
 * for (const [pred, actual] of predictions) monitor.update(pred, actual);
 * monitor.getMetrics(); // => { mae: 0.15, rmse: …, accuracy: 0.92, numSamples: 100, … }
 *
 * const clf = new PerformanceMonitor({ task: 'binary', windowMs: 60_000, baseline: { auc: 0.91 } });
 * clf.update(0.83, 1);
 * clf.getMetrics().degradation?.auc; // relative drop, positive = worse
 *
 * // Publish to Prometheus: read by getMetrics() at each scrape, nothing added to update().
 * new PerformanceMonitor({ registry, labels: { model: 'perception', model_version: '2' } });
 * await registry.metrics(); // edgewatch_accuracy{...}, edgewatch_model_metric{metric="mae",...}, ...
 * ```
 */
export class PerformanceMonitor {
  private readonly o: ResolvedMonitorOptions;
  private mode: Mode | undefined;
  private labelType: string | undefined;
  private readonly ring = new SampleRing<Sample>();
  private readonly regression = new RegressionStats();
  private readonly confusion = new ConfusionStats();
  private readonly probability: ProbabilityStats;
  private readonly pending: PendingLabels;
  private numericMatches = 0;
  private droppedCount = 0;
  private sinceRebuild = 0;
  private usedDelayed = false;
  private closed = false;
  private readonly link: MonitorLink | undefined;

  /**
   * @param options - windowSize (default 100), windowMs, task (default
   *   'auto'), baseline, now, positiveLabel, negativeLabel, threshold,
   *   calibrationBins, labelTtlMs, maxPendingLabels (see `PerformanceMonitorOptions`);
   *   `registry` and `labels` (see `MonitorMetricsOptions`) to publish
   *   `edgewatch_accuracy`, `edgewatch_model_metric{metric}`,
   *   `edgewatch_degradation_ratio{metric}` and `edgewatch_values_dropped_total{reason}`
   *   (`performance`, `label_expired`, `label_unmatched`), computed at scrape time.
   * @throws {@link ConfigError} on structural misuse: windowSize <= 0 or not an
   *   integer, an unknown task, a baseline metric that does not exist, a bad
   *   registry, labels another PerformanceMonitor uses in the same registry, …
   */
  constructor(options: PerformanceMonitorOptions & MonitorMetricsOptions = {}) {
    this.o = resolveMonitorOptions(options);
    if (this.o.task !== 'auto') this.mode = this.o.task;
    this.probability = new ProbabilityStats(this.o.calibrationBins);
    this.pending = new PendingLabels(this.o.labelTtlMs, this.o.maxPendingLabels);
    this.link = linkMonitor(options, 'PerformanceMonitor', this, (e, l) =>
      e.addPerformance(this, l),
    );
  }

  /** Samples in the window now. */
  get numSamples(): number {
    this.assertOpen();
    this.evictByTime(this.o.now());
    return this.ring.length;
  }

  /** Samples dropped since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Adds one (prediction, actual) pair. Never throws for bad data (it is
   * dropped and counted); throws `ConfigError` code `CLOSED` after `close()`.
   *
   * @param pred - prediction: a number (regression, or a probability for
   *   binary), a label (classification), a boolean.
   * @param actual - the ground truth.
   * @returns whether the sample was accepted (false = dropped and counted).
   */
  update(pred: unknown, actual: unknown): boolean {
    this.assertOpen();
    const now = this.o.now();
    const s = this.toSample(pred, actual, now);
    if (s === undefined) {
      this.droppedCount++;
      return false;
    }
    this.ring.push(s);
    this.addStats(s);
    while (this.ring.length > this.o.windowSize) this.evictOldest();
    this.evictByTime(now);
    return true;
  }

  /**
   * Records a prediction whose label will arrive later (`recordLabel`). It
   * expires after `labelTtlMs` or when `maxPendingLabels` are waiting (counted
   * in `expiredLabels`). A second prediction with the same id replaces the first.
   *
   * @param id - a string or finite number identifying the prediction.
   * @param pred - the prediction.
   * @returns false (and counts a drop) when the id or prediction is malformed.
   */
  recordPrediction(id: PredictionId, pred: unknown): boolean {
    this.assertOpen();
    this.usedDelayed = true;
    if (!isId(id) || !isLabel(pred)) {
      this.droppedCount++;
      return false;
    }
    this.pending.put(id, pred, this.o.now());
    return true;
  }

  /**
   * Supplies the label of a recorded prediction and adds the pair to the
   * window (at the label's arrival time).
   *
   * @param id - the id given to `recordPrediction`.
   * @param actual - the ground truth.
   * @returns whether a pair was added (false: unknown/expired id, counted in
   *   `unmatchedLabels`, or a dropped sample).
   */
  recordLabel(id: PredictionId, actual: unknown): boolean {
    this.assertOpen();
    this.usedDelayed = true;
    if (!isId(id)) {
      this.droppedCount++;
      return false;
    }
    const pred = this.pending.take(id, this.o.now());
    return pred === undefined ? false : this.update(pred, actual);
  }

  /**
   * The metrics of the current window (see `PerformanceMetrics`): only the
   * fields of the task, NaN where undefined; `degradation` when a baseline was given.
   *
   * @returns a fresh object.
   */
  getMetrics(): PerformanceMetrics {
    this.assertOpen();
    const now = this.o.now();
    this.evictByTime(now);
    const out: PerformanceMetrics = { numSamples: this.ring.length, dropped: this.droppedCount };
    const mode = this.mode;
    if (mode === 'numeric' || mode === 'regression') {
      // A sample far from the rest left the window: the shifted sums cancel badly, so
      // recompute them from the window (O(n), only when it matters).
      if (this.regression.illConditioned()) this.regression.rebuild(this.ring);
      Object.assign(out, this.regression.metrics());
      if (mode === 'numeric')
        out.accuracy = this.ring.length === 0 ? NaN : this.numericMatches / this.ring.length;
    } else if (mode === 'binary') {
      const c = this.confusion.metrics([0, 1]);
      const pos = this.confusion.classMetrics(1);
      Object.assign(out, c, { precision: pos.precision, recall: pos.recall, f1: pos.f1 });
      if (this.ring.length === 0) Object.assign(out, { precision: NaN, recall: NaN, f1: NaN });
      Object.assign(out, this.probability.metrics());
    } else if (mode === 'multiclass') {
      const c = this.confusion.metrics();
      Object.assign(out, c, { precision: c.macroPrecision, recall: c.macroRecall, f1: c.macroF1 });
    }
    if (this.o.baseline !== undefined) {
      const deg: Record<string, number> = {};
      const values = out as Record<string, unknown>;
      for (const [k, b] of Object.entries(this.o.baseline)) {
        const v = values[k];
        deg[k] = typeof v === 'number' ? relativeDegradation(k, v, b) : NaN;
      }
      out.degradation = deg;
    }
    if (this.usedDelayed) {
      this.pending.expire(now);
      out.pendingLabels = this.pending.size;
      out.expiredLabels = this.pending.expired;
      out.unmatchedLabels = this.pending.unmatched;
    }
    return out;
  }

  /** Empties the window, the waiting predictions and the counters; `'auto'` decides again. */
  reset(): void {
    this.assertOpen();
    this.clearAll();
  }

  /**
   * Frees the window and, with `registry`, its labels (a new monitor may take
   * them) and series. Idempotent; every other method then throws
   * `ConfigError` code `CLOSED`.
   *
   * @returns when released.
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.link?.unlink();
    this.clearAll();
    return Promise.resolve();
  }

  /** `await using monitor = new PerformanceMonitor(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError('PerformanceMonitor');
  }

  private clearAll(): void {
    this.ring.clear();
    this.regression.clear();
    this.confusion.clear();
    this.probability.clear();
    this.pending.clear();
    this.numericMatches = 0;
    this.droppedCount = 0;
    this.sinceRebuild = 0;
    this.usedDelayed = false;
    this.mode = this.o.task === 'auto' ? undefined : this.o.task;
    this.labelType = undefined;
  }

  private toSample(pred: unknown, actual: unknown, t: number): Sample | undefined {
    let mode = this.mode;
    if (mode === undefined) {
      if (typeof pred === 'number' && typeof actual === 'number') mode = 'numeric';
      else if (isLabel(pred) && isLabel(actual) && typeof pred === typeof actual)
        mode = 'multiclass';
      else return undefined;
    }
    const s: Sample = { t, p: NaN, y: NaN, hp: 0, hy: 0, prob: NaN, y01: 0 };
    if (mode === 'numeric' || mode === 'regression') {
      if (!isFiniteNumber(pred) || !isFiniteNumber(actual)) return undefined;
      s.p = pred;
      s.y = actual;
    } else if (mode === 'binary') {
      const prob = this.o.binary.probability(pred);
      const y01 = this.o.binary.label(actual);
      if (prob === undefined || y01 === undefined) return undefined;
      s.prob = prob;
      s.y01 = y01;
      s.hp = prob >= this.o.threshold ? 1 : 0;
      s.hy = y01;
    } else {
      if (!isLabel(pred) || !isLabel(actual) || typeof pred !== typeof actual) return undefined;
      if (this.labelType !== undefined && typeof actual !== this.labelType) return undefined;
      this.labelType = typeof actual;
      s.hp = pred;
      s.hy = actual;
    }
    this.mode = mode;
    return s;
  }

  private addStats(s: Sample): void {
    const mode = this.mode;
    if (mode === 'numeric' || mode === 'regression') {
      this.regression.add(s.p, s.y);
      if (s.p === s.y) this.numericMatches++;
    } else {
      this.confusion.add(s.hp, s.hy);
      if (mode === 'binary') this.probability.add(s.prob, s.y01);
    }
  }

  private evictOldest(): void {
    const s = this.ring.shift();
    if (s === undefined) return;
    const mode = this.mode;
    if (mode === 'numeric' || mode === 'regression') {
      this.regression.remove(s.p, s.y);
      if (s.p === s.y) this.numericMatches--;
    } else {
      this.confusion.remove(s.hp, s.hy);
      if (mode === 'binary') this.probability.remove(s.prob, s.y01);
    }
    // Refresh the floating sums once per window turnover: amortised O(1).
    if (++this.sinceRebuild >= Math.max(16, this.ring.length)) {
      this.sinceRebuild = 0;
      if (mode === 'numeric' || mode === 'regression') this.regression.rebuild(this.ring);
      else if (mode === 'binary') this.probability.rebuild(this.ring);
    }
  }

  private evictByTime(now: number): void {
    if (this.o.windowMs === Infinity) return;
    for (
      let s = this.ring.peek();
      s !== undefined && now - s.t >= this.o.windowMs;
      s = this.ring.peek()
    ) {
      this.evictOldest();
    }
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_MAGNITUDE;
}

function isId(v: unknown): v is PredictionId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}
