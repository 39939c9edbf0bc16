/**
 * `edgewatch/prometheus`: the Prometheus client (registry, metric classes,
 * buckets), the exporter that publishes monitors, the text exposition,
 * Pushgateway and OTLP pushes, and `serveMetrics` (Node). The registry and
 * the four metric classes are also exported from `edgewatch`.
 */
export * from '../prometheus/registry.js';
export * from '../prometheus/metric.js';
export * from '../prometheus/counter.js';
export * from '../prometheus/gauge.js';
export * from '../prometheus/histogram.js';
export * from '../prometheus/summary.js';
export { ObservedMetric } from '../prometheus/observed-metric.js';
export type { ObserverChild } from '../prometheus/observed-metric.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from '../prometheus/prom-buckets.js';
export { classicFromSketch, isSketchEdge } from '../prometheus/prom-sketch.js';
export { MonitorExporter } from '../metrics/prom-monitors.js';
export type {
  MonitorMetricsOptions,
  SourceLabels,
  LatencySource,
  CollectorSource,
  PerformanceSource,
  AlertSource,
  DriftResultLike,
  DriftTableLike,
} from '../metrics/prom-monitor-sources.js';
export {
  PROMETHEUS_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  formatExposition,
  negotiateFormat,
} from '../export/exposition.js';
export type { ExpositionFormat } from '../export/exposition.js';
export type {
  MetricFamily,
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  SummaryFamily,
  MetricType,
  ExponentialBuckets,
} from '../export/prom-model.js';
export { serveMetrics } from '../export/node-server.js';
export type { ServeMetricsOptions, MetricsServer } from '../export/node-server.js';
export { pushToGateway, deleteFromGateway } from '../export/pushgateway.js';
export type { PushOptions, PushgatewayOptions } from '../export/pushgateway.js';
export { toOtlpRequest, otlpNameAndUnit, exponentialHistogramPoint } from '../export/otlp.js';
export type { OtlpOptions, OtlpNameAndUnit } from '../export/otlp.js';
export { encodeOtlpMetricsRequest } from '../export/otlp-proto-encode.js';
export { pushOtlp } from '../export/otlp-push.js';
export type { PushOtlpOptions } from '../export/otlp-push.js';
export {
  EDGEWATCH_METRICS,
  OTEL_METRICS,
  EDGEWATCH_LABELS,
  LATENCY_BUCKETS_MS,
} from '../export/metric-names.js';
export type { EdgewatchMetricKey, OtelMetricName } from '../export/metric-names.js';
