/**
 * Latency percentiles from a relative-error quantile sketch in the kernels.
 *
 * `record()` only stages the value on the calling thread (a typed-array write);
 * batches move to the engine, where the exponential-bucket sketch lives. Every
 * estimate is within the sketch's relative error of the exact sorted quantile
 * ((b−1)/(b+1) with b = 2^(2^−scale): 0.27% at the default scale 7).
 */
import { ConfigError, closedError, describeValue } from '../errors.js';
import type { EngineHandle } from '../engine/client.js';
import { StagedSketch, checkMonitorOptions } from '../engine/staged-sketch.js';
import { linkMonitor } from './monitor-link.js';
import type { MonitorLink, MonitorMetricsOptions } from './monitor-link.js';

/** Options of {@link LatencyTracker}. */
export interface LatencyTrackerOptions extends MonitorMetricsOptions {
  /** Engine to use (default: the shared default engine, started on first use). */
  readonly engine?: EngineHandle;
  /** Sketch scale (default 7: relative error 0.27%; 6: 0.54%). */
  readonly scale?: number;
  /** A name for snapshots and exports (default `'latency'`). */
  readonly name?: string;
  /** Receives background failures (a batch the engine refused); those values count as dropped. */
  readonly onError?: (error: Error) => void;
  // `registry`, `labels` (MonitorMetricsOptions): publish `edgewatch_prediction_latency_seconds`
  // (a classic histogram in seconds, read from the sketch at scrape time) and the drops.
}

/** What {@link LatencyTracker.percentiles} returns. Statistics are NaN while `count` is 0. */
export interface LatencyPercentiles {
  /** Median (relative error ≤ the sketch's bound, 0.27 % at scale 7). */
  p50: number;
  /** 95th percentile. */
  p95: number;
  /** 99th percentile. */
  p99: number;
  /** 99.9th percentile. */
  p999: number;
  /** Values in the sketch. */
  count: number;
  /** Exact smallest value recorded. */
  min: number;
  /** Exact largest value recorded. */
  max: number;
  /** Exact mean (sum / count). */
  mean: number;
  /** Values refused: NaN, ±Infinity, negative, above `Number.MAX_SAFE_INTEGER`, not a number, or lost in the engine. */
  dropped: number;
}

/** What {@link LatencyTracker.snapshot} returns. */
export interface LatencySnapshot {
  /** The tracker's metric name. */
  readonly name: string;
  /** The sketch's scale (bucket resolution). */
  readonly scale: number;
  /** `Date.now()` when taken. */
  readonly takenAt: number;
  /** The percentiles at that moment. */
  readonly percentiles: LatencyPercentiles;
  /** The sketch's compact byte form (mergeable; `decodeSketch` reads it). */
  readonly sketch: Uint8Array;
}

const LEVELS = [0.5, 0.95, 0.99, 0.999];

/**
 * The largest latency accepted: 2^53 − 1 (285 000 years in ms). Past it
 * integers stop being exact, and a sum of such values overflows to Infinity
 * and takes the mean with it (the sketch's sum is one float64); larger values
 * are refused and counted like NaN.
 */
export const MAX_LATENCY = Number.MAX_SAFE_INTEGER;

/**
 * Tracks latencies (any non-negative unit; milliseconds by convention).
 *
 * With `registry`, each scrape reads the sketch (one engine round trip) and
 * exports `edgewatch_prediction_latency_seconds` (classic buckets in seconds,
 * exact at the power-of-two millisecond boundaries) and
 * `edgewatch_values_dropped_total{reason="latency"}`; `record()` costs the same.
 *
 * @example
 * const latency = new LatencyTracker();
 * latency.record(12.5);
 * const { p50, p99 } = await latency.percentiles();
 *
 * const published = new LatencyTracker({ registry, labels: { model: 'perception', device: 'robot-7' } });
 * await registry.metrics(); // edgewatch_prediction_latency_seconds_bucket{model="perception",...}
 */
export class LatencyTracker {
  /** Name used in snapshots. */
  readonly name: string;
  /** Sketch scale. */
  readonly scale: number;
  private readonly stage: StagedSketch;
  private refused = 0;
  private closed = false;
  private readonly link: MonitorLink | undefined;

  /**
   * @param options - engine, scale, name, onError, registry, labels.
   * @throws ConfigError on a bad option ("expected …, got …"), including labels
   *   another LatencyTracker already uses in the same registry.
   */
  constructor(options: LatencyTrackerOptions = {}) {
    const { name, scale, engine } = checkMonitorOptions(options, 'latency');
    this.name = name;
    this.scale = scale;
    // Registered before the sketch exists, so a refused option leaks nothing; scrapes come later.
    this.link = linkMonitor(options, 'LatencyTracker', this, (e, l) => e.addLatency(this, l));
    this.stage = new StagedSketch({
      engine,
      scale: this.scale,
      onError: options.onError,
    });
  }

  /** Values refused so far (invalid or lost in the engine). Synchronous. */
  get dropped(): number {
    return this.refused + this.stage.lost;
  }

  /**
   * Records one latency. Synchronous and O(1): a typed-array write; never throws.
   * NaN, ±Infinity, negatives, values above `Number.MAX_SAFE_INTEGER` and non-numbers
   * are dropped and counted.
   *
   * @param latency - the latency (ms by convention).
   * @example
   * latency.record(performance.now() - t0);
   */
  record(latency: number): void {
    if (typeof latency === 'number' && latency >= 0 && latency <= MAX_LATENCY && !this.closed) {
      this.stage.push(latency);
    } else {
      this.refused++;
    }
  }

  /**
   * Records a batch (e.g. one per item of a batched inference step). O(n) copy
   * into the staging buffer; invalid values are dropped and counted. A
   * Float64Array is validated and copied in one pass, whole staging buffers at
   * a time; other arrays go value by value through {@link record}.
   *
   * @param latencies - the batch (not modified).
   * @example
   * latency.recordMany(new Float64Array([3.1, 2.9, 4.2]));
   */
  recordMany(latencies: Float64Array | Float32Array | readonly number[]): void {
    if (
      this.closed ||
      latencies === null ||
      typeof latencies !== 'object' ||
      typeof latencies.length !== 'number'
    ) {
      this.refused +=
        latencies !== null && typeof latencies === 'object' && typeof latencies.length === 'number'
          ? latencies.length
          : 1;
      return;
    }
    if (latencies instanceof Float64Array) {
      this.refused += this.stage.pushValid(latencies, MAX_LATENCY);
      return;
    }
    for (let i = 0; i < latencies.length; i++) this.record(latencies[i] as number);
  }

  /**
   * Times `fn` with `performance.now()` and records the elapsed milliseconds
   * (when it settles, for a Promise). The result or error passes through.
   *
   * @param fn - the work to time.
   * @returns what `fn` returns.
   * @example
   * const out = await latency.time(() => model.predict(x));
   */
  time<T>(fn: () => T): T {
    const t0 = performance.now();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.record(performance.now() - t0);
      throw error;
    }
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as { then?: unknown }).then === 'function'
    ) {
      return (result as unknown as Promise<unknown>).finally(() =>
        this.record(performance.now() - t0),
      ) as T;
    }
    this.record(performance.now() - t0);
    return result;
  }

  /**
   * p50, p95, p99, p99.9, count, exact min/max/mean, and dropped. Sees every
   * value recorded before the call.
   *
   * @returns the percentiles (NaN statistics while empty).
   * @throws KernelError when the engine fails or was closed.
   * @example
   * const { p95 } = await latency.percentiles();
   */
  async percentiles(): Promise<LatencyPercentiles> {
    this.assertOpen();
    const { stats, quantiles } = await this.stage.summary(LEVELS);
    const empty = stats.count === 0;
    return {
      p50: empty ? NaN : (quantiles[0] as number),
      p95: empty ? NaN : (quantiles[1] as number),
      p99: empty ? NaN : (quantiles[2] as number),
      p999: empty ? NaN : (quantiles[3] as number),
      count: stats.count,
      min: empty ? NaN : stats.min,
      max: empty ? NaN : stats.max,
      mean: empty ? NaN : stats.sum / stats.count,
      dropped: this.dropped,
    };
  }

  /**
   * One quantile.
   *
   * @param q - level in [0, 1].
   * @returns the estimate (NaN while empty).
   * @throws ConfigError when q is outside [0, 1]; KernelError when the engine fails.
   * @example
   * await latency.quantile(0.9);
   */
  async quantile(q: number): Promise<number> {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new ConfigError(`expected q in [0, 1], got ${describeValue(q)}`);
    }
    this.assertOpen();
    const values = await this.stage.query(({ engine, id }) =>
      engine.api.sketches.quantiles(id, [q]),
    );
    return values[0] as number;
  }

  /**
   * Percentiles plus the serialized sketch (for storage, export and merging).
   *
   * @returns the snapshot.
   * @throws KernelError when the engine fails.
   * @example
   * const { sketch } = await latency.snapshot();
   */
  async snapshot(): Promise<LatencySnapshot> {
    this.assertOpen();
    const percentiles = this.percentiles();
    const sketch = this.stage.query(({ engine, id }) => engine.api.sketches.serialize(id));
    return {
      name: this.name,
      scale: this.scale,
      takenAt: Date.now(),
      percentiles: await percentiles,
      sketch: await sketch,
    };
  }

  /**
   * Waits until every value recorded so far is in the engine's sketch.
   *
   * @returns when done (background failures go to onError and `dropped`).
   */
  flush(): Promise<void> {
    return this.stage.flush();
  }

  /**
   * Empties the tracker (staged values, sketch and the dropped count).
   *
   * @returns when the engine has reset the sketch.
   */
  async reset(): Promise<void> {
    this.refused = 0;
    await this.stage.reset();
  }

  /**
   * Frees the sketch; later `record()` calls are dropped. Idempotent. With
   * `registry`, its series leave the exposition.
   *
   * @returns when freed.
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.link?.unlink();
    return this.stage.free();
  }

  /** `await using latency = new LatencyTracker(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError('LatencyTracker');
  }
}
