/**
 * The Flusher against a real HTTP server on loopback with Node's real `fetch`:
 * redirects, a server that never answers, `Retry-After: 0`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher, type FlusherOptions } from '../../src/transport/flusher.js';
import { ConfigError, TransportError } from '../../src/errors.js';
import { flusherOver } from './flusher-fixture.js';

interface Hit {
  method: string;
  url: string;
  auth: string | undefined;
  ids: string[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, hit: Hit) => void;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function server(handler: Handler) {
  const hits: Hit[] = [];
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const ids = text
        ? (JSON.parse(text) as { windows: { windowId: string }[] }).windows.map((w) => w.windowId)
        : [];
      const hit = {
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        ids,
      };
      hits.push(hit);
      handler(req, res, hit);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  );
  return { base, hits };
}

function flusherFor(endpoint: string, k: number, extra: Partial<FlusherOptions> = {}) {
  return flusherOver(k, { endpoint, random: () => 0.5, ...extra }, cleanup);
}

const stored: string[] = [];
/** The real sink: stores POSTed windows, answers 200 to anything. */
const sink: Handler = (_req, res, hit) => {
  if (hit.method === 'POST') stored.push(...hit.ids);
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

describe('Flusher over real HTTP: redirects are never a delivery', () => {
  for (const status of [301, 302, 303]) {
    it(`a ${status} to a page that answers GET 200 keeps every window (retry, no dead letter)`, async () => {
      stored.length = 0;
      const { base, hits } = await server((req, res, hit) => {
        if (req.url === '/v1/windows') res.writeHead(status, { location: '/login' }).end();
        else sink(req, res, hit);
      });
      const { store, flusher, events, errors } = await flusherFor(`${base}/v1/windows`, 10);
      const r = await flusher.flush();
      expect(r.delivered).toBe(0);
      expect(r.retryInMs).toBeGreaterThan(0);
      const s = await store.stats();
      expect(s.outbox.count).toBe(10);
      expect(s.dead.count).toBe(0);
      expect(hits.map((h) => `${h.method} ${h.url}`)).toEqual(['POST /v1/windows']);
      expect(events.at(-1)).toMatchObject({ type: 'retry', status });
      expect(errors[0]).toBeInstanceOf(TransportError);
      expect(String((errors[0] as Error).message)).toMatch(/never a delivery/);
    });
  }

  it('a 307 / 308 is followed with the same method and body; the windows land and are deleted', async () => {
    stored.length = 0;
    const { base, hits } = await server((req, res, hit) => {
      if (req.url === '/v1/windows') res.writeHead(307, { location: '/v2/windows' }).end();
      else if (req.url === '/v2/windows') res.writeHead(308, { location: '/v3/windows' }).end();
      else sink(req, res, hit);
    });
    const { store, ids, flusher } = await flusherFor(`${base}/v1/windows`, 5, { token: 't0k' });
    expect(await flusher.flush()).toEqual({ delivered: 5, deadLettered: 0 });
    expect(stored).toEqual(ids);
    expect((await store.stats()).outbox.count).toBe(0);
    expect(hits.map((h) => `${h.method} ${h.url}`)).toEqual([
      'POST /v1/windows',
      'POST /v2/windows',
      'POST /v3/windows',
    ]);
    for (const h of hits) {
      expect(h.ids).toEqual(ids);
      expect(h.auth).toBe('Bearer t0k');
    }
  });

  it('a 307 to another origin drops the bearer token', async () => {
    stored.length = 0;
    const other = await server(sink);
    const { base } = await server((_req, res) =>
      res.writeHead(307, { location: `${other.base.replace('127.0.0.1', 'localhost')}/in` }).end(),
    );
    const { flusher } = await flusherFor(`${base}/v1/windows`, 1, { token: 't0k' });
    expect((await flusher.flush()).delivered).toBe(1);
    expect(other.hits).toHaveLength(1);
    expect(other.hits[0]!.auth).toBeUndefined();
  });

  it('a 308 loop stops after a few hops and keeps the windows', async () => {
    const { base, hits } = await server((_req, res) =>
      res.writeHead(308, { location: '/v1/windows' }).end(),
    );
    const { store, flusher } = await flusherFor(`${base}/v1/windows`, 3);
    const r = await flusher.flush();
    expect(r.delivered).toBe(0);
    expect(hits.length).toBe(4);
    expect((await store.stats()).outbox.count).toBe(3);
  });
});

describe('Flusher over real HTTP: bounded waits', () => {
  it('aborts a request the server never answers after timeoutMs and keeps the windows', async () => {
    const { base } = await server(() => undefined);
    const { store, flusher, errors } = await flusherFor(`${base}/v1/windows`, 2, {
      timeoutMs: 150,
    });
    const t0 = performance.now();
    const r = await flusher.flush();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.delivered).toBe(0);
    expect(r.retryInMs).toBeGreaterThan(0);
    expect((await store.stats()).outbox.count).toBe(2);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(String((errors[0] as Error).message)).toMatch(/aborted/);
    expect(String(((errors[0] as Error).cause as Error).message)).toMatch(/timed out after 150 ms/);
  });

  it('stop() returns promptly while a request hangs (default 30 s timeout)', async () => {
    const { base, hits } = await server(() => undefined);
    const { store, flusher } = await flusherFor(`${base}/v1/windows`, 2, { intervalMs: 3_600_000 });
    flusher.start();
    await expect.poll(() => hits.length, { timeout: 2000 }).toBe(1);
    const t0 = performance.now();
    await flusher.stop();
    expect(performance.now() - t0).toBeLessThan(5000);
    expect((await store.stats()).outbox.count).toBe(2);
  });

  it('Retry-After: 0 cannot make the flusher loop: a floor under every delay', async () => {
    const at: number[] = [];
    const { base, hits } = await server((_req, res) => {
      at.push(performance.now());
      res.writeHead(503, { 'retry-after': '0' }).end();
    });
    const { flusher, events } = await flusherFor(`${base}/v1/windows`, 1, {
      intervalMs: 3_600_000,
      random: () => 0,
    });
    flusher.start();
    // The start-up attempt and two retries; under load these may take longer
    // than 1 s, so wait for them rather than counting hits in a fixed time.
    await expect.poll(() => hits.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await flusher.stop();
    // Each retry waits out the 0.5 s floor after the 503 before it is sent again.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(490);
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    expect(delays.length).toBeGreaterThanOrEqual(2);
    for (const d of delays) expect(d).toBe(500);
  });

  it('rejects a bad timeout or floor', async () => {
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    for (const timeoutMs of [0, -1, NaN, Infinity])
      expect(() => new Flusher({ store, endpoint: 'http://x/', timeoutMs })).toThrow(ConfigError);
    expect(() => new Flusher({ store, endpoint: 'http://x/', backoff: { minMs: -1 } })).toThrow(
      /backoff.minMs/,
    );
    await store.close();
  });
});
