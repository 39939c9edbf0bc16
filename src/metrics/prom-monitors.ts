/**
 * Publishes the edgewatch monitors (LatencyTracker, PerformanceMonitor,
 * DriftDetector results, AlertSystem, drop counters) as Prometheus metrics in
 * a {@link Registry}, under the names of `EDGEWATCH_METRICS`. Sources are
 * duck-typed, so this file depends on no monitor module; values are read at
 * scrape time through `collect` callbacks (drift results are pushed with
 * {@link MonitorExporter.publishDrift}).
 *
 * Every metric carries `model`, `model_version` and `device` (the labels given
 * per source) and is capped at `maxSeries` series with a counted overflow.
 */
import { ConfigError, describeValue } from '../errors.js';
import { EDGEWATCH_METRICS, LATENCY_BUCKETS_MS, MS_PER_SECOND } from '../export/metric-names.js';
import { decodeSketch } from '../kernel/sketch-format.js';
import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import { Histogram } from './histogram.js';
import { classicFromSketch } from './prom-sketch.js';
import type { Registry } from './registry.js';

/** Labels identifying a monitored source. */
export interface SourceLabels {
  model?: string;
  model_version?: string;
  device?: string;
}

/** What {@link MonitorExporter.addLatency} needs of a LatencyTracker (milliseconds). */
export interface LatencySource {
  snapshot(): Promise<{ sketch: Uint8Array; percentiles: { dropped: number } }>;
}
/** What {@link MonitorExporter.addPerformance} needs of a PerformanceMonitor. */
export interface PerformanceSource {
  getMetrics(): { [metric: string]: unknown; degradation?: Record<string, number> };
}
/** What {@link MonitorExporter.addAlerts} needs of an AlertSystem. */
export interface AlertSource {
  firing(): readonly { name: string; severity: string }[];
  on(event: 'fire', fn: (alert: { name: string; severity: string }) => void): () => void;
}
/** One drift result (DriftDetector, one feature). */
export interface DriftResultLike {
  isDrift: boolean;
  method: string;
  statistic: number;
  pValue?: number;
}
/** A table drift result (DriftDetector on a record of columns). */
export interface DriftTableLike {
  isDrift: boolean;
  driftShare: number;
  features: Record<string, DriftResultLike>;
}

const BASE = ['model', 'model_version', 'device'] as const;
type Base = (typeof BASE)[number];
/** Performance fields that are bookkeeping, not metrics. */
const NOT_METRICS = new Set([
  'numSamples',
  'dropped',
  'degradation',
  'pendingLabels',
  'expiredLabels',
  'unmatchedLabels',
]);

function base(labels: SourceLabels): Record<Base, string> {
  for (const k of Object.keys(labels)) {
    if (!(BASE as readonly string[]).includes(k))
      throw new ConfigError(`expected labels among ${JSON.stringify(BASE)}, got "${k}"`);
  }
  return {
    model: labels.model ?? '',
    model_version: labels.model_version ?? '',
    device: labels.device ?? '',
  };
}

/**
 * Bridges monitors to one registry. Metrics are created on first use.
 *
 * @example
 * const exporter = new MonitorExporter({ registry });
 * exporter.addLatency(latencyTracker, { model: 'perception', device: 'robot-7' });
 * exporter.addPerformance(performanceMonitor, { model: 'perception' });
 * exporter.addAlerts(alertSystem, { model: 'perception' });
 * exporter.publishDrift(await detector.detect(batch), { model: 'perception' });
 */
export class MonitorExporter {
  private readonly registry: Registry;
  private readonly maxSeries: number;
  private readonly boundariesMs: readonly number[];
  private readonly latency = new Map<LatencySource, Record<Base, string>>();
  private readonly performance = new Map<PerformanceSource, Record<Base, string>>();
  private readonly alerts = new Map<
    AlertSource,
    { labels: Record<Base, string>; off: () => void }
  >();
  private readonly lastDropped = new Map<object, number>();
  private readonly metrics = new Map<string, Counter | Gauge | Histogram>();

  /**
   * @param options - `registry`; `maxSeries` per metric (default 2000);
   *   `latencyBucketsMs` (default {@link LATENCY_BUCKETS_MS}: exact at powers of two).
   * @throws ConfigError on a missing registry or bad boundaries.
   */
  constructor(options: {
    registry: Registry;
    maxSeries?: number;
    latencyBucketsMs?: readonly number[];
  }) {
    if (typeof options?.registry?.registerMetric !== 'function') {
      throw new ConfigError(`expected a registry, got ${describeValue(options?.registry)}`);
    }
    this.registry = options.registry;
    this.maxSeries = options.maxSeries ?? 2000;
    this.boundariesMs = options.latencyBucketsMs ?? LATENCY_BUCKETS_MS;
  }

  /**
   * Exports a latency tracker (milliseconds) as `edgewatch_prediction_latency_seconds`.
   *
   * @param source - a LatencyTracker (anything with `snapshot()` returning sketch bytes).
   * @param labels - model, model_version, device.
   */
  addLatency(source: LatencySource, labels: SourceLabels = {}): void {
    this.latency.set(source, base(labels));
    this.latencyHistogram();
    this.droppedCounter();
  }

  /**
   * Exports a performance monitor: `edgewatch_accuracy`, `edgewatch_model_metric{metric}`,
   * `edgewatch_degradation_ratio{metric}` (NaN values are left out).
   *
   * @param source - a PerformanceMonitor.
   * @param labels - model, model_version, device.
   */
  addPerformance(source: PerformanceSource, labels: SourceLabels = {}): void {
    this.performance.set(source, base(labels));
    this.performanceGauges();
    this.droppedCounter();
  }

  /**
   * Exports an alert system: `edgewatch_alerts_firing{alert,severity}` (read at
   * scrape time) and `edgewatch_alerts_fired_total{alert,severity}` (counted on 'fire').
   *
   * @param source - an AlertSystem.
   * @param labels - model, device (model_version is kept too).
   */
  addAlerts(source: AlertSource, labels: SourceLabels = {}): void {
    const l = base(labels);
    const { fired } = this.alertMetrics();
    const off = source.on('fire', (a) => fired.inc({ ...l, alert: a.name, severity: a.severity }));
    this.alerts.get(source)?.off();
    this.alerts.set(source, { labels: l, off });
  }

  /**
   * Stops exporting a source (its series disappear at the next scrape; counters stay).
   *
   * @param source - a source given to one of the `add…` methods.
   */
  remove(source: object): void {
    this.latency.delete(source as LatencySource);
    this.performance.delete(source as PerformanceSource);
    const a = this.alerts.get(source as AlertSource);
    a?.off();
    this.alerts.delete(source as AlertSource);
  }

  /**
   * Publishes a drift result: `edgewatch_drift_statistic`, `edgewatch_drift_p_value`,
   * `edgewatch_drift_detected` per feature and method, and `edgewatch_drift_share_ratio`
   * for a table.
   *
   * @param result - a DriftDetector result (one feature or a table).
   * @param labels - model, model_version, device.
   * @param feature - feature name for a one-feature result (default `"value"`).
   */
  publishDrift(
    result: DriftResultLike | DriftTableLike,
    labels: SourceLabels = {},
    feature = 'value',
  ): void {
    const l = base(labels);
    const g = this.driftGauges();
    const features =
      'features' in result ? Object.entries(result.features) : [[feature, result] as const];
    for (const [name, r] of features) {
      const fl = { ...l, feature: name, method: r.method };
      g.statistic.set(fl, r.statistic);
      if (typeof r.pValue === 'number') g.pValue.set(fl, r.pValue);
      g.detected.set(fl, r.isDrift ? 1 : 0);
    }
    if ('features' in result) g.share.set(l, result.driftShare);
  }

  private get<T extends Counter | Gauge | Histogram>(name: string, make: () => T): T {
    let m = this.metrics.get(name) as T | undefined;
    if (!m) {
      m = make();
      this.metrics.set(name, m);
    }
    return m;
  }

  private latencyHistogram(): Histogram {
    const boundaries = this.boundariesMs;
    const sources = this.latency;
    const dropped = (src: object, n: number): void => this.countDropped(src, n, 'latency');
    return this.get(
      EDGEWATCH_METRICS.latency,
      () =>
        new Histogram({
          name: EDGEWATCH_METRICS.latency,
          help: 'Prediction latency (classic buckets derived from the exponential sketch).',
          labelNames: [...BASE],
          buckets: boundaries.map((b) => b / MS_PER_SECOND),
          registry: this.registry,
          maxSeries: this.maxSeries,
          async collect() {
            this.reset();
            let failure: unknown;
            for (const [src, labels] of sources) {
              try {
                const snap = await src.snapshot();
                const sketch = decodeSketch(snap.sketch);
                const cumulative = classicFromSketch(sketch, boundaries);
                this.setCumulative(labels, {
                  cumulative,
                  count: sketch.count,
                  sum: sketch.sum / MS_PER_SECOND,
                });
                dropped(src, snap.percentiles.dropped);
              } catch (error) {
                failure ??= error; // the other sources are still exported; the registry counts it
              }
            }
            if (failure !== undefined) throw failure;
          },
        }),
    );
  }

  private performanceGauges(): Gauge {
    const sources = this.performance;
    const registry = this.registry;
    const maxSeries = this.maxSeries;
    const degradation = this.get(
      EDGEWATCH_METRICS.degradation,
      () =>
        new Gauge({
          name: EDGEWATCH_METRICS.degradation,
          help: 'Relative drop against the baseline per metric (positive = worse).',
          labelNames: [...BASE, 'metric'],
          registry,
          maxSeries,
        }),
    ) as Gauge;
    const accuracy = this.get(
      EDGEWATCH_METRICS.accuracy,
      () =>
        new Gauge({
          name: EDGEWATCH_METRICS.accuracy,
          help: 'Accuracy over the current window.',
          labelNames: [...BASE],
          registry,
          maxSeries,
        }),
    ) as Gauge;
    const dropped = (src: object, n: number): void => this.countDropped(src, n, 'performance');
    return this.get(
      EDGEWATCH_METRICS.performance,
      () =>
        new Gauge({
          name: EDGEWATCH_METRICS.performance,
          help: 'Performance metric over the current window, by name.',
          labelNames: [...BASE, 'metric'],
          registry,
          maxSeries,
          collect() {
            // The registry runs every collect before any snapshot: refresh the sibling gauges here.
            this.reset();
            accuracy.reset();
            degradation.reset();
            for (const [src, labels] of sources) {
              const m = src.getMetrics();
              for (const [metric, v] of Object.entries(m)) {
                if (NOT_METRICS.has(metric) || typeof v !== 'number' || Number.isNaN(v)) continue;
                this.set({ ...labels, metric }, v);
                if (metric === 'accuracy') accuracy.set(labels, v);
              }
              for (const [metric, v] of Object.entries(m.degradation ?? {})) {
                if (!Number.isNaN(v)) degradation.set({ ...labels, metric }, v);
              }
              if (typeof m['dropped'] === 'number') dropped(src, m['dropped']);
            }
          },
        }),
    ) as Gauge;
  }

  private alertMetrics(): { firing: Gauge; fired: Counter } {
    const sources = this.alerts;
    const labelNames = [...BASE, 'alert', 'severity'];
    const fired = this.get(
      EDGEWATCH_METRICS.alertsFired,
      () =>
        new Counter({
          name: EDGEWATCH_METRICS.alertsFired,
          help: 'Alerts fired.',
          labelNames,
          registry: this.registry,
          maxSeries: this.maxSeries,
        }),
    ) as Counter;
    const firing = this.get(
      EDGEWATCH_METRICS.alertsFiring,
      () =>
        new Gauge({
          name: EDGEWATCH_METRICS.alertsFiring,
          help: 'Alerts currently firing.',
          labelNames,
          registry: this.registry,
          maxSeries: this.maxSeries,
          collect() {
            this.reset();
            for (const [src, { labels }] of sources) {
              for (const a of src.firing())
                this.inc({ ...labels, alert: a.name, severity: a.severity });
            }
          },
        }),
    ) as Gauge;
    return { firing, fired };
  }

  private driftGauges(): { statistic: Gauge; pValue: Gauge; detected: Gauge; share: Gauge } {
    const labelNames = [...BASE, 'feature', 'method'];
    const make = (name: string, help: string, names: string[]): Gauge =>
      this.get(
        name,
        () =>
          new Gauge({
            name,
            help,
            labelNames: names,
            registry: this.registry,
            maxSeries: this.maxSeries,
          }),
      ) as Gauge;
    return {
      statistic: make(
        EDGEWATCH_METRICS.drift,
        'Drift statistic or distance of the latest check.',
        labelNames,
      ),
      pValue: make(
        EDGEWATCH_METRICS.driftPValue,
        'Drift test p-value of the latest check.',
        labelNames,
      ),
      detected: make(
        EDGEWATCH_METRICS.driftDetected,
        'Drift detected (0/1) in the latest check.',
        labelNames,
      ),
      share: make(EDGEWATCH_METRICS.driftShare, 'Share of drifted features in the latest check.', [
        ...BASE,
      ]),
    };
  }

  private droppedCounter(): Counter {
    return this.get(
      EDGEWATCH_METRICS.valuesDropped,
      () =>
        new Counter({
          name: EDGEWATCH_METRICS.valuesDropped,
          help: 'Input values dropped by monitors (NaN, non-finite, out of range).',
          labelNames: [...BASE, 'reason'],
          registry: this.registry,
          maxSeries: this.maxSeries,
        }),
    ) as Counter;
  }

  /** Turns a source's cumulative `dropped` count into counter increments (a reset restarts from 0). */
  private countDropped(src: object, total: number, reason: string): void {
    const labels =
      this.latency.get(src as LatencySource) ?? this.performance.get(src as PerformanceSource);
    if (!labels || !Number.isFinite(total)) return;
    const last = this.lastDropped.get(src) ?? 0;
    const delta = total >= last ? total - last : total;
    this.lastDropped.set(src, total);
    if (delta > 0) this.droppedCounter().inc({ ...labels, reason }, delta);
  }
}
