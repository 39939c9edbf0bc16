/**
 * Named numeric metrics: count, sum, min, max, mean, last and quantiles per name.
 *
 * `record(name, value)` stages the value on the calling thread (a map lookup and
 * a typed-array write); each name has its own sketch in the engine, which holds
 * the exact count/sum/min/max and the quantile buckets. `snapshot()` asks for
 * every name in one engine round trip.
 */
import { closedError } from '../errors.js';
import { optionalNumber } from '../util/options.js';
import type { EngineHandle } from '../engine/client.js';
import type { SketchSummary } from '../engine/sketch-service.js';
import { StagedSketch, checkMonitorOptions } from '../engine/staged-sketch.js';
import type { SketchContext } from '../engine/staged-sketch.js';
import { linkMonitor } from './monitor-link.js';
import type { MonitorLink, MonitorMetricsOptions } from './monitor-link.js';

/** Options of {@link MetricsCollector}. */
export interface MetricsCollectorOptions extends MonitorMetricsOptions {
  /** Engine to use (default: the shared default engine, started on first use). */
  readonly engine?: EngineHandle;
  /** Sketch scale of every metric (default 7: relative error 0.27%). */
  readonly scale?: number;
  /** A name for the collector (exports, logs); default `'metrics'`. */
  readonly name?: string;
  /** Most distinct metric names kept (default 1000); records for further names are dropped and counted. */
  readonly maxNames?: number;
  /** Receives background failures; the values involved count as dropped. */
  readonly onError?: (error: Error) => void;
}

/** One metric in a snapshot. Statistics are NaN while `count` is 0. */
export interface MetricSummary {
  /** Values recorded. */
  count: number;
  /** Their exact sum. */
  sum: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Exact mean (sum / count). */
  mean: number;
  /** The last value recorded (NaN before the first). */
  last: number;
  /** Median (from the sketch). */
  p50: number;
  /** 95th percentile (from the sketch). */
  p95: number;
  /** 99th percentile (from the sketch). */
  p99: number;
  /** Values refused for this name (NaN, ±Infinity, non-numbers, lost in the engine). */
  dropped: number;
}

/** `{ [metricName]: MetricSummary }`. */
export type MetricsSnapshot = Record<string, MetricSummary>;

interface Stream {
  readonly stage: StagedSketch;
  last: number;
  refused: number;
}

const LEVELS = [0.5, 0.95, 0.99];

/**
 * Collects named metrics.
 *
 * With `registry` (and `labels`), each scrape takes one `snapshot()` and exports
 * `edgewatch_recorded_value{metric}` (a summary per name: quantiles 0.5/0.95/0.99,
 * `_sum`, `_count`) and `edgewatch_values_dropped_total{reason="collector_value"|"collector_name"}`;
 * `record()` costs the same.
 *
 * @example
 * const collector = new MetricsCollector();
 * collector.record('predictions', 1);
 * (await collector.snapshot()).predictions.count // => 1
 *
 * new MetricsCollector({ registry, labels: { model: 'perception' } }).record('confidence', 0.93);
 * await registry.metrics(); // edgewatch_recorded_value{metric="confidence",quantile="0.5",...} 0.93…
 */
export class MetricsCollector {
  /** The collector's name. */
  readonly name: string;
  /** Sketch scale of every metric. */
  readonly scale: number;
  private readonly streams = new Map<string, Stream>();
  private readonly engine: EngineHandle | undefined;
  private readonly maxNames: number;
  private readonly onError: ((error: Error) => void) | undefined;
  private refusedNames = 0;
  private closed = false;
  private readonly link: MonitorLink | undefined;

  /**
   * @param options - engine, scale, name, maxNames, onError, registry, labels.
   * @throws ConfigError on a bad option ("expected …, got …"), including labels
   *   another MetricsCollector already uses in the same registry.
   */
  constructor(options: MetricsCollectorOptions = {}) {
    const { name, scale, engine } = checkMonitorOptions(options, 'metrics');
    this.name = name;
    this.scale = scale;
    this.engine = engine;
    this.maxNames = optionalNumber('maxNames', options.maxNames, 1000, {
      above: 0,
      integer: true,
    });
    this.onError = options.onError;
    this.link = linkMonitor(options, 'MetricsCollector', this, (e, l) => e.addCollector(this, l));
  }

  /**
   * Records a value for a metric. Synchronous, O(1), never throws: NaN,
   * ±Infinity and non-numbers are dropped and counted for the name; a bad name
   * (or one past `maxNames`) is counted in {@link droppedNames}.
   *
   * @param name - metric name (non-empty string).
   * @param value - a finite number (negatives and zero allowed).
   * @example
   * collector.record('confidence', 0.93);
   */
  record(name: string, value: number): void {
    const stream = this.streams.get(name) ?? this.open(name);
    if (stream === undefined) return;
    if (typeof value === 'number' && value - value === 0) {
      stream.stage.push(value);
      stream.last = value;
    } else {
      stream.refused++;
    }
  }

  /**
   * Records several values for one metric.
   *
   * @param name - metric name.
   * @param values - the values (not modified).
   * @example
   * collector.recordMany('confidence', scores);
   */
  recordMany(name: string, values: ArrayLike<number>): void {
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      this.refusedNames++;
      return;
    }
    for (let i = 0; i < values.length; i++) this.record(name, values[i] as number);
  }

  /** Records refused for a bad name, a closed collector, or past `maxNames`. */
  get droppedNames(): number {
    return this.refusedNames;
  }

  /**
   * Metric names seen so far, in first-seen order.
   *
   * @returns the names.
   */
  names(): string[] {
    return [...this.streams.keys()];
  }

  /**
   * Every metric's summary; sees every value recorded before the call.
   * One engine round trip for all names.
   *
   * @returns `{ name: { count, sum, min, max, mean, last, p50, p95, p99, dropped } }`.
   * @throws KernelError when the engine fails or was closed.
   * @example
   * const { predictions } = await collector.snapshot();
   */
  async snapshot(): Promise<MetricsSnapshot> {
    if (this.closed) throw closedError('MetricsCollector');
    const entries = [...this.streams.entries()];
    // Everything below up to the first await runs synchronously, so the engine
    // calls go out now, behind every value recorded before this call and ahead
    // of any recorded after it.
    for (const [, stream] of entries) stream.stage.ship();
    const contexts = entries.map(([, stream]) => stream.stage.immediateContext());
    const first = contexts[0];
    let pending: Promise<SketchSummary[]>;
    if (
      first !== undefined &&
      contexts.every((c) => c !== undefined && c.engine === first.engine)
    ) {
      // The common case: one call for every name.
      pending = first.engine.api.sketches.summaries(
        contexts.map((c) => (c as SketchContext).id),
        LEVELS,
      );
    } else {
      // Some sketch is still being created: queue one query per name, in order.
      pending = Promise.all(entries.map(([, stream]) => stream.stage.summary(LEVELS)));
    }
    const summaries = await pending;
    const out: MetricsSnapshot = {};
    entries.forEach(([name, stream], i) => {
      const { stats, quantiles } = summaries[i] as SketchSummary;
      const empty = stats.count === 0;
      out[name] = {
        count: stats.count,
        sum: stats.sum,
        min: empty ? NaN : stats.min,
        max: empty ? NaN : stats.max,
        mean: empty ? NaN : stats.sum / stats.count,
        last: stream.last,
        p50: empty ? NaN : (quantiles[0] as number),
        p95: empty ? NaN : (quantiles[1] as number),
        p99: empty ? NaN : (quantiles[2] as number),
        dropped: stream.refused + stream.stage.lost,
      };
    });
    return out;
  }

  /**
   * Waits until every value recorded so far is in the engine.
   *
   * @returns when done.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.stage.flush()));
  }

  /**
   * Forgets every metric (frees their sketches) and the drop counts.
   *
   * @returns when the engine has freed them.
   */
  async reset(): Promise<void> {
    const streams = [...this.streams.values()];
    this.streams.clear();
    this.refusedNames = 0;
    await Promise.all(streams.map((s) => s.stage.free()));
  }

  /**
   * Frees every sketch; later records are dropped. Idempotent. With `registry`,
   * its series leave the exposition.
   *
   * @returns when freed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.link?.unlink();
    await this.reset();
  }

  /** `await using collector = new MetricsCollector(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private open(name: string): Stream | undefined {
    if (
      this.closed ||
      typeof name !== 'string' ||
      name.length === 0 ||
      this.streams.size >= this.maxNames
    ) {
      this.refusedNames++;
      return undefined;
    }
    const stream: Stream = {
      stage: new StagedSketch({ engine: this.engine, scale: this.scale, onError: this.onError }),
      last: NaN,
      refused: 0,
    };
    this.streams.set(name, stream);
    return stream;
  }
}
