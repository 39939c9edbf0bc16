/**
 * The metric families behind `MonitorExporter` (src/metrics/prom-monitors.ts):
 * the lazily created Counter/Gauge/Histogram/summary objects with their
 * scrape-time `collect` callbacks, and the drop-count bookkeeping.
 * Internal: the public surface is `MonitorExporter` and the monitors' `registry` option.
 */
import { EDGEWATCH_METRICS, MS_PER_SECOND } from '../export/metric-names.js';
import { decodeSketch } from '../kernel/sketch-format.js';
import { Counter } from '../prometheus/counter.js';
import { Gauge } from '../prometheus/gauge.js';
import { Histogram } from '../prometheus/histogram.js';
import { classicFromSketch } from '../prometheus/prom-sketch.js';
import type { RegistrableMetric, Registry } from '../prometheus/registry.js';
import type { Labels, SummaryFamily, SummaryPoint } from '../export/prom-model.js';
import { BASE } from './prom-monitor-sources.js';
import type {
  AlertSource,
  Base,
  CollectorSource,
  LatencySource,
  PerformanceSource,
} from './prom-monitor-sources.js';

/** Performance fields that are bookkeeping, not metrics. */
const NOT_METRICS = new Set([
  'numSamples',
  'dropped',
  'degradation',
  'pendingLabels',
  'expiredLabels',
  'unmatchedLabels',
]);
/** Cumulative drop counts of a performance monitor → `reason` label of `edgewatch_values_dropped_total`. */
const PERFORMANCE_DROPS: readonly (readonly [string, string])[] = [
  ['dropped', 'performance'],
  ['expiredLabels', 'label_expired'],
  ['unmatchedLabels', 'label_unmatched'],
];

/**
 * A summary family whose points are replaced at each scrape by `collect`
 * (quantiles computed elsewhere, e.g. a MetricsCollector's sketches). At most
 * `maxSeries` points are kept; the others are left out and counted in
 * `overflowCount` (quantiles of different series cannot be folded together).
 */
class SnapshotSummary implements RegistrableMetric {
  readonly type = 'summary' as const;
  private points: SummaryPoint[] = [];
  private overflowed = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly maxSeries: number,
    private readonly read: () => Promise<SummaryPoint[]>,
  ) {}

  async collect(): Promise<void> {
    const points = await this.read();
    this.overflowed += Math.max(0, points.length - this.maxSeries);
    this.points = points.slice(0, this.maxSeries);
  }
  snapshot(): SummaryFamily {
    return { type: 'summary', name: this.name, help: this.help, points: this.points };
  }
  reset(): void {
    this.points = [];
  }
  droppedCounts(): Record<string, number> {
    return {};
  }
  get overflowCount(): number {
    return this.overflowed;
  }
}

/** The metric objects of one registry, created on first use. */
export class MonitorFamilies {
  private readonly metrics = new Map<string, Counter | Gauge | Histogram | SnapshotSummary>();
  private readonly lastDropped = new Map<object, Map<string, number>>();

  /**
   * @param registry - where the metrics register.
   * @param maxSeries - series cap of every metric.
   * @param boundariesMs - latency bucket boundaries in milliseconds.
   */
  constructor(
    private readonly registry: Registry,
    private readonly maxSeries: number,
    private readonly boundariesMs: readonly number[],
  ) {}

  private get<T extends Counter | Gauge | Histogram>(name: string, make: () => T): T {
    let m = this.metrics.get(name) as T | undefined;
    if (!m) {
      m = make();
      this.metrics.set(name, m);
    }
    return m;
  }

  /**
   * `edgewatch_prediction_latency_seconds`, refreshed from every source's sketch at scrape time.
   *
   * @param sources - latency sources and their labels (read at each scrape).
   * @returns the histogram.
   */
  latencyHistogram(sources: ReadonlyMap<LatencySource, Record<Base, string>>): Histogram {
    const boundaries = this.boundariesMs;
    const dropped = (src: object, labels: Record<Base, string>, n: number): void =>
      this.countDropped(src, labels, n, 'latency');
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
                dropped(src, labels, snap.percentiles.dropped);
              } catch (error) {
                failure ??= error; // the other sources are still exported; the registry counts it
              }
            }
            if (failure !== undefined) throw failure;
          },
        }),
    );
  }

  /**
   * `edgewatch_model_metric`, `edgewatch_accuracy`, `edgewatch_degradation_ratio`, read at scrape time.
   *
   * @param sources - performance sources and their labels (read at each scrape).
   * @returns the `edgewatch_model_metric` gauge.
   */
  performanceGauges(sources: ReadonlyMap<PerformanceSource, Record<Base, string>>): Gauge {
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
    const dropped = (src: object, labels: Record<Base, string>, n: unknown, reason: string): void =>
      this.countDropped(src, labels, n, reason);
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
              for (const [field, reason] of PERFORMANCE_DROPS)
                dropped(src, labels, m[field], reason);
            }
          },
        }),
    ) as Gauge;
  }

  /**
   * `edgewatch_alerts_firing` (read at scrape time) and `edgewatch_alerts_fired_total`.
   *
   * @param sources - alert sources and their labels (read at each scrape).
   * @returns both metrics.
   */
  alertMetrics(sources: ReadonlyMap<AlertSource, { labels: Record<Base, string> }>): {
    firing: Gauge;
    fired: Counter;
  } {
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

  /**
   * `edgewatch_recorded_value{metric}`: every collector's snapshot at scrape time
   * (one engine round trip per collector), and its drops.
   *
   * @param sources - collectors and their labels (read at each scrape).
   */
  collectorSummary(sources: ReadonlyMap<CollectorSource, Record<Base, string>>): void {
    if (this.metrics.has(EDGEWATCH_METRICS.recorded)) return;
    const read = async (): Promise<SummaryPoint[]> => {
      const points: SummaryPoint[] = [];
      let failure: unknown;
      for (const [src, labels] of sources) {
        try {
          const snap = await src.snapshot();
          let dropped = 0;
          for (const [metric, m] of Object.entries(snap)) {
            dropped += m.dropped;
            const l: Labels = { ...labels, metric };
            points.push({
              labels: l,
              count: m.count,
              sum: m.sum,
              quantiles: [
                { quantile: 0.5, value: m.p50 },
                { quantile: 0.95, value: m.p95 },
                { quantile: 0.99, value: m.p99 },
              ],
            });
          }
          this.countDropped(src, labels, dropped, 'collector_value');
          this.countDropped(src, labels, src.droppedNames, 'collector_name');
        } catch (error) {
          failure ??= error; // the other collectors are still exported; the registry counts it
        }
      }
      if (failure !== undefined) throw failure;
      return points;
    };
    const metric = new SnapshotSummary(
      EDGEWATCH_METRICS.recorded,
      'Values recorded in a MetricsCollector, by name (quantiles from its sketch).',
      [...BASE, 'metric'],
      this.maxSeries,
      read,
    );
    this.registry.registerMetric(metric);
    this.metrics.set(EDGEWATCH_METRICS.recorded, metric);
  }

  /**
   * The drift gauges (set on each published result).
   *
   * @returns statistic, p-value, detected and share gauges.
   */
  driftGauges(): { statistic: Gauge; pValue: Gauge; detected: Gauge; share: Gauge } {
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

  /**
   * `edgewatch_values_dropped_total{reason}`.
   *
   * @returns the counter.
   */
  droppedCounter(): Counter {
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

  /**
   * Turns a source's cumulative drop count into counter increments (a reset restarts from 0).
   *
   * @param src - the source.
   * @param labels - its labels.
   * @param total - its cumulative count (ignored unless a finite number >= 0).
   * @param reason - the `reason` label.
   */
  countDropped(src: object, labels: Record<Base, string>, total: unknown, reason: string): void {
    if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) return;
    let last = this.lastDropped.get(src);
    if (!last) this.lastDropped.set(src, (last = new Map()));
    const before = last.get(reason) ?? 0;
    const delta = total >= before ? total - before : total;
    last.set(reason, total);
    if (delta > 0) this.droppedCounter().inc({ ...labels, reason }, delta);
  }

  /**
   * Forgets a source's drop bookkeeping.
   *
   * @param src - the source.
   */
  forget(src: object): void {
    this.lastDropped.delete(src);
  }
}
