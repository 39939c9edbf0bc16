/**
 * A Prometheus counter: a value that only goes up (prom-client's shape).
 */
import { DataError, describeValue } from '../errors.js';
import type { CounterPoint, CounterFamily } from '../export/prom-model.js';
import { Metric } from './metric.js';
import type { LabelValues, MetricConfig } from './metric.js';

/** Options of {@link Counter}. */
export interface CounterConfig<L extends string> extends MetricConfig<L> {
  /** Runs at scrape time before the value is read (publish current values here). */
  collect?: (this: Counter<L>) => void | Promise<void>;
}

interface CounterState {
  value: number;
  created: number;
}

/** A counter bound to one label set (from {@link Counter.labels}). */
export interface CounterChild {
  /** Adds `value` (default 1). */
  inc(value?: number): void;
}

/**
 * A monotonically increasing counter. The exposed sample is `<base>_total`
 * where `<base>` is the name without a trailing `_total`; OpenMetrics adds
 * `<base>_created`.
 *
 * Hot path: `inc` costs O(labels). NaN and ±Infinity increments are dropped and
 * counted (see `droppedCounts()`); a negative increment throws `DataError`
 * (a counter that goes down is a bug, not bad data from the field).
 *
 * @example
 * const c = new Counter({ name: 'predictions_total', help: 'Total predictions', labelNames: ['model'], registry });
 * c.labels({ model: 'perception' }).inc();
 * c.inc({ model: 'perception' }, 2);
 */
export class Counter<L extends string = string> extends Metric<L, CounterState, CounterFamily> {
  /**
   * @param config - name, help, labelNames, registry, collect, unit, maxSeries.
   * @throws ConfigError on an invalid name or label name, or a duplicate registration.
   */
  constructor(config: CounterConfig<L>) {
    super('counter', config, [], config?.collect as never);
    this.ensureDefaultSeries();
    this.register(config);
  }

  /**
   * Increments the counter.
   *
   * @param labelsOrValue - label values, or the increment for a metric without labels.
   * @param value - increment (default 1), ≥ 0.
   * @throws DataError for a negative increment; ConfigError for a label set that does not match.
   */
  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object') this.add(this.seriesFor(labelsOrValue), value ?? 1);
    else this.add(this.seriesFor(undefined), labelsOrValue ?? 1);
  }

  /**
   * The counter for one label set.
   *
   * @param labels - an object of label values, or the values in `labelNames` order.
   * @returns a child whose `inc` skips the label lookup's validation cost on reuse.
   * @throws ConfigError when the label set does not match `labelNames`.
   */
  labels(...labels: [LabelValues<L>] | (string | number)[]): CounterChild {
    const input = this.labelsFromArgs(labels);
    const state = this.bind(input);
    return { inc: (value = 1) => this.add(state(), value) };
  }

  private add(state: CounterState, value: number): void {
    if (!this.accepts(value)) return;
    if (value < 0)
      throw new DataError(
        `expected a non-negative counter increment for "${this.name}", got ${describeValue(value)}`,
      );
    state.value += value;
  }

  protected createState(): CounterState {
    return { value: 0, created: Date.now() / 1000 };
  }

  protected snapshotFrom(
    series: Iterable<{ labels: CounterPoint['labels']; state: CounterState }>,
  ): CounterFamily {
    const points: CounterPoint[] = [];
    for (const s of series)
      points.push({ labels: s.labels, value: s.state.value, created: s.state.created });
    return this.family(points);
  }
}
