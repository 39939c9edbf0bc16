/**
 * A Prometheus histogram (prom-client's shape): classic explicit buckets, or
 * backed by the exponential sketch and exported as classic buckets at the
 * chosen boundaries (exact at sketch bucket edges, see `prom-sketch.ts`) and
 * as an exact exponential layout for OTLP.
 */
import { ConfigError, DataError, describeValue } from '../errors.js';
import type {
  CumulativeBucket,
  HistogramPoint,
  Labels,
  HistogramFamily,
} from '../export/prom-model.js';
import type { Kernel } from '../kernel/kernel.js';
import { DEFAULT_SCALE } from '../kernel/kernel.js';
import { assertScale } from '../util/options.js';
import type { LabelValues, MetricConfig } from './metric.js';
import { ObservedMetric, emptyTotals } from './observed-metric.js';
import type { ObservationTotals, ObserverChild } from './observed-metric.js';
import { DEFAULT_BUCKETS, validateBuckets } from './prom-buckets.js';
import { SketchRecorder, classicFromSketch, createMetricKernel } from './prom-sketch.js';

/** Options of {@link Histogram}. */
export interface HistogramConfig<L extends string> extends MetricConfig<L> {
  /** Ascending finite boundaries (`+Inf` implied). Default: prom-client's, 0.005 to 10 (seconds). */
  buckets?: readonly number[];
  /**
   * Back the histogram by an exponential sketch (`true` = scale 7, 0.27% relative
   * error; or `{ scale }` in [-4, 10]). `buckets` then only chooses the exported boundaries.
   */
  sketch?:
    | boolean
    | {
        /** Sketch resolution, an integer in [-4, 10] (default 7); higher is finer. */
        scale?: number;
      };
  /** Runs at scrape time. */
  collect?: (this: Histogram<L>) => void | Promise<void>;
}

interface HistogramState extends ObservationTotals {
  /** Classic: per-bucket (non-cumulative) counts, last slot = above every boundary. */
  counts: Float64Array | undefined;
  /** Sketch mode: the recorder. */
  rec: SketchRecorder | undefined;
}

/** A histogram bound to one label set (from {@link Histogram.labels}). */
export type HistogramChild = ObserverChild;

/**
 * A histogram. `observe` never throws on values: NaN and ±Infinity are dropped
 * and counted (`droppedCounts()`), so `_sum` stays usable for `rate()`.
 *
 * @example
 * const h = new Histogram({ name: 'prediction_latency_seconds', help: 'Latency', buckets: [0.01, 0.1, 1], registry });
 * h.observe(0.012);
 * const s = new Histogram({ name: 'lat_seconds', help: 'Latency', sketch: { scale: 7 }, buckets: [0.125, 0.25, 0.5, 1], registry });
 */
export class Histogram<L extends string = string> extends ObservedMetric<
  L,
  HistogramState,
  HistogramFamily
> {
  /** Exported boundaries, ascending, without `+Inf`. */
  readonly buckets: readonly number[];
  /** Sketch scale, or undefined for a classic histogram. */
  readonly sketchScale: number | undefined;
  private kernel: Kernel | undefined;

  /**
   * @param config - name, help, labelNames, buckets, sketch, registry, collect, unit, maxSeries.
   * @throws ConfigError on invalid names, buckets, scale, or a duplicate registration.
   */
  constructor(config: HistogramConfig<L>) {
    super('histogram', config, ['le'], config?.collect as never);
    this.buckets = validateBuckets(config.buckets ?? DEFAULT_BUCKETS, config.name);
    const sk = config.sketch;
    if (sk === undefined || sk === false) this.sketchScale = undefined;
    else if (sk === true) this.sketchScale = DEFAULT_SCALE;
    else if (typeof sk === 'object' && sk !== null) {
      const scale = sk.scale ?? DEFAULT_SCALE;
      assertScale(scale);
      this.sketchScale = scale;
    } else
      throw new ConfigError(
        `expected sketch to be a boolean or { scale }, got ${describeValue(sk)}`,
      );
    this.ensureDefaultSeries();
    this.register(config);
  }

  /**
   * Records a batch (e.g. one batched inference step). O(n).
   *
   * @param labels - label values (`undefined` for a metric without labels).
   * @param values - the observations.
   */
  observeMany(labels: LabelValues<L> | undefined, values: ArrayLike<number>): void {
    const state = this.seriesFor(labels);
    for (let i = 0; i < values.length; i++) this.observeInto(state, values[i] as number);
  }

  /**
   * Creates the series of a label set at zero, so it is exposed before its first observation.
   *
   * @param labels - label values.
   */
  zero(labels: LabelValues<L>): void {
    this.seriesFor(labels);
  }

  /**
   * Replaces a classic series with counts aggregated elsewhere (e.g. a collector
   * that merged device sketches): cumulative counts per boundary, total count and sum.
   *
   * @param labels - label values (`undefined` for a metric without labels).
   * @param data - `cumulative` (one per boundary, non-decreasing, ≤ count), `count`, `sum`.
   * @throws ConfigError on a sketch-backed histogram; DataError on inconsistent counts.
   */
  setCumulative(
    labels: LabelValues<L> | undefined,
    data: { cumulative: ArrayLike<number>; count: number; sum: number },
  ): void {
    if (this.sketchScale !== undefined)
      throw new ConfigError(
        `expected a classic histogram for setCumulative, got sketch-backed "${this.name}"`,
      );
    const { cumulative, count, sum } = data;
    if (cumulative.length !== this.buckets.length) {
      throw new DataError(
        `expected ${this.buckets.length} cumulative counts for "${this.name}", got ${cumulative.length}`,
      );
    }
    let prev = 0;
    for (let i = 0; i < cumulative.length; i++) {
      const c = cumulative[i] as number;
      if (!(c >= prev) || !Number.isFinite(c))
        throw new DataError(
          `expected non-decreasing finite cumulative counts, got ${describeValue(c)} at index ${i}`,
        );
      prev = c;
    }
    if (!(count >= prev) || !Number.isFinite(count))
      throw new DataError(
        `expected count >= last cumulative count ${prev}, got ${describeValue(count)}`,
      );
    const state = this.seriesFor(labels);
    const counts = state.counts as Float64Array;
    // Label sets folded into the overflow series add up; any other series is replaced.
    const keep = this.isOverflow(state) ? 1 : 0;
    prev = 0;
    for (let i = 0; i < cumulative.length; i++) {
      counts[i] = keep * (counts[i] as number) + (cumulative[i] as number) - prev;
      prev = cumulative[i] as number;
    }
    counts[cumulative.length] = keep * (counts[cumulative.length] as number) + count - prev;
    state.count = keep * state.count + count;
    state.sum = keep * state.sum + sum;
  }

  protected record(state: HistogramState, value: number): void {
    if (state.rec) {
      state.rec.record(value);
      return;
    }
    const b = this.buckets;
    // First boundary >= value (le is inclusive); binary search.
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((b[mid] as number) >= value) hi = mid;
      else lo = mid + 1;
    }
    const counts = state.counts as Float64Array;
    counts[lo] = (counts[lo] as number) + 1;
  }

  protected createState(): HistogramState {
    if (this.sketchScale === undefined)
      return {
        ...emptyTotals(),
        counts: new Float64Array(this.buckets.length + 1),
        rec: undefined,
      };
    this.kernel ??= createMetricKernel();
    const rec = new SketchRecorder(this.kernel, this.kernel.sketchCreate(this.sketchScale));
    return { ...emptyTotals(), counts: undefined, rec };
  }

  protected override disposeState(state: HistogramState): void {
    state.rec?.free();
  }

  protected snapshotFrom(
    series: Iterable<{ labels: Labels; state: HistogramState }>,
  ): HistogramFamily {
    const points: HistogramPoint[] = [];
    for (const { labels, state } of series) points.push(this.point(labels, state));
    return this.family(points);
  }

  private point(labels: Labels, state: HistogramState): HistogramPoint {
    const bounds = this.buckets;
    const buckets: CumulativeBucket[] = [];
    if (state.rec) {
      const { kernel, handle } = state.rec;
      state.rec.flush();
      const exp = kernel.sketchBuckets(handle);
      const stats = kernel.sketchStats(handle);
      const cum = classicFromSketch(exp, bounds);
      for (let i = 0; i < bounds.length; i++)
        buckets.push({ le: bounds[i] as number, count: cum[i] as number });
      buckets.push({ le: Infinity, count: state.count });
      const extra = stats.count > 0 ? { min: stats.min, max: stats.max } : {};
      return {
        labels,
        count: state.count,
        sum: state.sum,
        buckets,
        created: state.created,
        exponential: exp,
        ...extra,
      };
    }
    const counts = state.counts as Float64Array;
    let acc = 0;
    for (let i = 0; i < bounds.length; i++) {
      acc += counts[i] as number;
      buckets.push({ le: bounds[i] as number, count: acc });
    }
    buckets.push({ le: Infinity, count: state.count });
    return { labels, count: state.count, sum: state.sum, buckets, created: state.created };
  }
}
