/**
 * OTLP protobuf export: the encoder writes what the OpenTelemetry SDK's own
 * protobuf serializer writes (an SDK export decoded and re-encoded gives the
 * same bytes), edgewatch's requests survive a round trip through the
 * collector's decoder, and `pushOtlp({ encoding: 'protobuf' })` is stored by a
 * real collector.
 */
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { encodeOtlpMetricsRequest } from '../../src/export/otlp-proto-encode.js';
import { decodeOtlpMetricsRequest } from '../../src/collector/otlp-proto.js';
import { toOtlpRequest } from '../../src/export/otlp.js';
import { pushOtlp } from '../../src/export/otlp-push.js';
import { Registry } from '../../src/prometheus/registry.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { start } from '../collector/helpers.js';
import { allTypesRegistry } from './all-types-registry.js';

/** Captures what the SDK's protobuf exporter sends. */
async function sdkBytes(): Promise<Uint8Array> {
  const bodies: Buffer[] = [];
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1/metrics`;
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 's', 'host.cpus': 4, ok: true, r: 0.5 }),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({
            url,
            temporalityPreference: AggregationTemporalityPreference.DELTA,
          }),
          exportIntervalMillis: 60_000,
        }),
      ],
      views: [
        { instrumentName: 'exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
      ],
    });
    const m = provider.getMeter('m', '1.2');
    m.createCounter('c').add(3, { k: 'v' });
    m.createUpDownCounter('ud').add(-2);
    m.createGauge('g').record(-1.25);
    const h = m.createHistogram('h');
    for (const v of [0.5, 3, 700]) h.record(v);
    const e = m.createHistogram('exp');
    for (const v of [0, 1, 2.5, 1e6]) e.record(v);
    await provider.forceFlush();
    await provider.shutdown();
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
  expect(bodies.length).toBeGreaterThan(0);
  return new Uint8Array(bodies[0]!);
}

describe('OTLP protobuf export', () => {
  it('re-encoding an SDK export gives the SDK’s bytes', async () => {
    const bytes = await sdkBytes();
    const again = encodeOtlpMetricsRequest(decodeOtlpMetricsRequest(bytes));
    expect(Buffer.from(again).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
  });

  it('every metric type round trips through the collector’s decoder', async () => {
    // a negative value in the sketch: its negative buckets round trip too
    const registry = allTypesRegistry([0, 1, 1.5, 3, -3.1]);
    const req = toOtlpRequest(await registry.getMetricsAsJSON(), {
      serviceName: 'robot',
      deviceId: 'r1',
      timeMs: 1544712660300,
    });
    const back = decodeOtlpMetricsRequest(encodeOtlpMetricsRequest(req));
    // 64-bit integers come back as decimal strings; a NaN double (the empty summary's quantile)
    // comes back as the number, which JSON writes null, where the JSON form spells it 'NaN'; an
    // empty repeated field is absent in protobuf: compare with all three normalised.
    const norm = (x: unknown): unknown =>
      JSON.parse(JSON.stringify(x), (_k, v: unknown) =>
        typeof v === 'string' && /^-?\d+$/.test(v)
          ? Number(v)
          : v === 'NaN'
            ? null
            : v === '' || (Array.isArray(v) && v.length === 0)
              ? undefined
              : v,
      );
    expect(norm(back)).toEqual(norm(req));
  });

  it('pushOtlp with encoding protobuf is stored by a real collector', async () => {
    const c = await start({ rateLimit: false });
    const r = new Registry();
    new Gauge({ name: 'battery_ratio', help: 'B', unit: 'ratio', registry: r }).set(0.42);
    await pushOtlp({
      url: `${c.url}/v1/metrics`,
      registry: r,
      encoding: 'protobuf',
      serviceName: 'bot',
      deviceId: 'd9',
    });
    expect(c.stats().windows).toBe(1);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(text).toMatch(
      /edgewatch_model_metric\{model="bot",model_version="unknown",device="d9",metric="battery"\} 0\.42/,
    );
  });
});
