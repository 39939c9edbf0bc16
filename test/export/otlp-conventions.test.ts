/**
 * OTLP export follows OpenTelemetry conventions: the resource names the service
 * (`service.name` always, `service.version`, `device.id`), edgewatch's metrics
 * carry semantic-convention-style names and UCUM units, and other metrics lose
 * their Prometheus `_total` / `_<unit>` suffixes; `naming: 'prometheus'` keeps
 * the Prometheus names.
 */
import { describe, expect, it } from 'vitest';
import { otlpNameAndUnit, toOtlpRequest, type OtlpJson } from '../../src/export/otlp.js';
import { EDGEWATCH_METRICS, OTEL_METRICS } from '../../src/export/metric-names.js';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';

type Req = {
  resourceMetrics: [
    {
      resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
      scopeMetrics: [{ metrics: OtlpJson[] }];
    },
  ];
};

function registry(): Registry {
  const r = new Registry();
  new Counter({ name: EDGEWATCH_METRICS.predictions, help: 'P', registry: r }).inc(5);
  new Gauge({ name: 'queue_depth_bytes', help: 'Q', unit: 'bytes', registry: r }).set(3);
  new Counter({ name: 'jobs_total', help: 'J', registry: r }).inc();
  return r;
}

const attrs = (req: Req): Record<string, string | undefined> =>
  Object.fromEntries(
    req.resourceMetrics[0].resource.attributes.map((a) => [a.key, a.value.stringValue]),
  );

describe('OTLP conventions', () => {
  it('resource: service.name always (unknown_service default), service.version and device.id when given', async () => {
    const fams = await registry().getMetricsAsJSON();
    expect(attrs(toOtlpRequest(fams) as Req)).toEqual({
      'service.name': 'unknown_service:edgewatch',
    });
    const req = toOtlpRequest(fams, {
      serviceName: 'robot-console',
      serviceVersion: '2.3.0',
      deviceId: 'robot-17',
      resource: { 'deployment.environment.name': 'prod' },
    }) as Req;
    expect(attrs(req)).toEqual({
      'service.name': 'robot-console',
      'service.version': '2.3.0',
      'device.id': 'robot-17',
      'deployment.environment.name': 'prod',
    });
  });

  it('names and units: semconv style for edgewatch metrics, suffixes stripped for others', async () => {
    const req = toOtlpRequest(await registry().getMetricsAsJSON()) as Req;
    const got = req.resourceMetrics[0].scopeMetrics[0].metrics.map((m) => [m['name'], m['unit']]);
    expect(got).toEqual([
      ['edgewatch.predictions', '{prediction}'],
      ['queue_depth', 'By'],
      ['jobs', ''],
    ]);
    const prom = toOtlpRequest(await registry().getMetricsAsJSON(), {
      naming: 'prometheus',
    }) as Req;
    expect(prom.resourceMetrics[0].scopeMetrics[0].metrics.map((m) => m['name'])).toEqual([
      'edgewatch_predictions',
      'queue_depth_bytes',
      'jobs',
    ]);
  });

  it('every edgewatch metric has a distinct dotted lower-case name and a UCUM unit', () => {
    const names = Object.values(OTEL_METRICS).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of Object.values(OTEL_METRICS)) {
      expect(m.name).toMatch(/^edgewatch(\.[a-z][a-z0-9_]*)+$/);
      expect(m.name).not.toMatch(/_(total|seconds|ratio|bytes)$/);
      if (m.unit !== undefined) expect(m.unit).toMatch(/^(1|s|ms|By|\{[a-z]+\})$/);
    }
    expect(
      otlpNameAndUnit({ name: EDGEWATCH_METRICS.latency, type: 'histogram', unit: 'seconds' }),
    ).toEqual({
      name: 'edgewatch.prediction.duration',
      unit: 's',
    });
  });
});
