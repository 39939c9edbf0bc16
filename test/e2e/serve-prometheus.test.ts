/**
 * A real Prometheus scrapes the `/metrics` route of the four `edgewatch/serve`
 * adapters (node:http, Express, Fastify, Hono) on 127.0.0.1, after each
 * served the same real requests; the request, error and latency series are
 * read back through the query API and compared with what was sent.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILS, ITEMS, PREDICTS, drive, startServers, type Running } from '../serve/servers.js';
import { startPrometheus, waitFor, type PrometheusServer } from './prom-process.js';

const PROMETHEUS = process.env['PROMETHEUS'] ?? '/usr/bin/prometheus';
const JOBS = ['node:http', 'express', 'fastify', 'hono'];

describe.skipIf(!existsSync(PROMETHEUS) && !process.env.CI)(
  'Prometheus scrapes the edgewatch/serve adapters',
  () => {
    let servers: Running[] = [];
    let prom: PrometheusServer | undefined;
    const query = (expr: string) => prom!.query(expr);

    beforeAll(async () => {
      servers = await startServers();
      for (const s of servers) await drive(s.url);
      const config = [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        ...servers.flatMap((s) => [
          `  - job_name: '${s.name}'`,
          `    static_configs: [{ targets: ['${s.url.replace('http://', '')}'] }]`,
        ]),
        '',
      ].join('\n');
      prom = await startPrometheus(PROMETHEUS, config);
      await waitFor('four targets up with request series', async () => {
        const up = await query('up == 1');
        const series = await query('edgewatch_http_requests_total{route="/predict"}');
        return up.length === 4 && series.length === 4 ? true : undefined;
      });
    }, 120_000);

    afterAll(async () => {
      await prom?.stop();
      for (const s of servers) {
        await s.close();
        await s.serve.close();
      }
    });

    it.each(JOBS)('reads %s’s request, error and latency series back', async (job) => {
      const one = async (expr: string): Promise<number> => {
        const v = await query(expr);
        expect(v, expr).toHaveLength(1);
        return Number(v[0]!.value[1]);
      };
      const j = `job="${job}"`;
      expect(
        await one(
          `edgewatch_http_requests_total{${j},route="/predict",method="POST",status="200"}`,
        ),
      ).toBe(PREDICTS);
      expect(await one(`edgewatch_http_requests_total{${j},route="/items/:id"}`)).toBe(ITEMS);
      expect(await one(`edgewatch_http_request_errors_total{${j},route="/fail"}`)).toBe(FAILS);
      expect(
        await one(`edgewatch_http_request_duration_seconds_count{${j},route="/predict"}`),
      ).toBe(PREDICTS);
      const p99 = await one(
        `edgewatch_http_request_duration_seconds{${j},route="/predict",quantile="0.99"}`,
      );
      expect(p99).toBeGreaterThan(0);
      expect(p99).toBeLessThan(5);
      // The scrape route itself is not recorded as a request.
      expect(await query(`edgewatch_http_requests_total{${j},route="/metrics"}`)).toEqual([]);
    });
  },
);
