/**
 * A Prometheus summary (prom-client's shape) whose quantiles come from the
 * exponential sketch: relative error at most `(base − 1)/(base + 1)` per
 * quantile (0.27% at the default scale 7), constant memory per series, and an
 * optional sliding window (`maxAgeSeconds`, `ageBuckets`) as in prom-client.
 */
import { ConfigError, describeValue } from '../errors.js';
import { assertScale } from '../util/options.js';
import { numberOption, optionalNumber } from '../util/options.js';
import type { Labels, SummaryPoint, SummaryFamily } from '../export/prom-model.js';
import type { Kernel } from '../kernel/kernel.js';
import { DEFAULT_SCALE } from '../kernel/kernel.js';
import type { MetricConfig } from './metric.js';
import { ObservedMetric, emptyTotals } from './observed-metric.js';
import type { ObservationTotals, ObserverChild } from './observed-metric.js';
import { SketchRecorder, createMetricKernel } from './prom-sketch.js';

/** prom-client's default quantiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([
  0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999,
]);

/** Options of {@link Summary}. */
export interface SummaryConfig<L extends string> extends MetricConfig<L> {
  /** Quantiles in [0, 1], strictly ascending. Default: prom-client's, `[0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]`. */
  percentiles?: readonly number[];
  /** Sketch scale in [-4, 10] (default 7). */
  scale?: number;
  /** Sliding window length; quantiles cover only the last `maxAgeSeconds` (count and sum stay cumulative). */
  maxAgeSeconds?: number;
  /** Sub-windows the sliding window rotates through (default 5). */
  ageBuckets?: number;
  /** Clock in milliseconds (default `Date.now`); injectable for tests. */
  now?: () => number;
  /** Runs at scrape time. */
  collect?: (this: Summary<L>) => void | Promise<void>;
}

interface SummaryState extends ObservationTotals {
  /** One recorder per age bucket (one when there is no window). */
  ring: SketchRecorder[];
  /** Index of the age bucket receiving values. */
  head: number;
  /** When the head bucket started (ms). */
  rotatedAt: number;
}

/** A summary bound to one label set (from {@link Summary.labels}). */
export type SummaryChild = ObserverChild;

/**
 * A summary. `observe` never throws on values: NaN and ±Infinity are dropped
 * and counted. Quantiles of an empty window are NaN (as Prometheus' Go client).
 *
 * @example
 * const s = new Summary({ name: 'latency_seconds', help: 'Latency', percentiles: [0.5, 0.99], maxAgeSeconds: 600, registry });
 * s.observe(0.012);
 */
export class Summary<L extends string = string> extends ObservedMetric<
  L,
  SummaryState,
  SummaryFamily
> {
  /** Exported quantiles. */
  readonly percentiles: readonly number[];
  /** Sketch scale. */
  readonly scale: number;
  private readonly windowMs: number | undefined;
  private readonly ageBuckets: number;
  private readonly now: () => number;
  private readonly kernel: Kernel;
  private readonly qs: Float64Array;

  /**
   * @param config - name, help, labelNames, percentiles, scale, maxAgeSeconds, ageBuckets, registry, collect.
   * @throws ConfigError on invalid names, quantiles, scale or window, or a duplicate registration.
   */
  constructor(config: SummaryConfig<L>) {
    super('summary', config, ['quantile'], config?.collect as never);
    const ps = config.percentiles ?? DEFAULT_PERCENTILES;
    if (!Array.isArray(ps))
      throw new ConfigError(`expected percentiles to be an array, got ${describeValue(ps)}`);
    ps.forEach((q: unknown, i) => {
      if (typeof q !== 'number' || !(q >= 0 && q <= 1))
        throw new ConfigError(`expected percentiles in [0, 1], got ${describeValue(q)}`);
      if (i > 0 && !(q > (ps[i - 1] as number)))
        throw new ConfigError(
          `expected strictly ascending percentiles, got ${q} after ${ps[i - 1]}`,
        );
    });
    this.percentiles = Object.freeze([...ps]);
    this.qs = Float64Array.from(ps);
    const scale = config.scale ?? DEFAULT_SCALE;
    assertScale(scale);
    this.scale = scale;
    const { maxAgeSeconds } = config;
    if (maxAgeSeconds !== undefined) numberOption('maxAgeSeconds', maxAgeSeconds, { above: 0 });
    const ageBuckets = optionalNumber('ageBuckets', config.ageBuckets, 5, {
      above: 0,
      integer: true,
    });
    this.windowMs = maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1000;
    this.ageBuckets = maxAgeSeconds === undefined ? 1 : ageBuckets;
    this.now = config.now ?? Date.now;
    this.kernel = createMetricKernel();
    this.ensureDefaultSeries();
    this.register(config);
  }

  protected record(state: SummaryState, value: number): void {
    this.rotate(state);
    (state.ring[state.head] as SketchRecorder).record(value);
  }

  /** Advances the ring past every sub-window that has ended, emptying what it enters. */
  private rotate(state: SummaryState): void {
    if (this.windowMs === undefined) return;
    const step = this.windowMs / this.ageBuckets;
    const now = this.now();
    let turns = 0;
    while (now - state.rotatedAt >= step && turns < this.ageBuckets) {
      state.head = (state.head + 1) % this.ageBuckets;
      (state.ring[state.head] as SketchRecorder).reset();
      state.rotatedAt += step;
      turns++;
    }
    if (now - state.rotatedAt >= step) state.rotatedAt = now - ((now - state.rotatedAt) % step);
  }

  protected createState(): SummaryState {
    const ring: SketchRecorder[] = [];
    for (let i = 0; i < this.ageBuckets; i++)
      ring.push(new SketchRecorder(this.kernel, this.kernel.sketchCreate(this.scale)));
    return { ...emptyTotals(), ring, head: 0, rotatedAt: this.now() };
  }

  protected override disposeState(state: SummaryState): void {
    for (const r of state.ring) r.free();
  }

  protected snapshotFrom(series: Iterable<{ labels: Labels; state: SummaryState }>): SummaryFamily {
    const points: SummaryPoint[] = [];
    for (const { labels, state } of series) {
      this.rotate(state);
      let values: Float64Array;
      if (state.ring.length === 1) {
        const r = state.ring[0] as SketchRecorder;
        r.flush();
        values = this.kernel.sketchQuantiles(r.handle, this.qs);
      } else {
        const merged = this.kernel.sketchCreate(this.scale);
        for (const r of state.ring) {
          r.flush();
          this.kernel.sketchMerge(merged, r.handle);
        }
        values = this.kernel.sketchQuantiles(merged, this.qs);
        this.kernel.sketchFree(merged);
      }
      const quantiles = this.percentiles.map((quantile, i) => ({
        quantile,
        value: values[i] as number,
      }));
      points.push({
        labels,
        count: state.count,
        sum: state.sum,
        quantiles,
        created: state.created,
      });
    }
    return this.family(points);
  }
}
