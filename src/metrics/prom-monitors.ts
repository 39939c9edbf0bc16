/**
 * Publishes the edgewatch monitors (LatencyTracker, PerformanceMonitor,
 * DriftDetector results, AlertSystem, drop counters) as Prometheus metrics in
 * a {@link Registry}, under the names of `EDGEWATCH_METRICS`. Sources are
 * duck-typed, so this file depends on no monitor module (the monitors import
 * it, not the reverse); values are read at scrape time through `collect`
 * callbacks (drift results are pushed on each `detect()`).
 *
 * The monitors' `registry` option (src/metrics/monitor-link.ts) loads this
 * module with a dynamic `import()` and goes through {@link MonitorExporter.for}:
 * one exporter per registry, so any number of monitors share one set of
 * metric families and are told apart by their constant labels (claimed in
 * monitor-link.ts, so that a duplicate is refused synchronously).
 *
 * Every metric carries `model`, `model_version` and `device` (the labels given
 * per source) and is capped at `maxSeries` series with a counted overflow
 * (`edgewatch_metric_series_overflow_total{metric}`).
 */
import { ConfigError, describeValue } from '../errors.js';
import { nonEmptyString, optionalNumber } from '../util/options.js';
import { LATENCY_BUCKETS_MS } from '../export/metric-names.js';
import { MonitorFamilies } from './prom-monitor-families.js';
import { baseLabels as base } from './prom-monitor-sources.js';
import { claimLabels, releaseLabels } from './label-claims.js';
import type {
  AlertSource,
  Base,
  CollectorSource,
  DriftResultLike,
  DriftTableLike,
  LatencySource,
  PerformanceSource,
  SourceLabels,
} from './prom-monitor-sources.js';
import type { Registry } from '../prometheus/registry.js';

/** The exporter of each registry (see {@link MonitorExporter.for}). */
const exporters = new WeakMap<Registry, MonitorExporter>();

function isRegistry(r: unknown): r is Registry {
  return typeof (r as Registry | undefined)?.registerMetric === 'function';
}

/**
 * Bridges monitors to one registry (one exporter per registry). Metrics are
 * created on first use.
 *
 * Usually implicit: `new LatencyTracker({ registry, labels: { model: 'perception' } })`
 * (likewise MetricsCollector, PerformanceMonitor, DriftDetector, AlertSystem) calls
 * {@link MonitorExporter.for}. Construct one explicitly, before the monitors,
 * to choose `maxSeries` or the latency buckets.
 *
 * @example
 * const registry = new Registry();
 * new MonitorExporter({ registry, maxSeries: 500 }); // optional: before the monitors
 * const latency = new LatencyTracker({ registry, labels: { model: 'perception', device: 'robot-7' } });
 * const alerts = new AlertSystem({ registry, labels: { model: 'perception' } });
 * await registry.metrics(); // edgewatch_prediction_latency_seconds_bucket{...}, edgewatch_alerts_firing{...}, ...
 */
export class MonitorExporter {
  private readonly latency = new Map<LatencySource, Record<Base, string>>();
  private readonly performance = new Map<PerformanceSource, Record<Base, string>>();
  private readonly collectors = new Map<CollectorSource, Record<Base, string>>();
  private readonly alerts = new Map<
    AlertSource,
    { labels: Record<Base, string>; off: () => void }
  >();
  private readonly drift = new Map<
    object,
    { labels: Record<Base, string>; feature: string; published: Set<string> }
  >();
  private readonly families: MonitorFamilies;
  private readonly registry: Registry;

  /**
   * @param options - `registry`; `maxSeries` per metric (default 2000);
   *   `latencyBucketsMs` (default {@link LATENCY_BUCKETS_MS}: exact at powers of two).
   * @throws ConfigError on a missing registry, a registry that already has an
   *   exporter (use {@link MonitorExporter.for}), or a bad `maxSeries`.
   */
  constructor(options: {
    registry: Registry;
    maxSeries?: number;
    latencyBucketsMs?: readonly number[];
  }) {
    if (!isRegistry(options?.registry)) {
      throw new ConfigError(`expected a registry, got ${describeValue(options?.registry)}`);
    }
    if (exporters.has(options.registry)) {
      throw new ConfigError(
        'expected one MonitorExporter per registry, got a second one (use MonitorExporter.for(registry))',
      );
    }
    const maxSeries = optionalNumber('maxSeries', options.maxSeries, 2000, {
      above: 0,
      integer: true,
    });
    this.registry = options.registry;
    this.families = new MonitorFamilies(
      options.registry,
      maxSeries,
      options.latencyBucketsMs ?? LATENCY_BUCKETS_MS,
    );
    exporters.set(options.registry, this);
  }

  /**
   * The registry's exporter, created (with defaults) on first use. The monitors'
   * `registry` option calls this.
   *
   * @param registry - the registry.
   * @returns its one exporter.
   * @throws ConfigError when `registry` is not a Registry.
   * @example
   * MonitorExporter.for(registry).remove(performanceMonitor);
   */
  static for(registry: Registry): MonitorExporter {
    return exporters.get(registry) ?? new MonitorExporter({ registry });
  }

  /**
   * Exports a latency tracker (milliseconds) as `edgewatch_prediction_latency_seconds`
   * (read at scrape time from the engine's sketch) and its drops as
   * `edgewatch_values_dropped_total{reason="latency"}`.
   *
   * @param source - a LatencyTracker (anything with `snapshot()` returning sketch bytes).
   * @param labels - model, model_version, device.
   * @throws ConfigError on other label keys, or labels another latency source uses.
   */
  addLatency(source: LatencySource, labels: SourceLabels = {}): void {
    this.latency.set(source, this.distinct(source, labels, 'LatencyTracker'));
    this.families.latencyHistogram(this.latency);
    this.families.droppedCounter();
  }

  /**
   * Exports a performance monitor: `edgewatch_accuracy`, `edgewatch_model_metric{metric}`,
   * `edgewatch_degradation_ratio{metric}` (NaN values are left out), and its drops as
   * `edgewatch_values_dropped_total{reason}` (`performance`, `label_expired`, `label_unmatched`).
   *
   * @param source - a PerformanceMonitor.
   * @param labels - model, model_version, device.
   * @throws ConfigError on other label keys, or labels another performance source uses.
   */
  addPerformance(source: PerformanceSource, labels: SourceLabels = {}): void {
    this.performance.set(source, this.distinct(source, labels, 'PerformanceMonitor'));
    this.families.performanceGauges(this.performance);
    this.families.droppedCounter();
  }

  /**
   * Exports a metrics collector: `edgewatch_recorded_value{metric}` (a summary per
   * recorded name: quantiles 0.5/0.95/0.99, `_sum`, `_count`, read at scrape time)
   * and its drops as `edgewatch_values_dropped_total{reason}` (`collector_value`,
   * `collector_name`). Names beyond `maxSeries` are left out and counted as overflow.
   *
   * @param source - a MetricsCollector.
   * @param labels - model, model_version, device.
   * @throws ConfigError on other label keys, or labels another collector uses.
   */
  addCollector(source: CollectorSource, labels: SourceLabels = {}): void {
    this.collectors.set(source, this.distinct(source, labels, 'MetricsCollector'));
    this.families.collectorSummary(this.collectors);
    this.families.droppedCounter();
  }

  /**
   * Exports an alert system: `edgewatch_alerts_firing{alert,severity}` (read at
   * scrape time) and `edgewatch_alerts_fired_total{alert,severity}` (counted on 'fire').
   *
   * @param source - an AlertSystem.
   * @param labels - model, model_version, device.
   * @param earlier - fires that happened before (AlertSystem counts those between its
   *   construction and the lazy attachment), added to the fired counter.
   * @throws ConfigError on other label keys, or labels another alert source uses.
   */
  addAlerts(
    source: AlertSource,
    labels: SourceLabels = {},
    earlier: readonly { name: string; severity: string; count: number }[] = [],
  ): void {
    const l = this.distinct(source, labels, 'AlertSystem');
    const { fired } = this.families.alertMetrics(this.alerts);
    for (const a of earlier) fired.inc({ ...l, alert: a.name, severity: a.severity }, a.count);
    const off = source.on('fire', (a) => fired.inc({ ...l, alert: a.name, severity: a.severity }));
    this.alerts.get(source)?.off();
    this.alerts.set(source, { labels: l, off });
  }

  /**
   * Registers a drift detector, whose results are then published with
   * {@link MonitorExporter.publishDriftOf} (DriftDetector does it on each `detect()`).
   *
   * @param source - a DriftDetector.
   * @param labels - model, model_version, device.
   * @param feature - feature label of a one-feature detector (default `"value"`).
   * @throws ConfigError on other label keys, or labels another drift source uses.
   */
  addDrift(source: object, labels: SourceLabels = {}, feature = 'value'): void {
    nonEmptyString('feature', feature);
    const l = this.distinct(source, labels, 'DriftDetector');
    this.drift.set(source, { labels: l, feature, published: new Set() });
    this.families.driftGauges();
    this.families.droppedCounter();
  }

  /**
   * Publishes a result of a source registered with {@link MonitorExporter.addDrift}
   * (no-op for an unknown source). Never throws.
   *
   * @param source - the drift detector.
   * @param result - its latest result.
   */
  publishDriftOf(source: object, result: DriftResultLike | DriftTableLike): void {
    const d = this.drift.get(source);
    if (!d) return;
    for (const key of this.writeDrift(result, d.labels, d.feature)) d.published.add(key);
  }

  /**
   * Stops exporting a source (its series disappear at the next scrape; counters stay).
   *
   * @param source - a source given to one of the `add…` methods.
   */
  remove(source: object): void {
    this.latency.delete(source as LatencySource);
    this.performance.delete(source as PerformanceSource);
    this.collectors.delete(source as CollectorSource);
    const a = this.alerts.get(source as AlertSource);
    a?.off();
    this.alerts.delete(source as AlertSource);
    const d = this.drift.get(source);
    if (d) {
      const g = this.families.driftGauges();
      for (const key of d.published) {
        const labels = JSON.parse(key) as Record<string, string>;
        const gauges = 'feature' in labels ? [g.statistic, g.pValue, g.detected] : [g.share];
        for (const gauge of gauges) gauge.remove(labels);
      }
      this.drift.delete(source);
    }
    this.families.forget(source);
    releaseLabels(this.registry, source);
  }

  /**
   * Publishes a drift result: `edgewatch_drift_statistic`, `edgewatch_drift_p_value`,
   * `edgewatch_drift_detected` per feature and method, `edgewatch_drift_share_ratio`
   * for a table, and the missing current values as
   * `edgewatch_values_dropped_total{reason="drift_missing"}`.
   *
   * @param result - a DriftDetector result (one feature or a table).
   * @param labels - model, model_version, device.
   * @param feature - feature name for a one-feature result (default `"value"`).
   * @throws ConfigError on other label keys.
   */
  publishDrift(
    result: DriftResultLike | DriftTableLike,
    labels: SourceLabels = {},
    feature = 'value',
  ): void {
    this.writeDrift(result, base(labels), feature);
  }

  /** Writes a drift result; returns the label sets written (JSON) so that `remove` can drop them. */
  private writeDrift(
    result: DriftResultLike | DriftTableLike,
    l: Record<Base, string>,
    feature: string,
  ): string[] {
    const g = this.families.driftGauges();
    const written: string[] = [];
    const features =
      'features' in result ? Object.entries(result.features) : [[feature, result] as const];
    let missing = 0;
    for (const [name, r] of features) {
      const fl = { ...l, feature: name, method: r.method };
      g.statistic.set(fl, r.statistic);
      if (typeof r.pValue === 'number') g.pValue.set(fl, r.pValue);
      g.detected.set(fl, r.isDrift ? 1 : 0);
      written.push(JSON.stringify(fl));
      const m = r.missing?.current;
      if (typeof m === 'number' && m > 0 && Number.isFinite(m)) missing += m;
    }
    if ('features' in result) {
      g.share.set(l, result.driftShare);
      written.push(JSON.stringify(l));
    }
    if (missing > 0) this.families.droppedCounter().inc({ ...l, reason: 'drift_missing' }, missing);
    return written;
  }

  /** Validates labels and claims them (no other source of the same kind may use them). */
  private distinct(source: object, labels: SourceLabels, kind: string): Record<Base, string> {
    return claimLabels(this.registry, kind, source, labels);
  }
}
