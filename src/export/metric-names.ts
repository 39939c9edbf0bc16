/**
 * The metric names edgewatch exports to Prometheus (and, with the same names, to
 * OTLP). One list shared by the collector's `/metrics`, the monitors' `registry`
 * option, the Grafana dashboard and its structural test: a panel may only query
 * a name listed here.
 *
 * Conventions (Prometheus naming, checked by `promtool check metrics`):
 * - base units: latency is exported in **seconds** (`_seconds`), although the
 *   library records milliseconds. `promtool` rejects abbreviated units such as
 *   `_ms` ("metric names should not contain abbreviated units"), and
 *   `histogram_quantile` users expect seconds. Convert with {@link MS_PER_SECOND}:
 *   a millisecond boundary `b` is exported as `le = b / 1000`. OTLP keeps
 *   milliseconds (unit `ms`) so that the exponential buckets map one to one.
 * - counters end in `_total`; ratios are unitless gauges in [0, 1] (`_ratio`).
 * - label values are bounded: every metric caps its series (see `maxSeries` on
 *   the metric classes) and counts the overflow in {@link EDGEWATCH_METRICS.seriesOverflow}.
 */

/** Label names used across edgewatch metrics. */
export const EDGEWATCH_LABELS = {
  /** Model name, e.g. `perception`. */
  model: 'model',
  /** Model version string. */
  modelVersion: 'model_version',
  /** Device (or installation) identifier; bounded by the collector. */
  device: 'device',
  /** Input feature name (drift). */
  feature: 'feature',
  /** Drift method (`ks`, `psi`, …). */
  method: 'method',
  /** Alert severity (`info`, `warning`, `critical`). */
  severity: 'severity',
  /** Alert rule name. */
  alert: 'alert',
  /** Why something was dropped (`nan`, `overflow`, `quota`, …). */
  reason: 'reason',
  /** Performance metric name (`accuracy`, `mae`, `f1`, …). */
  metric: 'metric',
} as const;

/** Names of the metrics edgewatch exports. Values are exact Prometheus metric names. */
export const EDGEWATCH_METRICS = {
  /** Histogram (seconds): prediction latency. Labels: model, model_version, device. */
  latency: 'edgewatch_prediction_latency_seconds',
  /** Summary (seconds): fleet-wide latency quantiles from merged sketches (collector). Labels: model, model_version. */
  fleetLatency: 'edgewatch_fleet_prediction_latency_seconds',
  /** Gauge: fleet-merged feature profile vs the reference over the last hour (collector). Labels: model, version, feature, method (`ks`, `chi_square`, `psi`, `jensen_shannon`). */
  fleetFeatureDrift: 'edgewatch_fleet_feature_drift',
  /** Gauge in [0, 1]: share of features drifted in the fleet-merged profiles (collector). Labels: model, version. */
  fleetDriftShare: 'edgewatch_fleet_drift_share',
  /** Gauge: devices with at least one drifted feature over the last hour (collector). Labels: model, version. */
  fleetDriftedDevices: 'edgewatch_fleet_drifted_devices',
  /** Counter: predictions observed. Labels: model, model_version, device. */
  predictions: 'edgewatch_predictions_total',
  /** Gauge in [0, 1]: accuracy over the current window. Labels: model, model_version, device. */
  accuracy: 'edgewatch_accuracy',
  /** Gauge: any performance metric by name. Labels: model, model_version, device, metric. */
  performance: 'edgewatch_model_metric',
  /** Gauge: relative drop against the baseline, positive = worse. Labels: model, model_version, device, metric. */
  degradation: 'edgewatch_degradation_ratio',
  /** Gauge: drift statistic or distance. Labels: model, model_version, device, feature, method. */
  drift: 'edgewatch_drift_statistic',
  /** Gauge: drift test p-value (hypothesis tests only). Labels as {@link EDGEWATCH_METRICS.drift}. */
  driftPValue: 'edgewatch_drift_p_value',
  /** Gauge 0/1: drift detected. Labels as {@link EDGEWATCH_METRICS.drift}. */
  driftDetected: 'edgewatch_drift_detected',
  /** Gauge in [0, 1]: share of drifted features. Labels: model, model_version, device. */
  driftShare: 'edgewatch_drift_share_ratio',
  /** Gauge: output drift statistic or distance (the model's predictions). Labels: model, model_version, device, method. */
  outputDrift: 'edgewatch_output_drift_statistic',
  /** Gauge: output drift test p-value (hypothesis tests only). Labels as {@link EDGEWATCH_METRICS.outputDrift}. */
  outputDriftPValue: 'edgewatch_output_drift_p_value',
  /** Gauge 0/1: output drift detected. Labels as {@link EDGEWATCH_METRICS.outputDrift}. */
  outputDriftDetected: 'edgewatch_output_drift_detected',
  /** Summary (seconds): time in a serving endpoint's handler (`edgewatch/serve`). Labels: route, method. */
  httpDuration: 'edgewatch_http_request_duration_seconds',
  /** Counter: requests a serving endpoint handled. Labels: route, method, status. */
  httpRequests: 'edgewatch_http_requests_total',
  /** Counter: requests that failed (status >= 500 or a throw). Labels: route, method. */
  httpErrors: 'edgewatch_http_request_errors_total',
  /** Gauge: alerts currently firing. Labels: model, device, alert, severity. */
  alertsFiring: 'edgewatch_alerts_firing',
  /** Counter: alerts fired. Labels: model, device, alert, severity. */
  alertsFired: 'edgewatch_alerts_fired_total',
  /** Counter: retraining runs triggered. Labels: model, device. */
  retrainTriggered: 'edgewatch_retrain_triggered_total',
  /** Counter: windows dropped before delivery. Labels: device, reason. */
  windowsDropped: 'edgewatch_windows_dropped_total',
  /** Gauge: windows waiting in the outbox. Labels: device. */
  windowsQueued: 'edgewatch_windows_queued',
  /** Counter: windows ingested by the collector. Labels: device. */
  windowsIngested: 'edgewatch_windows_ingested_total',
  /** Gauge: Unix time (seconds) of the last window received. Labels: device. */
  lastWindow: 'edgewatch_last_window_timestamp_seconds',
  /**
   * Summary: values recorded in a MetricsCollector, by name (quantiles 0.5/0.95/0.99 from its
   * sketch, `_sum`, `_count`; in the recorded unit). Labels: model, model_version, device, metric.
   */
  recorded: 'edgewatch_recorded_value',
  /**
   * Counter: input values dropped (NaN, non-finite, out of range). Labels: model, model_version,
   * device, reason (`latency`, `performance`, `label_expired`, `label_unmatched`,
   * `drift_missing`, `collector_value`, `collector_name`).
   */
  valuesDropped: 'edgewatch_values_dropped_total',
  /** Counter: collector HTTP requests. Labels: route, code. */
  collectorRequests: 'edgewatch_collector_requests_total',
  /** Counter: windows the collector received again (ignored). */
  collectorDuplicates: 'edgewatch_collector_windows_duplicate_total',
  /** Counter: ingest requests the collector refused. Labels: reason. */
  collectorRejected: 'edgewatch_collector_requests_rejected_total',
  /** Counter (registry self-metric): observations folded into a metric's overflow series. Labels: metric. */
  seriesOverflow: 'edgewatch_metric_series_overflow_total',
  /** Counter (registry self-metric): observations dropped by a metric (NaN, non-finite). Labels: metric, reason. */
  samplesDropped: 'edgewatch_metric_samples_dropped_total',
  /** Counter (registry self-metric): `collect` callbacks that threw. Labels: metric. */
  collectErrors: 'edgewatch_metric_collect_errors_total',
} as const;

/** Key of {@link EDGEWATCH_METRICS}. */
export type EdgewatchMetricKey = keyof typeof EDGEWATCH_METRICS;

/**
 * The OpenTelemetry name and UCUM unit of each edgewatch metric, for OTLP
 * export. Names follow the semantic conventions' style: dot-separated
 * namespaces, no unit or `_total` suffix (the unit is its own field), snake_case
 * within a component; counts carry a UCUM annotation (`{window}`), ratios and
 * statistics the dimensionless `1`. `unit: undefined` keeps the unit the
 * metric was created with (latency: the library records milliseconds).
 */
export const OTEL_METRICS: Readonly<
  Record<EdgewatchMetricKey, { readonly name: string; readonly unit?: string }>
> = {
  latency: { name: 'edgewatch.prediction.duration' },
  fleetLatency: { name: 'edgewatch.fleet.prediction.duration' },
  fleetFeatureDrift: { name: 'edgewatch.fleet.feature_drift.statistic', unit: '1' },
  fleetDriftShare: { name: 'edgewatch.fleet.drift.share', unit: '1' },
  fleetDriftedDevices: { name: 'edgewatch.fleet.drifted_devices', unit: '{device}' },
  predictions: { name: 'edgewatch.predictions', unit: '{prediction}' },
  accuracy: { name: 'edgewatch.model.accuracy', unit: '1' },
  performance: { name: 'edgewatch.model.metric', unit: '1' },
  degradation: { name: 'edgewatch.model.degradation', unit: '1' },
  drift: { name: 'edgewatch.drift.statistic', unit: '1' },
  driftPValue: { name: 'edgewatch.drift.p_value', unit: '1' },
  driftDetected: { name: 'edgewatch.drift.detected', unit: '1' },
  driftShare: { name: 'edgewatch.drift.share', unit: '1' },
  outputDrift: { name: 'edgewatch.output_drift.statistic', unit: '1' },
  outputDriftPValue: { name: 'edgewatch.output_drift.p_value', unit: '1' },
  outputDriftDetected: { name: 'edgewatch.output_drift.detected', unit: '1' },
  httpDuration: { name: 'edgewatch.http.server.request.duration', unit: 's' },
  httpRequests: { name: 'edgewatch.http.server.requests', unit: '{request}' },
  httpErrors: { name: 'edgewatch.http.server.request.errors', unit: '{request}' },
  alertsFiring: { name: 'edgewatch.alerts.firing', unit: '{alert}' },
  alertsFired: { name: 'edgewatch.alerts.fired', unit: '{alert}' },
  retrainTriggered: { name: 'edgewatch.retrain.triggered', unit: '{run}' },
  windowsDropped: { name: 'edgewatch.windows.dropped', unit: '{window}' },
  windowsQueued: { name: 'edgewatch.windows.queued', unit: '{window}' },
  windowsIngested: { name: 'edgewatch.windows.ingested', unit: '{window}' },
  lastWindow: { name: 'edgewatch.window.last_time', unit: 's' },
  recorded: { name: 'edgewatch.recorded.value' },
  valuesDropped: { name: 'edgewatch.values.dropped', unit: '{value}' },
  collectorRequests: { name: 'edgewatch.collector.requests', unit: '{request}' },
  collectorDuplicates: { name: 'edgewatch.collector.windows.duplicate', unit: '{window}' },
  collectorRejected: { name: 'edgewatch.collector.requests.rejected', unit: '{request}' },
  seriesOverflow: { name: 'edgewatch.metric.series.overflow', unit: '{observation}' },
  samplesDropped: { name: 'edgewatch.metric.samples.dropped', unit: '{observation}' },
  collectErrors: { name: 'edgewatch.metric.collect.errors', unit: '{error}' },
};

/** Milliseconds per second: divide a millisecond boundary or sum by this to export seconds. */
export const MS_PER_SECOND = 1000;

/**
 * Default latency boundaries in **milliseconds**: powers of two from 0.25 ms to
 * 16.4 s. Powers of two are bucket edges of the exponential sketch at every
 * scale ≥ 0, so classic counts derived from a sketch at these boundaries are
 * exact. Export as seconds with `b / MS_PER_SECOND`.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
]);

/**
 * Every exported metric name, for checks such as "every dashboard query names
 * an edgewatch metric".
 *
 * @returns the names of {@link EDGEWATCH_METRICS}, in declaration order.
 * @example
 * allMetricNames().includes('edgewatch_accuracy'); // => true
 */
export function allMetricNames(): string[] {
  return Object.values(EDGEWATCH_METRICS);
}
