/**
 * The four servers of the `edgewatch/serve` tests (node:http, Express, Fastify,
 * Hono on @hono/node-server), each on 127.0.0.1 port 0 with the same routes,
 * and the requests every test sends them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve as honoServe } from '@hono/node-server';
import {
  ServeMetrics,
  expressMiddleware,
  fastifyHooks,
  honoMiddleware,
  httpListener,
} from '../../src/serve/index.js';

/** The toy model every server serves: the class of a number. */
export const predict = (x: number): string => (x > 0.5 ? 'high' : 'low');

export interface Running {
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
export const PREDICTS = 25;
export const ITEMS = 7;
export const FAILS = 3;
export const MISSES = 2;

export async function drive(url: string): Promise<string[]> {
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

/** Starts the four servers. */
export async function startServers(): Promise<Running[]> {
  return [await nodeHttp(), await expressApp(), await fastifyApp(), await honoApp()];
}
