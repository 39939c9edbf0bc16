/**
 * `edgewatch/serve` with real servers on 127.0.0.1: node:http, Express,
 * Fastify and Hono (@hono/node-server), each answering real fetch() requests
 * — a prediction route, a route with an id parameter, a failing route, an
 * unknown path — and its own `/metrics`, read back and compared with the
 * requests sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve as honoServe } from '@hono/node-server';
import { createEngine, type EngineHandle } from '../../src/engine/client.js';
import { EdgeMonitor } from '../../src/session/edge-monitor.js';
import type { WindowEvent } from '../../src/session/edge-monitor-types.js';
import {
  ServeMetrics,
  expressMiddleware,
  fastifyHooks,
  honoMiddleware,
  httpListener,
} from '../../src/serve/index.js';
import { parseExposition as parseFamilies, type ParsedSample } from '../export/parse-exposition.js';

type Sample = ParsedSample;
const parseExposition = (text: string): Sample[] =>
  parseFamilies(text, 'prometheus').flatMap((f) => f.samples);

/** The toy model every server serves: the class of a number. */
const predict = (x: number): string => (x > 0.5 ? 'high' : 'low');

interface Running {
  name: string;
  url: string;
  serve: ServeMetrics;
  close: () => Promise<void>;
}

const closeHttp = (s: Server) => () =>
  new Promise<void>((r) => {
    s.close(() => r());
    s.closeAllConnections();
  });

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function nodeHttp(): Promise<Running> {
  const serve = new ServeMetrics();
  const server = createServer(
    httpListener(
      serve,
      async (req, res) => {
        const path = (req.url ?? '/').split('?')[0]!;
        if (req.method === 'POST' && path === '/predict') {
          let body = '';
          for await (const chunk of req) body += String(chunk);
          const x = (JSON.parse(body) as { x: number }).x;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ label: predict(x) }));
        } else if (path.startsWith('/items/')) res.end('item');
        else if (path === '/fail') throw new Error('boom');
        else res.writeHead(404).end();
      },
      (req) => {
        const path = (req.url ?? '/').split('?')[0]!;
        if (path.startsWith('/items/')) return '/items/:id';
        return ['/predict', '/fail'].includes(path) ? path : 'unmatched';
      },
    ),
  );
  return { name: 'node:http', url: await listen(server), serve, close: closeHttp(server) };
}

async function expressApp(): Promise<Running> {
  const serve = new ServeMetrics();
  const app = express();
  app.use(expressMiddleware(serve));
  app.use(express.json());
  app.post('/predict', (req, res) => {
    res.json({ label: predict((req.body as { x: number }).x) });
  });
  app.get('/items/:id', (_req, res) => {
    res.send('item');
  });
  app.get('/fail', () => {
    throw new Error('boom');
  });
  // Express's own handler would log the stack; answer 500 quietly.
  app.use((_err: unknown, _req: unknown, res: express.Response, _next: unknown) => {
    res.status(500).send('error');
  });
  const server = createServer(app);
  return { name: 'express', url: await listen(server), serve, close: closeHttp(server) };
}

async function fastifyApp(): Promise<Running> {
  const serve = new ServeMetrics();
  const app = Fastify({ logger: false });
  fastifyHooks(app, serve);
  app.post('/predict', async (req) => ({ label: predict((req.body as { x: number }).x) }));
  app.get('/items/:id', async () => 'item');
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'fastify', url, serve, close: () => app.close() };
}

async function honoApp(): Promise<Running> {
  const serve = new ServeMetrics();
  const app = new Hono();
  app.use('*', honoMiddleware(serve));
  app.post('/predict', async (c) => c.json({ label: predict((await c.req.json()).x) }));
  app.get('/items/:id', (c) => c.text('item'));
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.onError((_err, c) => c.text('error', 500));
  const { port, server } = await new Promise<{ port: number; server: Server }>((resolve) => {
    const s = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ port: info.port, server: s as Server }),
    );
  });
  return { name: 'hono', url: `http://127.0.0.1:${port}`, serve, close: closeHttp(server) };
}

/** What every server is sent. */
const PREDICTS = 25;
const ITEMS = 7;
const FAILS = 3;
const MISSES = 2;

async function drive(url: string): Promise<string[]> {
  const labels: string[] = [];
  for (let i = 0; i < PREDICTS; i++) {
    const res = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: i / PREDICTS }),
    });
    expect(res.status).toBe(200);
    labels.push(((await res.json()) as { label: string }).label);
  }
  for (let i = 0; i < ITEMS; i++) expect((await fetch(`${url}/items/${i}`)).status).toBe(200);
  for (let i = 0; i < FAILS; i++) expect((await fetch(`${url}/fail`)).status).toBe(500);
  for (let i = 0; i < MISSES; i++) expect((await fetch(`${url}/nope/${i}`)).status).toBe(404);
  return labels;
}

const value = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);

const servers: Running[] = [];
beforeAll(async () => {
  servers.push(await nodeHttp(), await expressApp(), await fastifyApp(), await honoApp());
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
  beforeAll(async () => {
    engine = await createEngine({ mode: 'inline' });
  });
  afterAll(() => engine.close());

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
  });
});
