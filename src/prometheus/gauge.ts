/**
 * A Prometheus gauge: a value that goes up and down (prom-client's shape).
 */
import type { GaugePoint, GaugeFamily } from '../export/prom-model.js';
import { Metric } from './metric.js';
import type { LabelValues, MetricConfig } from './metric.js';

/** Options of {@link Gauge}. */
export interface GaugeConfig<L extends string> extends MetricConfig<L> {
  /** Runs at scrape time; set the current value here (`this.set(...)`). */
  collect?: (this: Gauge<L>) => void | Promise<void>;
}

interface GaugeState {
  value: number;
}

/** A gauge bound to one label set (from {@link Gauge.labels}). */
export interface GaugeChild {
  /** Sets the value (NaN is dropped and counted). */
  set(value: number): void;
  /** Adds to the value (default 1). */
  inc(value?: number): void;
  /** Subtracts from the value (default 1). */
  dec(value?: number): void;
  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void;
  /** Starts a timer; the returned function sets the gauge to the elapsed seconds and returns them. */
  startTimer(): () => number;
}

/**
 * A gauge. `set`, `inc` and `dec` never throw on values: NaN is dropped and
 * counted (use `remove()` to publish "no value"); ±Infinity is a valid gauge value.
 *
 * @example
 * const g = new Gauge({ name: 'edgewatch_accuracy', help: 'Accuracy', labelNames: ['model'], registry,
 *   collect() { this.set({ model: 'perception' }, monitor.getMetrics().accuracy); } });
 */
export class Gauge<L extends string = string> extends Metric<L, GaugeState, GaugeFamily> {
  /**
   * @param config - name, help, labelNames, registry, collect, unit, maxSeries.
   * @throws ConfigError on an invalid name or label name, or a duplicate registration.
   */
  constructor(config: GaugeConfig<L>) {
    super('gauge', config, [], config?.collect as never);
    this.ensureDefaultSeries();
    this.register(config);
  }

  /**
   * Sets the value.
   *
   * @param labelsOrValue - label values, or the value for a metric without labels.
   * @param value - the value when labels are given.
   * @throws ConfigError for a label set that does not match.
   */
  set(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object')
      this.write(this.seriesFor(labelsOrValue), value as number, false);
    else this.write(this.seriesFor(undefined), labelsOrValue, false);
  }

  /**
   * Adds to the value (default 1).
   *
   * @throws ConfigError for a label set that does not match.
   */
  inc(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object')
      this.write(this.seriesFor(labelsOrValue), value ?? 1, true);
    else this.write(this.seriesFor(undefined), labelsOrValue ?? 1, true);
  }

  /**
   * Subtracts from the value (default 1).
   *
   * @throws ConfigError for a label set that does not match.
   */
  dec(labelsOrValue?: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object')
      this.write(this.seriesFor(labelsOrValue), -(value ?? 1), true);
    else this.write(this.seriesFor(undefined), -(labelsOrValue ?? 1), true);
  }

  /**
   * Sets the value to the current Unix time in seconds.
   *
   * @param labels - label values (omit for a metric without labels).
   */
  setToCurrentTime(labels?: LabelValues<L>): void {
    this.write(this.seriesFor(labels), Date.now() / 1000, false);
  }

  /**
   * Starts a timer; calling the returned function sets the gauge to the
   * elapsed seconds and returns them.
   *
   * @param labels - label values (omit for a metric without labels).
   * @returns the stop function.
   */
  startTimer(labels?: LabelValues<L>): () => number {
    return this.stopwatch(labels, (state, s) => this.write(state, s, false));
  }

  /**
   * The gauge for one label set.
   *
   * @param labels - an object of label values, or the values in `labelNames` order.
   * @returns a bound child.
   * @throws ConfigError when the label set does not match `labelNames`.
   */
  labels(...labels: [LabelValues<L>] | (string | number)[]): GaugeChild {
    const input = this.labelsFromArgs(labels);
    const state = this.bind(input);
    return {
      set: (v) => this.write(state(), v, false),
      inc: (v = 1) => this.write(state(), v, true),
      dec: (v = 1) => this.write(state(), -v, true),
      setToCurrentTime: () => this.setToCurrentTime(input),
      startTimer: () => this.startTimer(input),
    };
  }

  private write(state: GaugeState, value: number, add: boolean): void {
    if (!this.accepts(value, true)) return;
    state.value = add ? state.value + value : value;
  }

  protected createState(): GaugeState {
    return { value: 0 };
  }

  protected snapshotFrom(
    series: Iterable<{ labels: GaugePoint['labels']; state: GaugeState }>,
  ): GaugeFamily {
    const points: GaugePoint[] = [];
    for (const s of series) points.push({ labels: s.labels, value: s.state.value });
    return this.family(points);
  }
}
