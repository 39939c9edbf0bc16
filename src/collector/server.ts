/**
 * The collector's HTTP server (`edgewatch/collector`, Node only).
 *
 * - `POST /v1/windows`: ingest (JSON, schema-checked, size-capped, bearer auth
 *   when a token is set), idempotent by window id; `{ accepted, duplicates }`.
 * - `GET /v1/windows`: query stored windows (`model`, `version`, `device`,
 *   `since`, `until`, `after`, `limit`).
 * - `GET /v1/fleet`: exact fleet-merged sketch summaries.
 * - `GET /metrics`: Prometheus exposition of everything ingested.
 * - `GET /healthz`: liveness and counts.
 * CORS is answered for browsers (`corsOrigin`, default `*`). `close()` stops
 * accepting, lets in-flight requests finish, flushes remote-write, closes SQLite.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigError, describeValue } from '../errors.js';
import { contentTypeFor, formatExposition, negotiateFormat } from '../export/exposition.js';
import type { MetricFamily } from '../export/prom-model.js';
import { createReferenceKernel } from '../kernel/reference/index.js';
import { FleetAggregator } from './fleet-aggregator.js';
import { parseIngestBody } from './ingest.js';
import { createGroupCommit } from './group-commit.js';
import { HttpError, num, readBody, tokenMatches } from './http-helpers.js';
import { collectorSelfFamilies } from './self-metrics.js';
import { RemoteWriter, type RemoteWriteOptions } from './remote-write.js';
import { WindowDb, type WindowQuery } from './window-db.js';

/** Options of {@link startCollector}. */
export interface CollectorOptions {
  /** Port; 0 picks a free one. Default 9464. */
  port?: number;
  /** Interface. Default `127.0.0.1`. */
  host?: string;
  /** SQLite file (`':memory:'` for none). Default `./edgewatch.db`. */
  dbPath?: string;
  /** When set, ingest requires `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most windows per request. Default 1000. */
  maxWindowsPerRequest?: number;
  /** Device label cap for `/metrics`. Default 1000. */
  maxDevices?: number;
  /** `Access-Control-Allow-Origin`. Default `*`. */
  corsOrigin?: string;
  /** SQLite `synchronous`: `'full'` (default) or `'normal'`. */
  synchronous?: 'full' | 'normal';
  /** Remote-write every window to a Prometheus-compatible store. */
  remoteWrite?: RemoteWriteOptions;
  /** Background failures (remote-write). */
  onError?: (e: unknown) => void;
}

/** A running collector. */
export interface Collector {
  readonly port: number;
  readonly host: string;
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  readonly url: string;
  /** Ingest counters. */
  stats(): {
    windows: number;
    accepted: number;
    duplicates: number;
    rejected: Record<string, number>;
  };
  /** Stops serving (in-flight requests finish) and closes storage. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the collector.
 *
 * @param options - see {@link CollectorOptions}.
 * @returns the running collector (`port`, `url`, `close()`).
 * @throws ConfigError on bad options; StorageError when the database cannot open.
 * @example
 * const c = await startCollector({ port: 0, host: '127.0.0.1', dbPath: ':memory:' });
 * await fetch(`${c.url}/healthz`);
 * await c.close();
 */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const port = options.port ?? 9464;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`expected port in 0..65535, got ${describeValue(options.port)}`);
  const host = options.host ?? '127.0.0.1';
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  if (!(maxBody > 0))
    throw new ConfigError(`expected maxBodyBytes > 0, got ${describeValue(options.maxBodyBytes)}`);
  const maxWindows = options.maxWindowsPerRequest ?? 1000;
  if (
    options.token !== undefined &&
    (typeof options.token !== 'string' || options.token.length === 0)
  ) {
    throw new ConfigError(
      `expected token to be a non-empty string, got ${describeValue(options.token)}`,
    );
  }
  const onError = options.onError ?? (() => undefined);
  const db = new WindowDb(
    options.dbPath ?? './edgewatch.db',
    options.synchronous ? { synchronous: options.synchronous } : {},
  );
  const kernel = createReferenceKernel();
  const agg = new FleetAggregator({ kernel, maxDevices: options.maxDevices ?? 1000 });
  let windows = 0;
  for (const rec of db.all()) {
    agg.ingest(rec);
    windows++;
  }
  const remote = options.remoteWrite
    ? new RemoteWriter(options.remoteWrite, kernel, onError)
    : undefined;
  const counters = { accepted: 0, duplicates: 0, rejected: {} as Record<string, number> };
  const requests = new Map<string, number>();
  const cors = options.corsOrigin ?? '*';
  let inflight = 0;
  let drained: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  const commit = createGroupCommit(db);

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'access-control-allow-origin': cors,
      ...headers,
    });
    res.end(text);
  };

  const reject = (reason: string): void => {
    counters.rejected[reason] = (counters.rejected[reason] ?? 0) + 1;
  };

  const ingest = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    if (options.token !== undefined && !tokenMatches(req.headers.authorization, options.token)) {
      reject('unauthorized');
      throw new HttpError(
        401,
        'expected Authorization: Bearer <token>, got a missing or wrong token',
      );
    }
    const ct = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(ct)) {
      reject('content_type');
      throw new HttpError(415, `expected Content-Type application/json, got ${JSON.stringify(ct)}`);
    }
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (e) {
      reject('oversize');
      throw e;
    }
    const parsed = parseIngestBody(text, maxWindows);
    if ('error' in parsed) {
      reject(parsed.status === 400 ? 'malformed' : 'schema');
      throw new HttpError(parsed.status, parsed.error, parsed.details);
    }
    const fresh = await commit(parsed.windows);
    let accepted = 0;
    parsed.windows.forEach((w, i) => {
      if (!fresh[i]) return;
      accepted++;
      agg.ingest(w);
      remote?.enqueue(w);
    });
    windows += accepted;
    counters.accepted += accepted;
    counters.duplicates += parsed.windows.length - accepted;
    send(res, 200, { accepted, duplicates: parsed.windows.length - accepted });
    return 200;
  };

  const selfFamilies = (): MetricFamily[] => collectorSelfFamilies(requests, counters, agg, remote);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<[string, number]> => {
    const url = new URL(req.url ?? '/', 'http://collector');
    const path = url.pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, authorization, idempotency-key',
        'access-control-max-age': '86400',
      });
      res.end();
      return ['options', 204];
    }
    if (path === '/v1/windows' && req.method === 'POST') return ['ingest', await ingest(req, res)];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, `expected GET or POST, got ${req.method}`);
    if (path === '/metrics') {
      const format = negotiateFormat(req.headers.accept);
      send(res, 200, formatExposition([...agg.families(), ...selfFamilies()], format), {
        'content-type': contentTypeFor(format),
      });
      return ['metrics', 200];
    }
    if (path === '/healthz' || path === '/health') {
      send(res, closing ? 503 : 200, { status: closing ? 'closing' : 'ok', windows });
      return ['health', 200];
    }
    if (path === '/v1/windows') {
      const q: WindowQuery = {};
      const p = url.searchParams;
      for (const k of ['model', 'version', 'device'] as const) {
        const v = p.get(k);
        if (v !== null) q[k] = v;
      }
      for (const k of ['since', 'until', 'after', 'limit'] as const) {
        const v = num(p.get(k), k);
        if (v !== undefined) q[k] = v;
      }
      send(res, 200, db.query(q));
      return ['query', 200];
    }
    if (path === '/v1/fleet') {
      send(res, 200, { sketches: agg.fleetSketches(), overflowDevices: agg.overflowDeviceCount });
      return ['fleet', 200];
    }
    throw new HttpError(404, `no route ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    inflight++;
    route(req, res)
      .then(([name, status]) =>
        requests.set(`${name} ${status}`, (requests.get(`${name} ${status}`) ?? 0) + 1),
      )
      .catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : 500;
        const message =
          e instanceof HttpError
            ? e.message
            : `internal error: ${(e as Error)?.message ?? String(e)}`;
        if (!(e instanceof HttpError)) onError(e);
        const body: { error: string; details?: string[] } = { error: message };
        if (e instanceof HttpError && e.details) body.details = e.details;
        const headers: Record<string, string> =
          status === 401 ? { 'www-authenticate': 'Bearer' } : {};
        if (status === 413) headers.connection = 'close';
        if (!res.headersSent) send(res, status, body, headers);
        else res.end();
        requests.set(`error ${status}`, (requests.get(`error ${status}`) ?? 0) + 1);
      });
    // Counted until the response is flushed (or the socket dies), not just written.
    res.once('close', () => {
      inflight--;
      if (inflight === 0) drained?.();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    port: bound,
    host,
    url: `http://${urlHost}:${bound}`,
    stats: () => ({
      windows,
      accepted: counters.accepted,
      duplicates: counters.duplicates,
      rejected: { ...counters.rejected },
    }),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = (ms: number) =>
          new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
        if (inflight > 0)
          await Promise.race([new Promise<void>((resolve) => (drained = resolve)), grace(10_000)]);
        // Keep-alive sockets of finished requests are idle now; stragglers are cut after the grace period.
        server.closeIdleConnections();
        await Promise.race([stopped, grace(2_000)]);
        server.closeAllConnections();
        await stopped;
        await remote?.close();
        db.close();
      })();
      return closing;
    },
  };
}
