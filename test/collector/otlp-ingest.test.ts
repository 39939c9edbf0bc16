/**
 * OTLP/HTTP into the collector with the official OpenTelemetry JS SDK as an
 * independent producer (JSON and protobuf exporters): counters, gauges and
 * exponential histograms show in /metrics, the fleet aggregate and the store;
 * auth and body caps apply; malformed OTLP is a 400 with a reason, never a 5xx;
 * a retried export is a duplicate.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { metrics as otelApi } from '@opentelemetry/api';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { seededUniform } from '../../src/stats/random.js';
import { parseExposition } from '../export/parse-exposition.js';
import { start } from './helpers.js';
import type { Collector } from '../../src/collector/server.js';

const TOKEN = 'otel-token';
const auth = { authorization: `Bearer ${TOKEN}` };

/** Latencies (ms) the SDK records; the exact median to compare with. */
const u = seededUniform(11);
const LATENCIES = Array.from({ length: 1000 }, () => 5 + 200 * u() ** 2);
const EXACT_MEDIAN = [...LATENCIES].sort((a, b) => a - b)[Math.floor(0.5 * 999)]!;

async function produce(c: Collector, device: string, kind: 'json' | 'proto'): Promise<void> {
  const opts = {
    url: `${c.url}/v1/metrics`,
    headers: auth,
    temporalityPreference: AggregationTemporalityPreference.DELTA,
  };
  const exporter = kind === 'json' ? new JsonExporter(opts) : new ProtoExporter(opts);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'robot-console',
      'service.version': '2.0',
      'device.id': device,
    }),
    readers: [reader],
    views: [
      { instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });
  const meter = provider.getMeter('robot');
  meter.createCounter('predictions').add(LATENCIES.length);
  meter.createGauge('accuracy', { unit: '1' }).record(0.93);
  const h = meter.createHistogram('latency', { unit: 'ms' });
  for (const v of LATENCIES) h.record(v);
  await provider.forceFlush();
  await provider.shutdown();
}

function rawPost(c: Collector, body: string | Uint8Array, type: string, headers = auth) {
  return fetch(`${c.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': type, ...headers },
    body: body as BodyInit,
  });
}

describe('OTLP/HTTP ingest (POST /v1/metrics)', () => {
  it('the OpenTelemetry SDK (JSON and protobuf exporters) feeds /metrics, the fleet and the store', async () => {
    otelApi.disable();
    const c = await start({ token: TOKEN, rateLimit: false });
    await produce(c, 'robot-json', 'json');
    await produce(c, 'robot-proto', 'proto');
    expect(c.stats().windows).toBe(2);

    const text = await (await fetch(`${c.url}/metrics`, { headers: auth })).text();
    const samples = parseExposition(text, 'prometheus').flatMap((f) => f.samples);
    for (const device of ['robot-json', 'robot-proto']) {
      const l = { model: 'robot-console', model_version: '2.0', device };
      const find = (name: string, extra: Record<string, string> = {}) =>
        samples.find(
          (s) =>
            s.name === name &&
            Object.entries({ ...l, ...extra }).every(([k, v]) => s.labels[k] === v),
        )?.value;
      expect(find('edgewatch_predictions_total'), device).toBe(1000);
      expect(find('edgewatch_model_metric', { metric: 'accuracy' }), device).toBeCloseTo(0.93, 12);
      expect(find('edgewatch_prediction_latency_seconds_count'), device).toBe(1000);
    }

    const fleet = (await (await fetch(`${c.url}/v1/fleet`, { headers: auth })).json()) as {
      sketches: Array<{
        model: string;
        sketch: string;
        count: number;
        scale: number;
        quantiles: Record<string, number>;
      }>;
    };
    const lat = fleet.sketches.find((s) => s.model === 'robot-console' && s.sketch === 'latency')!;
    expect(lat.count).toBe(2000);
    // The SDK picked the scale (160 buckets); the fleet median is within one bucket of the exact one.
    const base = 2 ** (2 ** -lat.scale);
    expect(Math.abs(lat.quantiles['0.5']! - EXACT_MEDIAN) / EXACT_MEDIAN).toBeLessThanOrEqual(
      base - 1,
    );

    const stored = (await (
      await fetch(`${c.url}/v1/windows?device=robot-proto`, { headers: auth })
    ).json()) as {
      windows: Array<{ counters: Record<string, number>; performance: Record<string, number> }>;
    };
    expect(stored.windows).toHaveLength(1);
    expect(stored.windows[0]!.counters).toEqual({ predictions: 1000 });
  });

  it('a retried export is a duplicate; partial success reports what was not stored', async () => {
    const c = await start({ rateLimit: false });
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'temp',
                  gauge: { dataPoints: [{ timeUnixNano: '1700000000000000000', asDouble: 21.5 }] },
                },
                {
                  name: 'rtt',
                  summary: {
                    dataPoints: [{ timeUnixNano: '1700000000000000000', count: '1', sum: 2 }],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const first = await rawPost(c, body, 'application/json');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      partialSuccess: {
        rejectedDataPoints: '1',
        errorMessage: '1 point(s) not stored: otlp_summary',
      },
    });
    expect((await rawPost(c, body, 'application/json')).status).toBe(200);
    expect(c.stats().windows).toBe(1);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(text).toMatch(/edgewatch_model_metric\{[^}]*metric="temp"[^}]*\} 21\.5/);
  });

  it('refuses bad OTLP with 400 and a reason, and respects auth, content type and body caps', async () => {
    const c = await start({ token: TOKEN, maxBodyBytes: 4096, rateLimit: false });
    const bad = await rawPost(
      c,
      JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'x' }] }] }] }),
      'application/json',
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /metrics\[0\]: expected exactly one of gauge/,
    );
    const garbage = await rawPost(c, Uint8Array.from([0x0a, 0xff, 0x01]), 'application/x-protobuf');
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get('content-type')).toBe('application/x-protobuf');
    expect(Buffer.from(await garbage.arrayBuffer()).toString('latin1')).toMatch(
      /length beyond the message/,
    );
    expect((await rawPost(c, '{}', 'application/json', {} as typeof auth)).status).toBe(401);
    expect((await rawPost(c, '{}', 'text/plain')).status).toBe(415);
    expect((await rawPost(c, 'x'.repeat(5000), 'application/json')).status).toBe(413);
    const mismatch = await rawPost(
      c,
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'h',
                    exponentialHistogram: {
                      aggregationTemporality: 1,
                      dataPoints: [
                        {
                          timeUnixNano: '1',
                          count: '5',
                          sum: 1,
                          scale: 0,
                          positive: { offset: 0, bucketCounts: ['1'] },
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
      'application/json',
    );
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: string }).error).toMatch(
      /expected count = zeroCount \+ bucket counts = 1, got 5/,
    );
  });

  it('property: arbitrary bytes as protobuf or JSON get 200 or 400, never a 5xx', async () => {
    const c = await start({ rateLimit: false });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (b, proto) => {
        const res = await rawPost(
          c,
          proto ? b : Buffer.from(b).toString('latin1'),
          proto ? 'application/x-protobuf' : 'application/json',
          {} as typeof auth,
        );
        expect([200, 400]).toContain(res.status);
        await res.arrayBuffer();
      }),
      { numRuns: 150 },
    );
  });
});
