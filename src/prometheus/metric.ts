/**
 * The shared base of {@link Counter}, {@link Gauge}, {@link Histogram} and
 * {@link Summary}: name and label validation, series by label set with a
 * cardinality cap (overflow folded into one counted series), drop counts, the
 * scrape-time `collect` callback, and registration.
 */
import { ConfigError } from '../errors.js';
import type { Labels, MetricFamily, MetricType } from '../export/prom-model.js';
import { defaultRegistry } from './registry.js';
import { labelSetKey } from './label-key.js';
import { OVERFLOW_LABEL_VALUE, validateMetricConfig } from './metric-config.js';
import type { LabelValues, MetricConfig } from './metric-config.js';

export { DEFAULT_MAX_SERIES, OVERFLOW_LABEL_VALUE } from './metric-config.js';
export type { LabelValues, MetricConfig } from './metric-config.js';

interface Series<S> {
  readonly labels: Labels;
  readonly state: S;
}

const OVERFLOW_KEY = '\u0000overflow';

/** Base class of the Prometheus metric types. Not constructed directly. */
export abstract class Metric<L extends string, S, F extends MetricFamily = MetricFamily> {
  /** Metric name as configured. */
  readonly name: string;
  /** Help text. */
  readonly help: string;
  /** Label names, in order. */
  readonly labelNames: readonly L[];
  /** OpenMetrics unit, if any. */
  readonly unit: string | undefined;
  /** Series cap. */
  readonly maxSeries: number;
  /** Metric type. */
  readonly type: MetricType;

  /** Series by label-set key. */
  protected readonly series = new Map<string, Series<S>>();
  private readonly drops = new Map<string, number>();
  private overflowed = 0;
  /** Bumped whenever series are dropped, so bound children re-resolve their state. */
  private generation = 0;
  private readonly collectFn: ((this: never) => void | Promise<void>) | undefined;
  private readonly labelSet: ReadonlySet<string>;

  /**
   * @param type - metric type.
   * @param config - common options.
   * @param reserved - label names this type reserves (`le`, `quantile`).
   * @param collect - scrape-time callback.
   * @throws ConfigError on an invalid name, label name, unit, cap or registry.
   */
  protected constructor(
    type: MetricType,
    config: MetricConfig<L>,
    reserved: readonly string[],
    collect: ((this: never) => void | Promise<void>) | undefined,
  ) {
    const v = validateMetricConfig(type, config, reserved, collect);
    this.type = type;
    this.name = v.name;
    this.help = v.help;
    this.labelNames = v.labelNames;
    this.labelSet = v.labelSet;
    this.unit = v.unit;
    this.maxSeries = v.maxSeries;
    this.collectFn = collect;
  }

  /** Registers in the configured registries; called by subclasses once fully built. */
  protected register(config: MetricConfig<L>): void {
    const targets =
      config.registers ?? (config.registry === null ? [] : [config.registry ?? defaultRegistry]);
    for (const r of targets) r.registerMetric(this);
  }

  /** Creates the state of a new series. */
  protected abstract createState(): S;

  /** Builds the family snapshot from the series (after `collect`). */
  protected abstract snapshotFrom(series: Iterable<Series<S>>): F;

  /** Releases resources of a removed series (sketch handles). */
  protected disposeState(_state: S): void {}

  /** Creates the single series of a metric without labels, so it is exposed at 0. */
  protected ensureDefaultSeries(): void {
    if (this.labelNames.length === 0 && this.series.size === 0) this.seriesFor(undefined);
  }

  /**
   * The state for a label set, created on first use (or the overflow series
   * once {@link maxSeries} label sets exist).
   *
   * @throws ConfigError when the label set does not match `labelNames` exactly.
   */
  protected seriesFor(input: LabelValues<L> | undefined): S {
    const key = this.keyOf(input);
    const found = this.series.get(key);
    if (found) return found.state;
    if (
      key !== '' &&
      this.series.size - (this.series.has(OVERFLOW_KEY) ? 1 : 0) >= this.maxSeries
    ) {
      this.overflowed++;
      return this.getOrCreate(OVERFLOW_KEY, this.overflowLabels());
    }
    const labels: Record<string, string> = {};
    for (const l of this.labelNames) labels[l] = String((input as LabelValues<L>)[l]);
    return this.getOrCreate(key, Object.freeze(labels));
  }

  /** Validates a label set and returns its series key ('' without labels). */
  private keyOf(input: LabelValues<L> | undefined): string {
    return labelSetKey(this.name, this.labelNames, this.labelSet, input);
  }

  /**
   * A resolver for one label set, as children use it: validates once, caches
   * the series state and re-resolves only after `remove()`/`reset()`. O(1) per call.
   *
   * @throws ConfigError when the label set does not match `labelNames`.
   */
  protected bind(input: LabelValues<L>): () => S {
    const frozen = Object.freeze({ ...input });
    let gen = this.generation;
    let state = this.seriesFor(frozen);
    return () => {
      if (gen !== this.generation) {
        state = this.seriesFor(frozen);
        gen = this.generation;
      }
      return state;
    };
  }

  /** Whether `state` is the overflow series (where folded label sets accumulate). */
  protected isOverflow(state: S): boolean {
    return this.series.get(OVERFLOW_KEY)?.state === state;
  }

  /** Converts positional label values (prom-client's `labels('a', 'b')`) to an object. */
  protected labelsFromArgs(args: readonly unknown[]): LabelValues<L> {
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null)
      return args[0] as LabelValues<L>;
    if (args.length !== this.labelNames.length) {
      throw new ConfigError(
        `expected ${this.labelNames.length} label values ${JSON.stringify(this.labelNames)} for metric "${this.name}", got ${args.length}`,
      );
    }
    const out: Record<string, unknown> = {};
    this.labelNames.forEach((l, i) => (out[l] = args[i]));
    return out as LabelValues<L>;
  }

  /** Counts one dropped observation (`nan`, `non_finite`). Never throws. */
  protected drop(reason: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  /**
   * Whether a value may be recorded; a value that may not is counted as
   * dropped (`nan` for a non-number or NaN, `non_finite` for ±Infinity). Never throws.
   *
   * @param value - the value given.
   * @param infinite - whether ±Infinity is a valid value (a gauge's).
   */
  protected accepts(value: number, infinite = false): boolean {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      this.drop('nan');
      return false;
    }
    if (!infinite && !Number.isFinite(value)) {
      this.drop('non_finite');
      return false;
    }
    return true;
  }

  /**
   * A timer: the returned function hands the elapsed **seconds** to `write`
   * with the series of `labels`, and returns them.
   */
  protected stopwatch(
    labels: LabelValues<L> | undefined,
    write: (state: S, seconds: number) => void,
  ): () => number {
    const t0 = performance.now();
    return () => {
      const s = (performance.now() - t0) / 1000;
      write(this.seriesFor(labels), s);
      return s;
    };
  }

  /** The family snapshot around its points: type, name, help and unit from this metric. */
  protected family(points: F['points']): F {
    return {
      type: this.type,
      name: this.name,
      help: this.help,
      ...(this.unit ? { unit: this.unit } : {}),
      points,
    } as F;
  }

  private getOrCreate(key: string, labels: Labels): S {
    let s = this.series.get(key);
    if (!s) {
      s = { labels, state: this.createState() };
      this.series.set(key, s);
    }
    return s.state;
  }

  private overflowLabels(): Labels {
    const labels: Record<string, string> = {};
    for (const l of this.labelNames) labels[l] = OVERFLOW_LABEL_VALUE;
    return Object.freeze(labels);
  }

  /**
   * Observations dropped so far, by reason (`nan`, `non_finite`).
   *
   * @returns a fresh record; empty when nothing was dropped.
   */
  droppedCounts(): Record<string, number> {
    return Object.fromEntries(this.drops);
  }

  /** Observations folded into the overflow series because the series cap was reached. */
  get overflowCount(): number {
    return this.overflowed;
  }

  /** Number of series currently held (overflow series included). */
  get seriesCount(): number {
    return this.series.size;
  }

  /**
   * Removes the series of a label set (no-op when absent).
   *
   * @param labels - label values, as an object or positional.
   * @throws ConfigError when the label set does not match `labelNames`.
   */
  remove(...labels: unknown[]): void {
    const key = this.keyOf(this.labelsFromArgs(labels));
    const s = this.series.get(key);
    if (!s) return;
    this.series.delete(key);
    this.generation++;
    this.disposeState(s.state);
  }

  /** Drops every series (a metric without labels restarts at zero). Drop counts are kept. */
  reset(): void {
    for (const s of this.series.values()) this.disposeState(s.state);
    this.series.clear();
    this.generation++;
    this.ensureDefaultSeries();
  }

  /**
   * Runs the `collect` callback (scrape time). Errors propagate to the caller
   * (the registry counts and reports them).
   */
  async collect(): Promise<void> {
    if (this.collectFn) await (this.collectFn as (this: this) => void | Promise<void>).call(this);
  }

  /**
   * A snapshot without running `collect`.
   *
   * @returns the family, series in creation order.
   */
  snapshot(): F {
    return this.snapshotFrom(this.series.values());
  }

  /**
   * prom-client's `get()`: runs `collect`, then snapshots.
   *
   * @returns the family snapshot.
   * @throws whatever `collect` throws.
   */
  async get(): Promise<F> {
    await this.collect();
    return this.snapshot();
  }
}
