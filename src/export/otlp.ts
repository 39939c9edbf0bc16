/**
 * OTLP/HTTP JSON export: maps {@link MetricFamily} snapshots to an
 * `ExportMetricsServiceRequest` (opentelemetry-proto `metrics/v1`, proto3 JSON
 * mapping with lowerCamelCase field names) and posts it.
 *
 * Mapping: counter → `sum` (monotonic, cumulative); gauge → `gauge`; classic
 * histogram → `histogram` (`explicitBounds` + non-cumulative `bucketCounts`);
 * sketch-backed histogram → `exponentialHistogram`, the sketch's buckets one to
 * one (`scale`, `zeroCount`, `positive`/`negative` `{ offset, bucketCounts }`);
 * summary → `summary` (`quantileValues`). 64-bit integers (`timeUnixNano`,
 * `count`, `bucketCounts`) are decimal strings and enums are integers, as the
 * OTLP/JSON encoding requires; non-finite doubles are `"NaN"`/`"Infinity"`.
 *
 * Names and units follow OpenTelemetry (`naming: 'otel'`, the default):
 * edgewatch's own metrics get their semantic-convention-style names from
 * {@link OTEL_METRICS}; any other metric loses its `_total` (counters) and its
 * `_<unit>` suffix (the unit goes in `unit`, as UCUM). The resource carries
 * `service.name` (required by the resource conventions; `unknown_service:edgewatch`
 * when not given), `service.version` and the device as `device.id`.
 */
import type { ExponentialBuckets, Labels, MetricFamily } from './prom-model.js';
import { counterBaseName } from './prom-names.js';
import {
  EDGEWATCH_METRICS,
  OTEL_METRICS,
  type EdgewatchMetricKey,
  type OtelMetricName,
} from './metric-names.js';

/** A metric's name and unit in an OTLP request. */
export interface OtlpNameAndUnit {
  /** The OTLP metric name. */
  name: string;
  /** UCUM unit, `''` when none. */
  unit: string;
}

/** `AGGREGATION_TEMPORALITY_CUMULATIVE`. */
export const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;

/** OTLP `KeyValue` with an `AnyValue`. */
export interface OtlpKeyValue {
  key: string;
  value:
    | { stringValue: string }
    | { boolValue: boolean }
    | { intValue: string }
    | { doubleValue: number | string };
}

/** A JSON object of the request (kept loose: the field names are the contract, checked in tests). */
export type OtlpJson = { [key: string]: unknown };

/** Options of {@link toOtlpRequest}. */
export interface OtlpOptions {
  /** `service.name` of the resource (default `unknown_service:edgewatch`, as the OTel SDKs do). */
  serviceName?: string;
  /** `service.version` of the resource (e.g. the application's version). */
  serviceVersion?: string;
  /**
   * The device, as resource attribute `device.id` (semantic conventions: "a unique identifier
   * representing the device"; `service.instance.id` names one running process instead, which
   * changes across restarts, while edgewatch's device id is the robot or installation).
   */
  deviceId?: string;
  /** More resource attributes; they override the three above. */
  resource?: Record<string, string | number | boolean>;
  /**
   * `'otel'` (default): OpenTelemetry names and UCUM units; `'prometheus'`: the Prometheus
   * family names (without `_total`) and the family's unit as declared.
   */
  naming?: 'otel' | 'prometheus';
  /** Instrumentation scope; default `{ name: 'edgewatch' }`. */
  scope?: {
    /** Scope name. */
    name: string;
    /** Scope version, left out of the request when absent or empty. */
    version?: string;
  };
  /** Collection time in epoch milliseconds (default `Date.now()`). */
  timeMs?: number;
}

/**
 * Epoch milliseconds → OTLP nanoseconds as a decimal string (exact for
 * integer and sub-millisecond inputs to 1 ns).
 *
 * @param ms - epoch milliseconds.
 * @returns nanoseconds as a string.
 * @example
 * unixNano(1544712660300); // => '1544712660300000000'
 */
export function unixNano(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(frac)).toString();
}

/**
 * Labels → OTLP attributes (string values).
 *
 * @param labels - label name → value.
 * @returns `KeyValue[]`.
 * @example
 * toAttributes({ model: 'a' }); // => [{ key: 'model', value: { stringValue: 'a' } }]
 */
export function toAttributes(
  labels: Readonly<Record<string, string | number | boolean>>,
): OtlpKeyValue[] {
  return Object.entries(labels).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: jsonDouble(v) },
  }));
}

/** proto3 JSON for a double: numbers, or "NaN" / "Infinity" / "-Infinity". */
function jsonDouble(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/**
 * One OTLP `ExponentialHistogramDataPoint` from an exponential sketch layout,
 * bucket for bucket (the kernel's `SketchBuckets` is exactly this layout).
 *
 * @param buckets - scale, zero count, positive and negative sides.
 * @param stats - `count`, `sum`, optional `min`/`max`.
 * @param attributes - series labels.
 * @param times - `startMs` (series start) and `timeMs` (collection), epoch ms.
 * @returns the data point JSON.
 * @example
 * exponentialHistogramPoint({ scale: 0, zeroCount: 0, positive: { offset: 0, counts: [1] }, negative: { offset: 0, counts: [] } },
 *   { count: 1, sum: 1.5 }, {}, { timeMs: 0 });
 */
export function exponentialHistogramPoint(
  buckets: ExponentialBuckets,
  stats: { count: number; sum: number; min?: number; max?: number },
  attributes: Labels,
  times: { startMs?: number; timeMs: number },
): OtlpJson {
  const point: OtlpJson = {
    attributes: toAttributes(attributes),
    ...(times.startMs !== undefined ? { startTimeUnixNano: unixNano(times.startMs) } : {}),
    timeUnixNano: unixNano(times.timeMs),
    count: String(stats.count),
    sum: jsonDouble(stats.sum),
    scale: buckets.scale,
    zeroCount: String(buckets.zeroCount),
    positive: {
      offset: buckets.positive.offset,
      bucketCounts: Array.from(buckets.positive.counts, String),
    },
    negative: {
      offset: buckets.negative.offset,
      bucketCounts: Array.from(buckets.negative.counts, String),
    },
  };
  if (stats.count > 0 && stats.min !== undefined) point['min'] = jsonDouble(stats.min);
  if (stats.count > 0 && stats.max !== undefined) point['max'] = jsonDouble(stats.max);
  return point;
}

/** UCUM units for common Prometheus unit suffixes. */
const UCUM: Record<string, string> = {
  seconds: 's',
  milliseconds: 'ms',
  ms: 'ms',
  bytes: 'By',
  ratio: '1',
  celsius: 'Cel',
};

const OTEL_BY_PROM = new Map<string, OtelMetricName>(
  (Object.keys(EDGEWATCH_METRICS) as EdgewatchMetricKey[]).map((k) => [
    EDGEWATCH_METRICS[k],
    OTEL_METRICS[k],
  ]),
);

/**
 * The OTLP name and unit of a family.
 *
 * @param f - the family.
 * @param naming - `'otel'` or `'prometheus'`.
 * @returns name and UCUM unit ('' when none).
 * @example
 * otlpNameAndUnit({ name: 'edgewatch_predictions_total', type: 'counter', … }, 'otel');
 * // => { name: 'edgewatch.predictions', unit: '{prediction}' }
 */
export function otlpNameAndUnit(
  f: Pick<MetricFamily, 'name' | 'type' | 'unit'>,
  naming: 'otel' | 'prometheus' = 'otel',
): OtlpNameAndUnit {
  const base = f.type === 'counter' ? counterBaseName(f.name) : f.name;
  const declared = f.unit ? (UCUM[f.unit] ?? f.unit) : '';
  if (naming === 'prometheus') return { name: base, unit: declared };
  const known = OTEL_BY_PROM.get(f.name);
  if (known) return { name: known.name, unit: known.unit ?? declared };
  const suffix = f.unit ? `_${f.unit}` : '';
  const name =
    suffix && base.endsWith(suffix) && base !== suffix ? base.slice(0, -suffix.length) : base;
  return { name, unit: declared };
}

/**
 * The OTLP resource attributes: `service.name` (always), `service.version`,
 * `device.id`, then `options.resource`.
 *
 * @param options - see {@link OtlpOptions}.
 * @returns attribute name → value.
 */
export function otlpResource(options: OtlpOptions): Record<string, string | number | boolean> {
  return {
    'service.name': options.serviceName ?? 'unknown_service:edgewatch',
    ...(options.serviceVersion !== undefined ? { 'service.version': options.serviceVersion } : {}),
    ...(options.deviceId !== undefined ? { 'device.id': options.deviceId } : {}),
    ...options.resource,
  };
}

/**
 * Maps snapshots to an `ExportMetricsServiceRequest`.
 *
 * @param families - snapshots (e.g. `await registry.getMetricsAsJSON()`).
 * @param options - resource attributes, scope, collection time.
 * @returns the request object, ready for `JSON.stringify`. Cost O(series × buckets).
 * @example
 * const body = JSON.stringify(toOtlpRequest(await registry.getMetricsAsJSON(), { resource: { 'service.name': 'robot' } }));
 */
export function toOtlpRequest(
  families: readonly MetricFamily[],
  options: OtlpOptions = {},
): OtlpJson {
  const timeMs = options.timeMs ?? Date.now();
  const time = unixNano(timeMs);
  /** The fields every point starts with: attributes, the series' start (when known), time. */
  const pointHead = (p: { labels: Labels; created?: number }): OtlpJson => ({
    attributes: toAttributes(p.labels),
    ...(p.created !== undefined ? { startTimeUnixNano: unixNano(p.created * 1000) } : {}),
    timeUnixNano: time,
  });
  const metrics: OtlpJson[] = [];
  for (const f of families) {
    const { name, unit } = otlpNameAndUnit(f, options.naming);
    const head: OtlpJson = { name, description: f.help, unit };
    switch (f.type) {
      case 'counter':
        metrics.push({
          ...head,
          sum: {
            dataPoints: f.points.map((p) => ({
              ...pointHead(p),
              asDouble: jsonDouble(p.value),
            })),
            aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE,
            isMonotonic: true,
          },
        });
        break;
      case 'gauge':
        metrics.push({
          ...head,
          gauge: {
            // a gauge point has no start time
            dataPoints: f.points.map((p) => ({
              ...pointHead({ labels: p.labels }),
              asDouble: jsonDouble(p.value),
            })),
          },
        });
        break;
      case 'histogram': {
        const exp = f.points.length > 0 && f.points.every((p) => p.exponential !== undefined);
        if (exp) {
          const dataPoints = f.points.map((p) =>
            exponentialHistogramPoint(p.exponential as ExponentialBuckets, p, p.labels, {
              ...(p.created !== undefined ? { startMs: p.created * 1000 } : {}),
              timeMs,
            }),
          );
          metrics.push({
            ...head,
            exponentialHistogram: {
              dataPoints,
              aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE,
            },
          });
        } else {
          const dataPoints = f.points.map((p) => {
            const finite = p.buckets.filter((b) => b.le !== Infinity);
            let prev = 0;
            const bucketCounts = p.buckets.map((b) => {
              const c = b.count - prev;
              prev = b.count;
              return String(c);
            });
            return {
              ...pointHead(p),
              count: String(p.count),
              sum: jsonDouble(p.sum),
              bucketCounts,
              explicitBounds: finite.map((b) => b.le),
              ...(p.count > 0 && p.min !== undefined ? { min: p.min } : {}),
              ...(p.count > 0 && p.max !== undefined ? { max: p.max } : {}),
            };
          });
          metrics.push({
            ...head,
            histogram: { dataPoints, aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE },
          });
        }
        break;
      }
      case 'summary':
        metrics.push({
          ...head,
          summary: {
            dataPoints: f.points.map((p) => ({
              ...pointHead(p),
              count: String(p.count),
              sum: jsonDouble(p.sum),
              quantileValues: p.quantiles.map((q) => ({
                quantile: q.quantile,
                value: jsonDouble(q.value),
              })),
            })),
          },
        });
        break;
    }
  }
  const scope = options.scope ?? { name: 'edgewatch' };
  return {
    resourceMetrics: [
      {
        resource: { attributes: toAttributes(otlpResource(options)) },
        scopeMetrics: [
          {
            scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
            metrics,
          },
        ],
      },
    ],
  };
}
