import { afterEach, describe, expect, it, vi } from 'vitest';
import { Registry, defaultRegistry, register } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import { ConfigError } from '../../src/errors.js';
import { EDGEWATCH_METRICS } from '../../src/export/metric-names.js';
import { parseExposition } from '../export/parse-exposition.js';

afterEach(() => defaultRegistry.clear());

function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const f of parseExposition(text, 'prometheus')) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        return s.value;
    }
  }
  return undefined;
}

describe('Registry', () => {
  it('matches the docs/api.md example', async () => {
    const registry = new Registry();
    const predictions = new Counter({
      name: 'predictions_total',
      help: 'Total predictions',
      labelNames: ['model'],
      registry,
    });
    predictions.labels({ model: 'perception' }).inc();
    const latency = new Histogram({
      name: 'prediction_latency_ms',
      help: 'Prediction latency',
      registry,
    });
    latency.observe(12.5);
    const text = await registry.metrics();
    expect(registry.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sampleValue(text, 'predictions_total', { model: 'perception' })).toBe(1);
    expect(sampleValue(text, 'prediction_latency_ms_count')).toBe(1);
    expect(sampleValue(text, 'prediction_latency_ms_sum')).toBe(12.5);
    expect(sampleValue(text, 'prediction_latency_ms_bucket', { le: '10' })).toBe(0);
    expect(sampleValue(text, 'prediction_latency_ms_bucket', { le: '+Inf' })).toBe(1);
  });

  it('registers in the default registry unless told otherwise (prom-client behaviour)', async () => {
    expect(register).toBe(defaultRegistry);
    const c = new Counter({ name: 'default_total', help: 'd' });
    expect(defaultRegistry.getSingleMetric('default_total')).toBe(c);
    new Counter({ name: 'nowhere_total', help: 'n', registry: null });
    expect(defaultRegistry.getSingleMetric('nowhere_total')).toBeUndefined();
    const a = new Registry();
    const b = new Registry();
    const both = new Gauge({ name: 'both', help: 'b', registers: [a, b] });
    expect(a.getSingleMetric('both')).toBe(both);
    expect(b.getSingleMetric('both')).toBe(both);
  });

  it('rejects duplicate names and names whose samples collide', () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'j', registry });
    expect(() => new Counter({ name: 'jobs_total', help: 'j', registry })).toThrow(ConfigError);
    // 'jobs' exposes jobs_total too.
    expect(() => new Counter({ name: 'jobs', help: 'j', registry })).toThrow(/collides/);
    new Histogram({ name: 'lat', help: 'l', registry });
    expect(() => new Gauge({ name: 'lat_bucket', help: 'x', registry })).toThrow(/collides/);
    expect(() => new Gauge({ name: 'lat_sum', help: 'x', registry })).toThrow(ConfigError);
    registry.removeSingleMetric('lat');
    expect(() => new Gauge({ name: 'lat_sum', help: 'x', registry })).not.toThrow();
  });

  it('applies default labels; a series label of the same name wins', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ app: 'robot', model: 'default' });
    const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['model'], registry });
    c.inc({ model: 'perception' });
    const [f] = parseExposition(await registry.metrics(), 'prometheus');
    expect(f?.samples[0]?.labels).toEqual({ app: 'robot', model: 'perception' });
    expect(() => registry.setDefaultLabels({ 'bad-name': 'x' })).toThrow(ConfigError);
    expect(() => registry.setDefaultLabels({ ok: {} as unknown as string })).toThrow(ConfigError);
  });

  it('switches format by setContentType or per call', async () => {
    const registry = new Registry();
    new Counter({ name: 'c_total', help: 'c', registry }).inc();
    expect((await registry.metrics()).endsWith('# EOF\n')).toBe(false);
    expect((await registry.metrics({ format: 'openmetrics' })).endsWith('# EOF\n')).toBe(true);
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(registry.contentType).toBe(Registry.OPENMETRICS_CONTENT_TYPE);
    expect((await registry.metrics()).endsWith('# EOF\n')).toBe(true);
    expect(() => registry.setContentType('application/json')).toThrow(ConfigError);
    expect(new Registry(Registry.OPENMETRICS_CONTENT_TYPE).contentType).toBe(
      Registry.OPENMETRICS_CONTENT_TYPE,
    );
  });

  it('runs collect callbacks (sync and async) at scrape time', async () => {
    const registry = new Registry();
    let current = 0.5;
    new Gauge({
      name: 'acc',
      help: 'a',
      registry,
      collect() {
        this.set(current);
      },
    });
    new Gauge({
      name: 'acc_async',
      help: 'a',
      registry,
      async collect() {
        await Promise.resolve();
        this.set(current * 2);
      },
    });
    expect(sampleValue(await registry.metrics(), 'acc')).toBe(0.5);
    current = 0.25;
    const text = await registry.metrics();
    expect(sampleValue(text, 'acc')).toBe(0.25);
    expect(sampleValue(text, 'acc_async')).toBe(0.5);
  });

  it('a throwing collect is reported and counted; the scrape still succeeds', async () => {
    const onError = vi.fn();
    const registry = new Registry({ onError });
    const g = new Gauge({
      name: 'flaky',
      help: 'f',
      registry,
      collect() {
        throw new Error('boom');
      },
    });
    g.set(7);
    const text = await registry.metrics();
    expect(sampleValue(text, 'flaky')).toBe(7);
    expect(sampleValue(text, EDGEWATCH_METRICS.collectErrors, { metric: 'flaky' })).toBe(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }), 'flaky');
  });

  it('exposes drop and overflow self-metrics only once non-zero', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h', help: 'h', buckets: [1], registry });
    const c = new Counter({
      name: 'per_device_total',
      help: 'p',
      labelNames: ['device'],
      maxSeries: 2,
      registry,
    });
    let text = await registry.metrics();
    expect(text).not.toContain(EDGEWATCH_METRICS.samplesDropped);
    expect(text).not.toContain(EDGEWATCH_METRICS.seriesOverflow);
    h.observe(NaN);
    h.observe(NaN);
    h.observe(Infinity);
    for (const d of ['a', 'b', 'c', 'd']) c.inc({ device: d });
    text = await registry.metrics();
    expect(
      sampleValue(text, EDGEWATCH_METRICS.samplesDropped, { metric: 'h', reason: 'nan' }),
    ).toBe(2);
    expect(
      sampleValue(text, EDGEWATCH_METRICS.samplesDropped, { metric: 'h', reason: 'non_finite' }),
    ).toBe(1);
    expect(
      sampleValue(text, EDGEWATCH_METRICS.seriesOverflow, { metric: 'per_device_total' }),
    ).toBe(2);
    expect(sampleValue(text, 'per_device_total', { device: '__overflow__' })).toBe(2);
  });

  it('resetMetrics zeroes every metric; clear unregisters', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'c', registry });
    const s = new Summary({ name: 's', help: 's', registry, percentiles: [0.5] });
    c.inc(5);
    s.observe(3);
    registry.resetMetrics();
    const text = await registry.metrics();
    expect(sampleValue(text, 'c_total')).toBe(0);
    expect(sampleValue(text, 's_count')).toBe(0);
    expect(Number.isNaN(sampleValue(text, 's', { quantile: '0.5' }))).toBe(true);
    registry.clear();
    expect(await registry.metrics()).toBe('');
    expect(registry.getSingleMetric('c_total')).toBeUndefined();
  });

  it('getSingleMetricAsString and merge', async () => {
    const a = new Registry();
    const b = new Registry();
    new Counter({ name: 'a_total', help: 'a', registry: a }).inc(2);
    new Gauge({ name: 'b', help: 'b', registry: b }).set(3);
    expect(await a.getSingleMetricAsString('a_total')).toBe(
      '# HELP a_total a\n# TYPE a_total counter\na_total 2\n',
    );
    expect(await a.getSingleMetricAsString('missing')).toBe('');
    const merged = Registry.merge([a, b]);
    const text = await merged.metrics();
    expect(sampleValue(text, 'a_total')).toBe(2);
    expect(sampleValue(text, 'b')).toBe(3);
    expect(() => Registry.merge([a, a])).toThrow(ConfigError);
  });
});
