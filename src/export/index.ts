/** What `src/export/` offers: Prometheus exposition, Pushgateway, `/metrics` server, OTLP/JSON, metric names. */
export type {
  MetricType,
  Labels,
  ExponentialBuckets,
  CounterPoint,
  GaugePoint,
  CumulativeBucket,
  HistogramPoint,
  SummaryPoint,
  MetricFamily,
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  SummaryFamily,
} from './prom-model.js';
export {
  isValidMetricName,
  isValidLabelName,
  counterBaseName,
  exposedNames,
} from './prom-names.js';
export {
  escapeLabelValue,
  escapeHelpText,
  escapeHelpOpenMetrics,
  formatValue,
} from './prom-escape.js';
export {
  PROMETHEUS_CONTENT_TYPE,
  OPENMETRICS_CONTENT_TYPE,
  negotiateFormat,
  contentTypeFor,
  formatExposition,
} from './exposition.js';
export type { ExpositionFormat } from './exposition.js';
export { serveMetrics } from './node-server.js';
export type { ServeMetricsOptions, MetricsServer, MetricsSource } from './node-server.js';
export { pushToGateway, deleteFromGateway, groupPath } from './pushgateway.js';
export type { PushOptions, PushgatewayOptions, ExpositionSource } from './pushgateway.js';
export { pushOtlp } from './otlp-push.js';
export type { PushOtlpOptions, SnapshotSource } from './otlp-push.js';
export {
  toOtlpRequest,
  otlpNameAndUnit,
  exponentialHistogramPoint,
  toAttributes,
  unixNano,
  AGGREGATION_TEMPORALITY_CUMULATIVE,
} from './otlp.js';
export type { OtlpOptions, OtlpJson, OtlpKeyValue } from './otlp.js';
export {
  EDGEWATCH_METRICS,
  OTEL_METRICS,
  EDGEWATCH_LABELS,
  MS_PER_SECOND,
  LATENCY_BUCKETS_MS,
  allMetricNames,
} from './metric-names.js';
export type { EdgewatchMetricKey } from './metric-names.js';
