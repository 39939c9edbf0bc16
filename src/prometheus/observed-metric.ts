/**
 * The shared base of {@link Histogram} and {@link Summary}: metrics that
 * record observations. Both take a value or a label set and a value, time a
 * block in seconds, and hand out children bound to one label set; they differ
 * only in what one finite observation does to a series (`record`).
 */
import type { MetricFamily } from '../export/prom-model.js';
import { Metric } from './metric.js';
import type { LabelValues } from './metric.js';

/** A metric that records observations, bound to one label set (from `labels()`). */
export interface ObserverChild {
  /** Records one observation (NaN and ±Infinity are dropped and counted). */
  observe(value: number): void;
  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number;
}

/** What every series of an observed metric keeps besides its distribution. */
export interface ObservationTotals {
  /** Observations recorded (dropped ones excluded). */
  count: number;
  /** Their sum. */
  sum: number;
  /** When the series was created (Unix seconds), for OpenMetrics `_created`. */
  created: number;
}

/** Totals of a new series: nothing observed, created now. */
export function emptyTotals(): ObservationTotals {
  return { count: 0, sum: 0, created: Date.now() / 1000 };
}

/** Base class of the metrics that record observations. Not constructed directly. */
export abstract class ObservedMetric<
  L extends string,
  S extends ObservationTotals,
  F extends MetricFamily = MetricFamily,
> extends Metric<L, S, F> {
  /** Adds one finite observation to a series' distribution (count and sum are done). */
  protected abstract record(state: S, value: number): void;

  /** Records `value` into `state`, or counts it as dropped when it is NaN or ±Infinity. */
  protected observeInto(state: S, value: number): void {
    if (!this.accepts(value)) return;
    state.count++;
    state.sum += value;
    this.record(state, value);
  }

  /**
   * Records one observation.
   *
   * @param labelsOrValue - label values, or the value for a metric without labels.
   * @param value - the value when labels are given.
   * @throws ConfigError for a label set that does not match (values never throw).
   */
  observe(labelsOrValue: LabelValues<L> | number, value?: number): void {
    if (typeof labelsOrValue === 'object')
      this.observeInto(this.seriesFor(labelsOrValue), value as number);
    else this.observeInto(this.seriesFor(undefined), labelsOrValue);
  }

  /**
   * Starts a timer; the returned function observes the elapsed **seconds**.
   *
   * @param labels - label values (omit for a metric without labels).
   * @returns the stop function, returning the seconds observed.
   */
  startTimer(labels?: LabelValues<L>): () => number {
    return this.stopwatch(labels, (state, s) => this.observeInto(state, s));
  }

  /**
   * The metric for one label set.
   *
   * @param labels - an object of label values, or the values in `labelNames` order.
   * @returns a bound child.
   * @throws ConfigError when the label set does not match `labelNames`.
   */
  labels(...labels: [LabelValues<L>] | (string | number)[]): ObserverChild {
    const input = this.labelsFromArgs(labels);
    const state = this.bind(input);
    return {
      observe: (v) => this.observeInto(state(), v),
      startTimer: () => this.startTimer(input),
    };
  }
}
