/**
 * The shared base of {@link Counter}, {@link Gauge}, {@link Histogram} and
 * {@link Summary}: name and label validation, series by label set with a
 * cardinality cap (overflow folded into one counted series), drop counts, the
 * scrape-time `collect` callback, and registration.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Labels, MetricFamily, MetricType } from '../export/prom-model.js';
import {
  isValidLabelName,
  isValidMetricName,
  counterBaseName,
  UNIT_RE,
} from '../export/prom-names.js';
import type { Registry } from './registry.js';
import { defaultRegistry } from './registry.js';

/** Label values for a label set: one string (or number) per label name. */
export type LabelValues<L extends string> = { readonly [K in L]: string | number };

/** Default cap on the number of series (label sets) per metric. */
export const DEFAULT_MAX_SERIES = 2000;

/** Label value every label takes in the overflow series. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/** Options every metric takes (prom-client's shape, plus `registry`, `unit`, `maxSeries`). */
export interface MetricConfig<L extends string> {
  /** Metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
  name: string;
  /** Help text (any string; escaped on output). */
  help: string;
  /** Label names, `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, unique. */
  labelNames?: readonly L[];
  /** OpenMetrics unit (e.g. `seconds`); the name (without `_total`) must end in `_<unit>`. */
  unit?: string;
  /** Registry to register in; `null` registers nowhere. Default: {@link defaultRegistry}. */
  registry?: Registry | null;
  /** prom-client style: registries to register in (overrides `registry`). */
  registers?: readonly Registry[];
  /**
   * Most series (label sets) kept; further label sets are folded into one
   * overflow series whose labels are all `"__overflow__"`, and counted. Default 2000.
   */
  maxSeries?: number;
}

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
    if (typeof config !== 'object' || config === null) {
      throw new ConfigError(`expected an options object, got ${describeValue(config)}`);
    }
    const { name, help, labelNames = [], unit, maxSeries = DEFAULT_MAX_SERIES } = config;
    if (!isValidMetricName(name)) {
      throw new ConfigError(
        `expected a metric name matching [a-zA-Z_:][a-zA-Z0-9_:]*, got ${describeValue(name)}`,
      );
    }
    if (typeof help !== 'string')
      throw new ConfigError(`expected help to be a string, got ${describeValue(help)}`);
    if (!Array.isArray(labelNames))
      throw new ConfigError(`expected labelNames to be an array, got ${describeValue(labelNames)}`);
    const seen = new Set<string>();
    for (const l of labelNames as readonly unknown[]) {
      if (!isValidLabelName(l)) {
        throw new ConfigError(
          `expected label names matching [a-zA-Z_][a-zA-Z0-9_]* not starting with "__", got ${describeValue(l)} in metric "${name}"`,
        );
      }
      if (reserved.includes(l))
        throw new ConfigError(
          `expected no reserved label "${l}" on a ${type}, got it in metric "${name}"`,
        );
      if (seen.has(l))
        throw new ConfigError(`expected unique label names, got "${l}" twice in metric "${name}"`);
      seen.add(l);
    }
    if (unit !== undefined) {
      if (typeof unit !== 'string' || !UNIT_RE.test(unit))
        throw new ConfigError(`expected unit matching [a-zA-Z0-9_]+, got ${describeValue(unit)}`);
      const base = type === 'counter' ? counterBaseName(name) : name;
      if (!base.endsWith(`_${unit}`))
        throw new ConfigError(
          `expected metric name "${base}" to end with "_${unit}" (OpenMetrics unit), got it without`,
        );
    }
    if (!Number.isInteger(maxSeries) || maxSeries < 1)
      throw new ConfigError(
        `expected maxSeries to be a positive integer, got ${describeValue(maxSeries)}`,
      );
    if (collect !== undefined && typeof collect !== 'function')
      throw new ConfigError(`expected collect to be a function, got ${describeValue(collect)}`);
    this.type = type;
    this.name = name;
    this.help = help;
    this.labelNames = Object.freeze([...labelNames]);
    this.labelSet = seen;
    this.unit = unit;
    this.maxSeries = maxSeries;
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
    const names = this.labelNames;
    if (names.length === 0) {
      if (
        input !== undefined &&
        (typeof input !== 'object' || input === null || Object.keys(input).length > 0)
      ) {
        throw new ConfigError(
          `expected no labels for metric "${this.name}", got ${describeLabels(input)}`,
        );
      }
      return '';
    }
    if (typeof input !== 'object' || input === null) {
      throw new ConfigError(
        `expected labels ${JSON.stringify(names)} for metric "${this.name}", got ${describeValue(input)}`,
      );
    }
    let n = 0;
    for (const k in input) {
      if (!this.labelSet.has(k))
        throw new ConfigError(
          `expected labels ${JSON.stringify(names)} for metric "${this.name}", got unknown label "${k}"`,
        );
      n++;
    }
    if (n !== names.length) {
      throw new ConfigError(
        `expected labels ${JSON.stringify(names)} for metric "${this.name}", got ${describeLabels(input)}`,
      );
    }
    let key = '';
    for (const l of names) {
      const v: unknown = input[l];
      if (typeof v !== 'string' && typeof v !== 'number') {
        throw new ConfigError(
          `expected label "${l}" of metric "${this.name}" to be a string or number, got ${describeValue(v)}`,
        );
      }
      const s = String(v);
      key += `${s.length}:${s}|`;
    }
    return key;
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

function describeLabels(input: unknown): string {
  return typeof input === 'object' && input !== null
    ? JSON.stringify(Object.keys(input))
    : describeValue(input);
}
