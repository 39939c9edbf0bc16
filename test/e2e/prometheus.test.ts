/**
 * A real Prometheus 2.42 (Debian package) scrapes edgewatch's Node `/metrics`
 * helper on 127.0.0.1 — once as text 0.0.4, once negotiating OpenMetrics — and
 * the values are read back through the HTTP query API, `histogram_quantile`
 * included, and compared with independent computations.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gauge } from '../../src/prometheus/gauge.js';
import { Histogram } from '../../src/prometheus/histogram.js';
import { Summary } from '../../src/prometheus/summary.js';
import { serveMetrics } from '../../src/export/node-server.js';
import type { MetricsServer } from '../../src/export/node-server.js';
import type { SummaryPoint } from '../../src/export/prom-model.js';
import { startPrometheus, waitFor, type PrometheusServer } from './prom-process.js';
import { registryWithCounter } from '../support/registry.js';

const PROMETHEUS = process.env['PROMETHEUS'] ?? '/usr/bin/prometheus';
const TRICKY = 'a"b\\c\nd é';

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!existsSync(PROMETHEUS) && !process.env.CI)(
  'Prometheus scrapes the /metrics helper',
  () => {
    const { registry, counter: predictions } = registryWithCounter(
      'e2e_predictions_total',
      'Predictions "total"\\ with\nnewline',
      ['model'],
    );
    const latency = new Histogram({
      name: 'e2e_latency_seconds',
      help: 'Latency',
      buckets: [0.01, 0.05, 0.1, 0.5, 1],
      registry,
    });
    const sketchLatency = new Histogram({
      name: 'e2e_sketch_latency_seconds',
      help: 'Sketch latency',
      buckets: [0.015625, 0.0625, 0.25, 1],
      sketch: true,
      registry,
    });
    const summary = new Summary({
      name: 'e2e_window_seconds',
      help: 'Window',
      percentiles: [0.5, 0.9],
      registry,
    });
    let scrapes = 0;
    new Gauge({
      name: 'e2e_scrape_collects',
      help: 'Incremented by collect at every scrape',
      registry,
      collect() {
        this.set(++scrapes);
      },
    });
    const observations = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) / 250); // 0 .. 0.796
    let prom: PrometheusServer | undefined;
    const servers: MetricsServer[] = [];
    let api = '';
    const query = (expr: string): Promise<Vector[]> => prom!.query(expr);
    async function scalar(expr: string): Promise<number> {
      const r = await waitFor(expr, async () => {
        const v = await query(expr);
        return v.length === 1 ? v : undefined;
      });
      return Number(r[0]?.value[1]);
    }

    beforeAll(async () => {
      predictions.inc({ model: 'perception' }, 41);
      predictions.inc({ model: TRICKY }, 2);
      for (const v of observations) {
        latency.observe(v);
        sketchLatency.observe(v);
        summary.observe(v);
      }
      servers.push(await serveMetrics({ registry, port: 0, format: 'prometheus' }));
      servers.push(await serveMetrics({ registry, port: 0 })); // negotiates OpenMetrics with Prometheus
      const config = [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: text',
        `    static_configs: [{ targets: ['127.0.0.1:${servers[0]?.port}'] }]`,
        '  - job_name: openmetrics',
        `    static_configs: [{ targets: ['127.0.0.1:${servers[1]?.port}'] }]`,
        '',
      ].join('\n');
      prom = await startPrometheus(PROMETHEUS, config);
      api = prom.api;
      // Both targets scraped successfully at least once, and the last scrape carries every series.
      await waitFor('both targets up', async () => {
        const up = await query('up');
        return up.length === 2 && up.every((v) => v.value[1] === '1') ? true : undefined;
      });
      await waitFor('series present', async () =>
        (await query('e2e_latency_seconds_count')).length === 2 ? true : undefined,
      );
    });

    afterAll(async () => {
      await prom?.stop();
      await Promise.all(servers.map((s) => s.close()));
    });

    it.each(['text', 'openmetrics'])(
      'reads counters back, escaped label values intact (%s)',
      async (job) => {
        expect(await scalar(`e2e_predictions_total{job="${job}",model="perception"}`)).toBe(41);
        const byModel = await query(`e2e_predictions_total{job="${job}"}`);
        expect(byModel.map((v) => v.metric['model']).sort()).toEqual(['perception', TRICKY].sort());
        expect(Number(byModel.find((v) => v.metric['model'] === TRICKY)?.value[1])).toBe(2);
      },
    );

    it.each(['text', 'openmetrics'])(
      'histogram_quantile over the classic buckets matches the interpolation computed here (%s)',
      async (job) => {
        for (const q of [0.5, 0.9, 0.99]) {
          const got = await scalar(
            `histogram_quantile(${q}, sum by (le) (e2e_latency_seconds_bucket{job="${job}"}))`,
          );
          expect(got).toBeCloseTo(expectedQuantile(q, [0.01, 0.05, 0.1, 0.5, 1], observations), 9);
        }
        expect(await scalar(`e2e_latency_seconds_count{job="${job}"}`)).toBe(observations.length);
        expect(await scalar(`e2e_latency_seconds_sum{job="${job}"}`)).toBeCloseTo(
          observations.reduce((s, v) => s + v, 0),
          9,
        );
      },
    );

    it('the sketch-backed histogram scrapes to the same buckets an exact count gives at edge boundaries', async () => {
      const bounds = [0.015625, 0.0625, 0.25, 1];
      for (const q of [0.5, 0.95]) {
        const got = await scalar(
          `histogram_quantile(${q}, sum by (le) (e2e_sketch_latency_seconds_bucket{job="text"}))`,
        );
        expect(got).toBeCloseTo(expectedQuantile(q, bounds, observations), 9);
      }
      for (const b of bounds) {
        expect(await scalar(`e2e_sketch_latency_seconds_bucket{job="text",le="${b}"}`)).toBe(
          observations.filter((v) => v <= b).length,
        );
      }
    });

    it('summary quantiles and the scrape-time collect callback', async () => {
      const p = summary.snapshot().points[0] as SummaryPoint;
      expect(await scalar('e2e_window_seconds{job="text",quantile="0.5"}')).toBe(
        p.quantiles[0]?.value,
      );
      expect(await scalar('e2e_window_seconds{job="openmetrics",quantile="0.9"}')).toBe(
        p.quantiles[1]?.value,
      );
      expect(await scalar('e2e_scrape_collects{job="text"}')).toBeGreaterThan(0);
      const meta = (await (
        await fetch(`${api}/api/v1/metadata?metric=e2e_predictions_total`)
      ).json()) as { data: Record<string, { help: string }[]> };
      const helps = Object.values(meta.data)
        .flat()
        .map((m) => m.help);
      expect(helps).toContain('Predictions "total"\\ with\nnewline');
    });
  },
);

/** Prometheus' histogram_quantile on cumulative buckets: linear interpolation inside the bucket holding rank q·count. */
function expectedQuantile(q: number, bounds: number[], values: number[]): number {
  const cum = bounds.map((b) => values.filter((v) => v <= b).length);
  const total = values.length;
  const rank = q * total;
  let i = cum.findIndex((c) => c >= rank);
  if (i === -1) return bounds[bounds.length - 1] as number; // rank in the +Inf bucket
  if (i === 0 && (bounds[0] as number) <= 0) return bounds[0] as number;
  const lower = i === 0 ? 0 : (bounds[i - 1] as number);
  const prev = i === 0 ? 0 : (cum[i - 1] as number);
  const inBucket = (cum[i] as number) - prev;
  i = Math.max(i, 0);
  return lower + ((bounds[i] as number) - lower) * ((rank - prev) / inBucket);
}
