/**
 * The protobuf fields of OTLP metrics requests (opentelemetry-proto
 * `collector/metrics/v1`, `metrics/v1`, `common/v1`, `resource/v1`) that
 * edgewatch reads and writes: message name → field number → [JSON name, type,
 * repeated]. One table for the collector's decoder and the exporter's encoder.
 * Exemplars are left out.
 */
/** A protobuf scalar type used by OTLP. */
export type OtlpScalar =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'sint32'
  | 'fixed64'
  | 'sfixed64'
  | 'double'
  | 'enum';
/** [JSON name, type (a scalar or a message name), repeated]. */
export type OtlpField = [name: string, type: OtlpScalar | string, repeated?: true];

const R = true as const;

const POINT_TIMES: Record<number, OtlpField> = {
  2: ['startTimeUnixNano', 'fixed64'],
  3: ['timeUnixNano', 'fixed64'],
};
/** Message name → field number → field. */
export const OTLP_METRICS_SCHEMA: Record<string, Record<number, OtlpField>> = {
  ExportMetricsServiceRequest: { 1: ['resourceMetrics', 'ResourceMetrics', R] },
  ResourceMetrics: {
    1: ['resource', 'Resource'],
    2: ['scopeMetrics', 'ScopeMetrics', R],
    3: ['schemaUrl', 'string'],
  },
  Resource: { 1: ['attributes', 'KeyValue', R], 2: ['droppedAttributesCount', 'uint32'] },
  ScopeMetrics: {
    1: ['scope', 'InstrumentationScope'],
    2: ['metrics', 'Metric', R],
    3: ['schemaUrl', 'string'],
  },
  InstrumentationScope: {
    1: ['name', 'string'],
    2: ['version', 'string'],
    3: ['attributes', 'KeyValue', R],
    4: ['droppedAttributesCount', 'uint32'],
  },
  KeyValue: { 1: ['key', 'string'], 2: ['value', 'AnyValue'] },
  AnyValue: {
    1: ['stringValue', 'string'],
    2: ['boolValue', 'bool'],
    3: ['intValue', 'int64'],
    4: ['doubleValue', 'double'],
    5: ['arrayValue', 'ArrayValue'],
    6: ['kvlistValue', 'KeyValueList'],
    7: ['bytesValue', 'bytes'],
  },
  ArrayValue: { 1: ['values', 'AnyValue', R] },
  KeyValueList: { 1: ['values', 'KeyValue', R] },
  Metric: {
    1: ['name', 'string'],
    2: ['description', 'string'],
    3: ['unit', 'string'],
    5: ['gauge', 'Gauge'],
    7: ['sum', 'Sum'],
    9: ['histogram', 'Histogram'],
    10: ['exponentialHistogram', 'ExponentialHistogram'],
    11: ['summary', 'Summary'],
    12: ['metadata', 'KeyValue', R],
  },
  Gauge: { 1: ['dataPoints', 'NumberDataPoint', R] },
  Sum: {
    1: ['dataPoints', 'NumberDataPoint', R],
    2: ['aggregationTemporality', 'enum'],
    3: ['isMonotonic', 'bool'],
  },
  Histogram: {
    1: ['dataPoints', 'HistogramDataPoint', R],
    2: ['aggregationTemporality', 'enum'],
  },
  ExponentialHistogram: {
    1: ['dataPoints', 'ExponentialHistogramDataPoint', R],
    2: ['aggregationTemporality', 'enum'],
  },
  Summary: { 1: ['dataPoints', 'SummaryDataPoint', R] },
  NumberDataPoint: {
    ...POINT_TIMES,
    7: ['attributes', 'KeyValue', R],
    4: ['asDouble', 'double'],
    6: ['asInt', 'sfixed64'],
    8: ['flags', 'uint32'],
  },
  HistogramDataPoint: {
    ...POINT_TIMES,
    9: ['attributes', 'KeyValue', R],
    4: ['count', 'fixed64'],
    5: ['sum', 'double'],
    6: ['bucketCounts', 'fixed64', R],
    7: ['explicitBounds', 'double', R],
    10: ['flags', 'uint32'],
    11: ['min', 'double'],
    12: ['max', 'double'],
  },
  ExponentialHistogramDataPoint: {
    ...POINT_TIMES,
    1: ['attributes', 'KeyValue', R],
    4: ['count', 'fixed64'],
    5: ['sum', 'double'],
    6: ['scale', 'sint32'],
    7: ['zeroCount', 'fixed64'],
    8: ['positive', 'Buckets'],
    9: ['negative', 'Buckets'],
    10: ['flags', 'uint32'],
    12: ['min', 'double'],
    13: ['max', 'double'],
    14: ['zeroThreshold', 'double'],
  },
  Buckets: { 1: ['offset', 'sint32'], 2: ['bucketCounts', 'uint64', R] },
  SummaryDataPoint: {
    ...POINT_TIMES,
    7: ['attributes', 'KeyValue', R],
    4: ['count', 'fixed64'],
    5: ['sum', 'double'],
    6: ['quantileValues', 'ValueAtQuantile', R],
    8: ['flags', 'uint32'],
  },
  ValueAtQuantile: { 1: ['quantile', 'double'], 2: ['value', 'double'] },
};
