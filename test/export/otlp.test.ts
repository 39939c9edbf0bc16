/**
 * OTLP/HTTP JSON shape, checked against the message and field names of
 * opentelemetry-proto (opentelemetry/proto/collector/metrics/v1/metrics_service.proto,
 * metrics/v1/metrics.proto, common/v1/common.proto, resource/v1/resource.proto,
 * v1.x), transcribed below with their proto types. JSON names are the proto3
 * lowerCamelCase names; 64-bit integers are decimal strings; enums integers.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exponentialHistogramPoint, toOtlpRequest, unixNano } from '../../src/export/otlp.js';
import { pushOtlp } from '../../src/export/otlp-push.js';
import type { OtlpJson } from '../../src/export/otlp.js';
import { createReferenceKernel } from '../../src/kernel/reference/index.js';
import { TransportError } from '../../src/errors.js';
import { allTypesRegistry } from './all-types-registry.js';

type Scalar =
  'string' | 'bool' | 'double' | 'int32' | 'sint32' | 'uint32' | 'u64' | 'i64' | 'enum' | 'bytes';
interface Field {
  type: Scalar | string;
  repeated?: boolean;
}
const f = (type: string, repeated = false): Field => ({ type, repeated });
/** proto messages → JSON field name → type. `oneofs` lists groups of which at most/exactly one may be set. */
const SCHEMA: Record<string, Record<string, Field>> = {
  ExportMetricsServiceRequest: { resourceMetrics: f('ResourceMetrics', true) },
  ResourceMetrics: {
    resource: f('Resource'),
    scopeMetrics: f('ScopeMetrics', true),
    schemaUrl: f('string'),
  },
  Resource: { attributes: f('KeyValue', true), droppedAttributesCount: f('uint32') },
  ScopeMetrics: {
    scope: f('InstrumentationScope'),
    metrics: f('Metric', true),
    schemaUrl: f('string'),
  },
  InstrumentationScope: {
    name: f('string'),
    version: f('string'),
    attributes: f('KeyValue', true),
    droppedAttributesCount: f('uint32'),
  },
  KeyValue: { key: f('string'), value: f('AnyValue') },
  AnyValue: {
    stringValue: f('string'),
    boolValue: f('bool'),
    intValue: f('i64'),
    doubleValue: f('double'),
    bytesValue: f('bytes'),
  },
  Metric: {
    name: f('string'),
    description: f('string'),
    unit: f('string'),
    gauge: f('Gauge'),
    sum: f('Sum'),
    histogram: f('Histogram'),
    exponentialHistogram: f('ExponentialHistogram'),
    summary: f('Summary'),
    metadata: f('KeyValue', true),
  },
  Gauge: { dataPoints: f('NumberDataPoint', true) },
  Sum: {
    dataPoints: f('NumberDataPoint', true),
    aggregationTemporality: f('enum'),
    isMonotonic: f('bool'),
  },
  Histogram: { dataPoints: f('HistogramDataPoint', true), aggregationTemporality: f('enum') },
  ExponentialHistogram: {
    dataPoints: f('ExponentialHistogramDataPoint', true),
    aggregationTemporality: f('enum'),
  },
  Summary: { dataPoints: f('SummaryDataPoint', true) },
  NumberDataPoint: {
    attributes: f('KeyValue', true),
    startTimeUnixNano: f('u64'),
    timeUnixNano: f('u64'),
    asDouble: f('double'),
    asInt: f('i64'),
    flags: f('uint32'),
  },
  HistogramDataPoint: {
    attributes: f('KeyValue', true),
    startTimeUnixNano: f('u64'),
    timeUnixNano: f('u64'),
    count: f('u64'),
    sum: f('double'),
    bucketCounts: f('u64', true),
    explicitBounds: f('double', true),
    flags: f('uint32'),
    min: f('double'),
    max: f('double'),
  },
  ExponentialHistogramDataPoint: {
    attributes: f('KeyValue', true),
    startTimeUnixNano: f('u64'),
    timeUnixNano: f('u64'),
    count: f('u64'),
    sum: f('double'),
    scale: f('sint32'),
    zeroCount: f('u64'),
    positive: f('Buckets'),
    negative: f('Buckets'),
    flags: f('uint32'),
    min: f('double'),
    max: f('double'),
    zeroThreshold: f('double'),
  },
  Buckets: { offset: f('sint32'), bucketCounts: f('u64', true) },
  SummaryDataPoint: {
    attributes: f('KeyValue', true),
    startTimeUnixNano: f('u64'),
    timeUnixNano: f('u64'),
    count: f('u64'),
    sum: f('double'),
    quantileValues: f('ValueAtQuantile', true),
    flags: f('uint32'),
  },
  ValueAtQuantile: { quantile: f('double'), value: f('double') },
};
const ONEOF: Record<string, string[]> = {
  Metric: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'],
  NumberDataPoint: ['asDouble', 'asInt'],
  AnyValue: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue'],
};

function checkScalar(type: Scalar, v: unknown, path: string): void {
  const ok = {
    string: () => typeof v === 'string',
    bytes: () => typeof v === 'string',
    bool: () => typeof v === 'boolean',
    double: () => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity',
    int32: () => Number.isInteger(v),
    sint32: () => Number.isInteger(v),
    uint32: () => Number.isInteger(v) && (v as number) >= 0,
    enum: () => Number.isInteger(v),
    u64: () => typeof v === 'string' && /^\d+$/.test(v),
    i64: () => typeof v === 'string' && /^-?\d+$/.test(v),
  }[type]();
  if (!ok) throw new Error(`${path}: expected ${type}, got ${JSON.stringify(v)}`);
}

/** Throws on any field that is not in the proto message, or of the wrong JSON type. */
function validate(message: string, value: unknown, path = message): void {
  const fields = SCHEMA[message];
  if (!fields) throw new Error(`unknown message ${message}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${path}: expected an object`);
  for (const [key, v] of Object.entries(value)) {
    const field = fields[key];
    if (!field) throw new Error(`${path}: field "${key}" is not in ${message}`);
    const items = field.repeated
      ? Array.isArray(v)
        ? v
        : (() => {
            throw new Error(`${path}.${key}: expected an array`);
          })()
      : [v];
    items.forEach((item: unknown, i: number) => {
      const p = field.repeated ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (field.type in SCHEMA) validate(field.type, item, p);
      else checkScalar(field.type as Scalar, item, p);
    });
  }
  const group = ONEOF[message];
  if (group) {
    const set = group.filter((k) => k in (value as object));
    if (set.length !== 1)
      throw new Error(
        `${path}: expected exactly one of ${group.join('|')}, got ${set.join(',') || 'none'}`,
      );
  }
}

describe('toOtlpRequest', () => {
  it('produces a valid ExportMetricsServiceRequest for every type', async () => {
    const req = toOtlpRequest(await allTypesRegistry().getMetricsAsJSON(), {
      resource: { 'service.name': 'robot', 'host.cpus': 4, debug: true, ratio: 0.5 },
      scope: { name: 'edgewatch', version: '0.1.0' },
      timeMs: 1544712660300,
    });
    expect(() =>
      validate('ExportMetricsServiceRequest', JSON.parse(JSON.stringify(req))),
    ).not.toThrow();
  });

  it('the validator catches a wrong field name or type (it can fail)', () => {
    expect(() => validate('ExportMetricsServiceRequest', { resource_metrics: [] })).toThrow(
      /not in/,
    );
    expect(() => validate('HistogramDataPoint', { count: 3 })).toThrow(/u64/);
    expect(() => validate('Metric', { name: 'x' })).toThrow(/exactly one/);
  });

  it('maps values: sum monotonic cumulative, explicit buckets non-cumulative, summary quantiles, times in ns', async () => {
    const req = toOtlpRequest(await allTypesRegistry().getMetricsAsJSON(), {
      timeMs: 1544712660300,
    }) as { resourceMetrics: [{ scopeMetrics: [{ metrics: OtlpJson[] }] }] };
    const metrics = req.resourceMetrics[0].scopeMetrics[0].metrics;
    const byName = Object.fromEntries(metrics.map((m) => [m['name'], m])) as Record<
      string,
      Record<string, { dataPoints: OtlpJson[]; [k: string]: unknown }>
    >;
    expect(byName['jobs']?.['sum']).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(byName['jobs']?.['sum']?.dataPoints[0]).toMatchObject({
      asDouble: 3,
      timeUnixNano: '1544712660300000000',
      attributes: [{ key: 'kind', value: { stringValue: 'a' } }],
    });
    // OTel naming: the unit moves from the name's suffix to the unit field.
    expect(byName['temp']?.['unit']).toBe('s');
    expect(byName['temp']?.['gauge']?.dataPoints[0]).toMatchObject({ asDouble: -1.5 });
    expect(byName['lat_seconds']?.['histogram']?.dataPoints[0]).toMatchObject({
      count: '3',
      sum: 2.8,
      explicitBounds: [0.5, 1],
      bucketCounts: ['1', '1', '1'],
    });
    expect(byName['q']?.['summary']?.dataPoints[0]).toMatchObject({ count: '1', sum: 4 });
    expect(byName['empty']?.['summary']?.dataPoints[0]).toMatchObject({
      quantileValues: [{ quantile: 0.5, value: 'NaN' }],
    });
  });

  it('a sketch-backed histogram becomes an ExponentialHistogram with the sketch buckets one to one', async () => {
    const registry = allTypesRegistry();
    const req = toOtlpRequest(await registry.getMetricsAsJSON(), { timeMs: 0 }) as {
      resourceMetrics: [{ scopeMetrics: [{ metrics: OtlpJson[] }] }];
    };
    const m = req.resourceMetrics[0].scopeMetrics[0].metrics.find(
      (x) => x['name'] === 'elat_ms',
    ) as { exponentialHistogram: { dataPoints: OtlpJson[]; aggregationTemporality: number } };
    const dp = m.exponentialHistogram.dataPoints[0] as {
      scale: number;
      zeroCount: string;
      positive: { offset: number; bucketCounts: string[] };
      count: string;
      min: number;
      max: number;
    };
    // Independent reference: the same values recorded straight into a kernel sketch.
    const k = createReferenceKernel();
    const h = k.sketchCreate(3);
    k.sketchRecord(h, new Float64Array([0, 1, 1.5, 3, 3.1]));
    const ref = k.sketchBuckets(h);
    expect(dp.scale).toBe(3);
    expect(dp.zeroCount).toBe('1');
    expect(dp.positive.offset).toBe(ref.positive.offset);
    expect(dp.positive.bucketCounts).toEqual(Array.from(ref.positive.counts, String));
    expect(dp.count).toBe('5');
    expect([dp.min, dp.max]).toEqual([0, 3.1]);
    expect(m.exponentialHistogram.aggregationTemporality).toBe(2);
  });

  it('exponentialHistogramPoint and unixNano helpers', () => {
    const p = exponentialHistogramPoint(
      {
        scale: 0,
        zeroCount: 2,
        positive: { offset: -1, counts: [1, 0, 3] },
        negative: { offset: 0, counts: [] },
      },
      { count: 6, sum: 9, min: 0, max: 4 },
      { device: 'd' },
      { startMs: 1, timeMs: 2.5 },
    );
    expect(() => validate('ExponentialHistogramDataPoint', p)).not.toThrow();
    expect(p).toMatchObject({
      startTimeUnixNano: '1000000',
      timeUnixNano: '2500000',
      positive: { offset: -1, bucketCounts: ['1', '0', '3'] },
      zeroCount: '2',
    });
    expect(unixNano(1544712660300)).toBe('1544712660300000000');
    expect(unixNano(0.000001)).toBe('1');
  });
});

describe('pushOtlp', () => {
  it('POSTs JSON to a local receiver and surfaces non-2xx as TransportError', async () => {
    const bodies: { type: string | undefined; body: string; url: string | undefined }[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        bodies.push({ type: req.headers['content-type'], body, url: req.url });
        res.writeHead(status).end(status === 200 ? '{}' : 'rejected');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const addr = server.address();
      const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1/metrics`;
      await pushOtlp({
        url,
        registry: allTypesRegistry(),
        resource: { 'service.name': 'robot' },
        headers: { authorization: 'Bearer t' },
      });
      expect(bodies[0]?.type).toBe('application/json');
      expect(bodies[0]?.url).toBe('/v1/metrics');
      expect(() =>
        validate('ExportMetricsServiceRequest', JSON.parse(bodies[0]?.body ?? '')),
      ).not.toThrow();
      status = 503;
      const err = await pushOtlp({ url, registry: allTypesRegistry() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).status).toBe(503);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
