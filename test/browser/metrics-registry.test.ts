// The Prometheus metrics in real Chromium: a Registry holding every metric type
// (counter, gauge, classic and sketch-backed histogram, summary), exposed in the
// 0.0.4 text format and OpenMetrics, parsed back with the independent strict
// parser (test/export/parse-exposition.ts) and compared with values computed here
// from the raw observations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Registry } from '../../src/prometheus/registry.js';
import { Counter } from '../../src/prometheus/counter.js';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import { ConfigError } from '../../src/errors.js';
import { relativeErrorBound } from '../../src/kernel/kernel.js';
import { createWasmKernel } from '../../src/kernel/wasm-kernel.js';
import type { HistogramPoint } from '../../src/export/prom-model.js';
import { parseExposition } from '../export/parse-exposition.js';
import { registryWithCounter } from '../support/registry.js';
import type { ParsedSample } from '../export/parse-exposition.js';

type Format = 'prometheus' | 'openmetrics';

function samplesOf(text: string, format: Format): ParsedSample[] {
  return parseExposition(text, format).flatMap((f) => f.samples);
}

/** The value of the one sample with this name and (at least) these labels. */
function valueOf(
  samples: readonly ParsedSample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  expect(hits.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}

const countLE = (values: readonly number[], b: number): number =>
  values.filter((v) => v <= b).length;
const sumInOrder = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);

/** Power-of-two boundaries: edges of the sketch at every scale >= 0, so sketch counts are exact. */
const POW2_BOUNDS = [2 ** -4, 0.5, 1, 4, 32, 256, 4096];

const observation = fc.oneof(
  { weight: 10, arbitrary: fc.double({ min: 1e-3, max: 1e4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 4, 256, NaN, Infinity) },
);

describe('Registry with every metric type (Chromium)', () => {
  it('exposition in both formats parses back to values computed from the observations (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(observation, { minLength: 1, maxLength: 300 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom<Format>('prometheus', 'openmetrics'),
        async (obs, gaugeOps, format) => {
          const { registry, counter: requests } = registryWithCounter(
            'requests_total',
            'Requests by "route"\nsecond line \\ backslash',
            ['route'],
          );
          const temp = new Gauge({ name: 'cpu_temperature', help: 'CPU temperature', registry });
          const classic = new Histogram({
            name: 'classic_latency_seconds',
            help: 'Classic buckets',
            buckets: POW2_BOUNDS,
            unit: 'seconds',
            registry,
          });
          const sketched = new Histogram({
            name: 'sketch_latency_seconds',
            help: 'Sketch-backed',
            buckets: POW2_BOUNDS,
            sketch: true,
            unit: 'seconds',
            registry,
          });
          const summary = new Summary({
            name: 'latency_summary_seconds',
            help: 'Summary',
            percentiles: [0.5, 0.9, 0.99],
            unit: 'seconds',
            registry,
          });
          for (const v of obs) {
            requests.labels({ route: v > 100 ? '/slow' : '/fast' }).inc();
            classic.observe(v);
            sketched.observe(v);
            summary.observe(v);
          }
          let g = 0;
          gaugeOps.forEach((v, i) => {
            if (i % 3 === 0) {
              temp.set(v);
              g = v;
            } else if (i % 3 === 1) {
              temp.inc(v);
              g += v;
            } else {
              temp.dec(v);
              g -= v;
            }
          });

          const text = await registry.metrics({ format });
          const s = samplesOf(text, format);
          const finite = obs.filter((v) => Number.isFinite(v));
          const dropped = obs.length - finite.length;
          const slow = obs.filter((v) => v > 100).length;
          expect(valueOf(s, 'requests_total', { route: '/slow' })).toBe(slow || undefined);
          expect(valueOf(s, 'requests_total', { route: '/fast' })).toBe(
            obs.length - slow || undefined,
          );
          // -0 and 0 are one sample value (the exposition writes 0): compare them as equal.
          expect((valueOf(s, 'cpu_temperature') ?? NaN) + 0).toBe(g + 0);
          for (const name of ['classic_latency_seconds', 'sketch_latency_seconds']) {
            expect(valueOf(s, `${name}_count`)).toBe(finite.length);
            expect(valueOf(s, `${name}_sum`)).toBe(sumInOrder(finite));
            for (const b of POW2_BOUNDS)
              expect(valueOf(s, `${name}_bucket`, { le: String(b) }), `${name} le=${b}`).toBe(
                countLE(finite, b),
              );
            expect(valueOf(s, `${name}_bucket`, { le: '+Inf' })).toBe(finite.length);
          }
          expect(valueOf(s, 'latency_summary_seconds_count')).toBe(finite.length);
          expect(valueOf(s, 'latency_summary_seconds_sum')).toBe(sumInOrder(finite));
          const sorted = [...finite].sort((a, b) => a - b);
          const bound = relativeErrorBound(7) * (1 + 1e-12);
          for (const q of [0.5, 0.9, 0.99]) {
            const got = valueOf(s, 'latency_summary_seconds', { quantile: String(q) });
            if (sorted.length === 0) {
              expect(got).toBeNaN();
              continue;
            }
            const exact = sorted[Math.floor(q * (sorted.length - 1))] as number;
            expect(Math.abs((got as number) - exact)).toBeLessThanOrEqual(bound * exact);
          }
          // NaN / Infinity are dropped and counted per metric and reason
          const droppedTotal = s
            .filter(
              (x) =>
                x.name === 'edgewatch_metric_samples_dropped_total' &&
                x.labels.metric === 'classic_latency_seconds',
            )
            .reduce((a, x) => a + x.value, 0);
          expect(droppedTotal).toBe(dropped);
          // help text survives escaping
          const fam = parseExposition(text, format).find(
            (f) => f.name === 'requests' || f.name === 'requests_total',
          );
          expect(fam?.help).toBe('Requests by "route"\nsecond line \\ backslash');
          if (format === 'openmetrics') expect(text.endsWith('# EOF\n')).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the sketch-backed histogram holds the same exponential buckets as the WASM kernel', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'lat_ms', help: 'Latency', sketch: { scale: 5 }, registry });
    const values = Float64Array.from({ length: 5000 }, (_, i) => 0.01 * 1.0017 ** i + (i % 13));
    for (const v of values) h.observe(v);
    const fam = (await registry.getMetricsAsJSON()).find((f) => f.name === 'lat_ms');
    const point = fam?.points[0] as HistogramPoint;
    const wasm = await createWasmKernel();
    const handle = wasm.sketchCreate(5);
    wasm.sketchRecord(handle, values);
    const expected = wasm.sketchBuckets(handle);
    const stats = wasm.sketchStats(handle);
    wasm.sketchFree(handle);
    expect(point.exponential?.scale).toBe(5);
    expect(point.exponential?.positive.offset).toBe(expected.positive.offset);
    expect(Array.from(point.exponential?.positive.counts ?? [])).toEqual(
      Array.from(expected.positive.counts),
    );
    expect(point).toMatchObject({ count: 5000, min: stats.min, max: stats.max });
    expect(point.sum).toBe(stats.sum);
  });

  it('bad configuration is a ConfigError; duplicate names are refused', () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'j', registry });
    expect(() => new Counter({ name: 'jobs_total', help: 'j', registry })).toThrow(ConfigError);
    expect(() => new Histogram({ name: 'h', help: 'h', sketch: { scale: 11 }, registry })).toThrow(
      ConfigError,
    );
    expect(() => new Gauge({ name: '0bad', help: 'g', registry })).toThrow(ConfigError);
    expect(() => new Summary({ name: 's', help: 's', percentiles: [2], registry })).toThrow(
      ConfigError,
    );
  });
});
