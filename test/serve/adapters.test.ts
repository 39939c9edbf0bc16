/**
 * `edgewatch/serve` with real servers on 127.0.0.1: node:http, Express,
 * Fastify and Hono (@hono/node-server), each answering real fetch() requests
 * — a prediction route, a route with an id parameter, a failing route, an
 * unknown path — and its own `/metrics`, read back and compared with the
 * requests sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineHandle } from '../../src/engine/client.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { WindowEvent } from '../../src/session/edge-monitor-types.js';
import { ServeMetrics } from '../../src/serve/index.js';
import {
  FAILS,
  ITEMS,
  MISSES,
  PREDICTS,
  drive,
  predict,
  startServers,
  type Running,
} from './servers.js';
import { parseExposition as parseFamilies, type ParsedSample } from '../export/parse-exposition.js';
import { useEngine } from '../support/per-file.js';

type Sample = ParsedSample;
const parseExposition = (text: string): Sample[] =>
  parseFamilies(text, 'prometheus').flatMap((f) => f.samples);

const value = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);

const servers: Running[] = [];
beforeAll(async () => {
  servers.push(...(await startServers()));
});
afterAll(async () => {
  for (const s of servers) {
    await s.close();
    await s.serve.close();
  }
});

describe('edgewatch/serve adapters (real servers, real requests)', () => {
  it.each(['node:http', 'express', 'fastify', 'hono'])(
    '%s: counts per route pattern and status, errors, latency summary, /metrics route',
    async (name) => {
      const s = servers.find((x) => x.name === name)!;
      const labels = await drive(s.url);
      expect(labels.filter((l) => l === 'high')).toHaveLength(12);
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parseExposition(await res.text());
      const req = 'edgewatch_http_requests_total';
      expect(value(samples, req, { route: '/predict', method: 'POST', status: '200' })).toBe(
        PREDICTS,
      );
      expect(value(samples, req, { route: '/items/:id', method: 'GET', status: '200' })).toBe(
        ITEMS,
      );
      expect(value(samples, req, { route: '/fail', status: '500' })).toBe(FAILS);
      expect(value(samples, req, { route: 'unmatched', status: '404' })).toBe(MISSES);
      // No series per raw path (ids are folded into the pattern).
      expect(samples.some((x) => /\/items\/\d/.test(x.labels.route ?? ''))).toBe(false);
      expect(samples.some((x) => x.labels.route === '/metrics')).toBe(false);
      const err = 'edgewatch_http_request_errors_total';
      expect(value(samples, err, { route: '/fail' })).toBe(FAILS);
      expect(value(samples, err, { route: '/predict' })).toBe(0);
      const dur = 'edgewatch_http_request_duration_seconds';
      expect(value(samples, `${dur}_count`, { route: '/predict', method: 'POST' })).toBe(PREDICTS);
      const p99 = value(samples, dur, { route: '/predict', quantile: '0.99' });
      const sum = value(samples, `${dur}_sum`, { route: '/predict' });
      expect(p99).toBeGreaterThan(0);
      expect(p99).toBeLessThan(5);
      expect(sum).toBeGreaterThan(0);
      // OpenMetrics when asked for.
      const om = await fetch(`${s.url}/metrics`, {
        headers: { accept: 'application/openmetrics-text; version=1.0.0' },
      });
      expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
      expect(await om.text()).toMatch(/# EOF\n$/);
    },
    30_000,
  );
});

describe('ServeMetrics.wrap feeds an EdgeMonitor', () => {
  let engine: EngineHandle;
  useEngine({ mode: 'inline' }, (e) => (engine = e));

  it('times each call, counts throws and rejections, and observes the predictions', async () => {
    const monitor = await EdgeMonitor.create({
      model: { name: 'toy', version: '1' },
      engine,
      store: { backend: 'memory', persist: false },
      windowCount: 10,
    });
    const windows: WindowEvent[] = [];
    monitor.on('window', (w) => windows.push(w));
    const serve = new ServeMetrics();
    const wrapped = serve.wrap(
      async (x: number) => {
        if (x < 0) throw new Error('negative');
        await new Promise((r) => setTimeout(r, 2));
        return { label: predict(x) };
      },
      {
        route: '/predict',
        monitor,
        toObservation: (out, [x]) => ({ prediction: out.label, features: { x } }),
      },
    );
    const sync = serve.wrap((x: number) => {
      if (x < 0) throw new Error('negative');
      return predict(x);
    });
    for (let i = 0; i < 10; i++) expect((await wrapped(i / 10)).label).toBe(predict(i / 10));
    await expect(wrapped(-1)).rejects.toThrow('negative');
    expect(sync(0.9)).toBe('high');
    expect(() => sync(-1)).toThrow('negative');
    await monitor.close();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.record.counters.predictions).toBe(10);
    expect(windows[0]!.latency.count).toBe(10);
    expect(windows[0]!.latency.min).toBeGreaterThanOrEqual(1);
    const samples = parseExposition(await serve.registry.metrics());
    expect(
      value(samples, 'edgewatch_http_requests_total', { route: '/predict', status: '200' }),
    ).toBe(10);
    expect(value(samples, 'edgewatch_http_request_errors_total', { route: '/predict' })).toBe(1);
    expect(value(samples, 'edgewatch_http_request_errors_total', { route: 'handler' })).toBe(1);
    expect(
      value(samples, 'edgewatch_http_request_duration_seconds_count', { route: '/predict' }),
    ).toBe(11);
    await serve.close();
    await serve.close();
    expect(await serve.registry.metrics()).not.toMatch(/edgewatch_http/);
    expect(() => serve.wrap(() => 1)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    await expect(serve.exposition()).rejects.toThrow('ServeMetrics is closed');
    // A wrapped function keeps working after close, unrecorded.
    expect(sync(0.9)).toBe('high');
  });
});
