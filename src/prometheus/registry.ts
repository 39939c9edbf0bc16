/**
 * The Prometheus registry (prom-client's shape): holds metrics by name, runs
 * their `collect` callbacks at scrape time, applies default labels and writes
 * the exposition in text 0.0.4 or OpenMetrics 1.0.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Labels, MetricFamily } from '../export/prom-model.js';
import { exposedNames } from '../export/prom-names.js';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  formatExposition,
} from '../export/exposition.js';
import type { ExpositionFormat } from '../export/exposition.js';
import {
  selfMetricFamilies,
  validateDefaultLabels,
  withDefaultLabels,
  type RegistrableMetric,
} from './registry-families.js';

export type { RegistrableMetric };

/** Options of {@link Registry}. */
export interface RegistryOptions {
  /** Default exposition content type (text 0.0.4 unless OpenMetrics is given). */
  contentType?: string;
  /** Receives errors thrown by `collect` callbacks (the scrape continues with the last values). */
  onError?: (error: unknown, metricName: string) => void;
}

/**
 * A set of metrics exposed together.
 *
 * Self-metrics: when a metric dropped observations, folded label sets into its
 * overflow series, or its `collect` threw, the exposition also carries
 * `edgewatch_metric_samples_dropped_total{metric,reason}`,
 * `edgewatch_metric_series_overflow_total{metric}` and
 * `edgewatch_metric_collect_errors_total{metric}` (only once non-zero).
 *
 * @example
 * const registry = new Registry();
 * new Counter({ name: 'predictions_total', help: 'Total predictions', registry }).inc();
 * await registry.metrics(); // '# HELP predictions_total Total predictions\n# TYPE predictions_total counter\npredictions_total 1\n'
 */
export class Registry {
  /** Content type of the text format 0.0.4. */
  static readonly PROMETHEUS_CONTENT_TYPE = PROMETHEUS_CONTENT_TYPE;
  /** Content type of OpenMetrics 1.0. */
  static readonly OPENMETRICS_CONTENT_TYPE = OPENMETRICS_CONTENT_TYPE;

  private readonly metricsByName = new Map<string, RegistrableMetric>();
  private readonly taken = new Map<string, string>();
  private defaultLabels: Labels = Object.freeze({});
  private format: ExpositionFormat = 'prometheus';
  private readonly collectErrors = new Map<string, number>();
  private readonly onError: ((error: unknown, metricName: string) => void) | undefined;
  private readonly pending = new Set<Promise<void>>();

  /**
   * @param options - `{ contentType, onError }`, or prom-client's content-type string.
   * @throws ConfigError on an unknown content type.
   */
  constructor(options: RegistryOptions | string = {}) {
    const opts = typeof options === 'string' ? { contentType: options } : options;
    if (opts.contentType !== undefined) this.setContentType(opts.contentType);
    this.onError = opts.onError;
  }

  /** The content type `metrics()` produces by default. */
  get contentType(): string {
    return this.format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
  }

  /**
   * Chooses the default exposition format.
   *
   * @param contentType - {@link Registry.PROMETHEUS_CONTENT_TYPE} or {@link Registry.OPENMETRICS_CONTENT_TYPE}.
   * @throws ConfigError for any other value.
   */
  setContentType(contentType: string): void {
    if (contentType === PROMETHEUS_CONTENT_TYPE) this.format = 'prometheus';
    else if (contentType === OPENMETRICS_CONTENT_TYPE) this.format = 'openmetrics';
    else
      throw new ConfigError(
        `expected "${PROMETHEUS_CONTENT_TYPE}" or "${OPENMETRICS_CONTENT_TYPE}", got ${describeValue(contentType)}`,
      );
  }

  /**
   * Adds a metric. Called by the metric constructors for their `registry`.
   *
   * @param metric - the metric.
   * @throws ConfigError when its name (or a sample name it writes) is taken.
   */
  registerMetric(metric: RegistrableMetric): void {
    const names = exposedNames(metric.type, metric.name);
    for (const n of names) {
      const owner = this.taken.get(n);
      if (owner !== undefined) {
        throw new ConfigError(
          `expected a unique metric name, got "${metric.name}" which collides with the already registered "${owner}" (on "${n}")`,
        );
      }
    }
    for (const n of names) this.taken.set(n, metric.name);
    this.metricsByName.set(metric.name, metric);
  }

  /**
   * Makes the next scrapes wait for `work` (the monitors' `registry` option
   * attaches them through a lazily loaded exporter). A rejection is reported
   * like a failing `collect`: to `onError` with `name`, and counted in
   * `edgewatch_metric_collect_errors_total{metric=name}`; never unhandled.
   *
   * @param work - the pending work.
   * @param name - what it is for (the `metric` label of a failure), e.g. `'LatencyTracker'`.
   * @example
   * registry.defer(import('./extra.js').then((m) => m.register(registry)), 'extra');
   */
  defer(work: Promise<unknown>, name: string): void {
    const tracked: Promise<void> = work.then(
      () => {
        this.pending.delete(tracked);
      },
      (error: unknown) => {
        this.pending.delete(tracked);
        this.collectErrors.set(name, (this.collectErrors.get(name) ?? 0) + 1);
        try {
          this.onError?.(error, name);
        } catch {
          // A throwing onError must not turn into an unhandled rejection; the failure is counted.
        }
      },
    );
    this.pending.add(tracked);
  }

  /** Waits for the work given to {@link defer} (also what it started meanwhile; bounded). */
  private async settle(): Promise<void> {
    for (let round = 0; round < 8 && this.pending.size > 0; round++)
      await Promise.all(this.pending);
  }

  /**
   * A registered metric by name.
   *
   * @param name - metric name as configured.
   * @returns the metric, or undefined.
   */
  getSingleMetric(name: string): RegistrableMetric | undefined {
    return this.metricsByName.get(name);
  }

  /**
   * Unregisters a metric (no-op when absent).
   *
   * @param name - metric name as configured.
   */
  removeSingleMetric(name: string): void {
    const m = this.metricsByName.get(name);
    if (!m) return;
    this.metricsByName.delete(name);
    for (const n of exposedNames(m.type, m.name)) this.taken.delete(n);
    this.collectErrors.delete(name);
  }

  /** Unregisters every metric. */
  clear(): void {
    this.metricsByName.clear();
    this.taken.clear();
    this.collectErrors.clear();
  }

  /** Resets every metric's series (counters back to zero). */
  resetMetrics(): void {
    for (const m of this.metricsByName.values()) m.reset();
  }

  /**
   * Labels added to every series (a series' own label of the same name wins).
   *
   * @param labels - label name → value.
   * @throws ConfigError on an invalid label name or a non-string value.
   */
  setDefaultLabels(labels: Record<string, string | number>): void {
    this.defaultLabels = validateDefaultLabels(labels);
  }

  /**
   * Waits for pending monitor attachments ({@link defer}), runs every `collect`
   * and returns the snapshots, default labels applied, self-metrics appended.
   *
   * @returns one family per metric, in registration order.
   */
  async getMetricsAsJSON(): Promise<MetricFamily[]> {
    await this.settle();
    // Every collect runs before any snapshot, so a callback may refresh several metrics at once.
    const metrics = [...this.metricsByName.values()];
    for (const m of metrics) {
      try {
        await m.collect();
      } catch (error) {
        this.collectErrors.set(m.name, (this.collectErrors.get(m.name) ?? 0) + 1);
        this.onError?.(error, m.name);
      }
    }
    const out: MetricFamily[] = metrics.map((m) => this.withDefaults(m.snapshot()));
    out.push(...this.selfMetrics());
    return out;
  }

  /**
   * The exposition of every metric.
   *
   * @param options - `format`: `'prometheus'` (text 0.0.4) or `'openmetrics'`; default from {@link contentType}.
   * @returns the text. Cost O(series × buckets) plus the `collect` callbacks.
   */
  async metrics(options: { format?: ExpositionFormat } = {}): Promise<string> {
    return formatExposition(await this.getMetricsAsJSON(), options.format ?? this.format);
  }

  /**
   * The exposition of one metric (without self-metrics).
   *
   * @param name - metric name.
   * @param options - `format` as in {@link metrics}.
   * @returns its text, or '' when not registered.
   */
  async getSingleMetricAsString(
    name: string,
    options: { format?: ExpositionFormat } = {},
  ): Promise<string> {
    await this.settle();
    const m = this.metricsByName.get(name);
    if (!m) return '';
    await m.collect();
    const format = options.format ?? this.format;
    return formatExposition([this.withDefaults(m.snapshot())], format);
  }

  /**
   * A registry holding the metrics of several registries.
   *
   * @param registries - the sources.
   * @returns a new registry.
   * @throws ConfigError when two of them hold the same name.
   */
  static merge(registries: readonly Registry[]): Registry {
    const r = new Registry();
    for (const src of registries) for (const m of src.metricsByName.values()) r.registerMetric(m);
    return r;
  }

  private withDefaults(f: MetricFamily): MetricFamily {
    return withDefaultLabels(f, this.defaultLabels);
  }

  private selfMetrics(): MetricFamily[] {
    return selfMetricFamilies(this.metricsByName.values(), this.collectErrors, this.taken).map(
      (f) => this.withDefaults(f),
    );
  }
}

/** The process-wide registry metrics join when no `registry` option is given (prom-client's `register`). */
export const defaultRegistry = new Registry();
/** Alias of {@link defaultRegistry}, as prom-client names it. */
export const register = defaultRegistry;
