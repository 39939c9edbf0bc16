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
 */
import type { ExponentialBuckets, Labels, MetricFamily } from './prom-model.js';
import { counterBaseName } from './prom-names.js';

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
  /** Resource attributes (e.g. `{ 'service.name': 'robot-console' }`). */
  resource?: Record<string, string | number | boolean>;
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
  bytes: 'By',
  ratio: '1',
  celsius: 'Cel',
};

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
  const start = (created: number | undefined): OtlpJson =>
    created !== undefined ? { startTimeUnixNano: unixNano(created * 1000) } : {};
  const metrics: OtlpJson[] = [];
  for (const f of families) {
    const head: OtlpJson = {
      name: f.type === 'counter' ? counterBaseName(f.name) : f.name,
      description: f.help,
      unit: f.unit ? (UCUM[f.unit] ?? f.unit) : '',
    };
    switch (f.type) {
      case 'counter':
        metrics.push({
          ...head,
          sum: {
            dataPoints: f.points.map((p) => ({
              attributes: toAttributes(p.labels),
              ...start(p.created),
              timeUnixNano: time,
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
            dataPoints: f.points.map((p) => ({
              attributes: toAttributes(p.labels),
              timeUnixNano: time,
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
              attributes: toAttributes(p.labels),
              ...start(p.created),
              timeUnixNano: time,
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
              attributes: toAttributes(p.labels),
              ...start(p.created),
              timeUnixNano: time,
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
        resource: { attributes: toAttributes(options.resource ?? {}) },
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
