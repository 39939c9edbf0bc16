/**
 * The collector's HTTP routes: each takes a request and answers it, using the
 * services the server wires together (store, aggregator, access policy, rate
 * limiter, remote writer). Errors are thrown as {@link HttpError}s and answered
 * by the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeFor, formatExposition, negotiateFormat } from '../export/exposition.js';
import type { Access, AccessKind } from './access.js';
import type { Kernel } from '../kernel/kernel.js';
import type { FleetAggregator } from './fleet-aggregator.js';
import { readDecodedBody, sendPiecesCoded } from './content-coding.js';
import { fleetPageAsset } from './fleet-page.js';
import {
  fleetDriftQuery,
  fleetTimelineQuery,
  parseReferenceBody,
  profilesForRange,
  referencePath,
} from './fleet-routes.js';
import { StorageError } from '../errors.js';
import { HttpError, num, send, type BodyBudget } from './http-helpers.js';
import { jsonDepth, MAX_JSON_DEPTH, parseIngestBody } from './ingest.js';
import { OtlpError, otlpToWindows } from './otlp-ingest.js';
import {
  decodeOtlpMetricsRequest,
  encodeOtlpMetricsResponse,
  encodeRpcStatus,
} from './otlp-proto.js';
import type { RateLimiter } from './rate-limit.js';
import type { RemoteWriter } from './remote-write.js';
import { collectorSelfFamilies, type IngestCounters } from './self-metrics.js';
import type { CollectorStore } from './store.js';
import type { BatchResult, WindowQuery } from './window-db.js';
import type { WindowRecord } from '../window/window-record.js';
import type { HourlyAggregate } from './hourly.js';

/** What the routes work with. */
export interface RouteContext {
  store: CollectorStore;
  /** With a shared store: folds rows committed by any collector into `agg` (before reads of it). */
  refresh?: () => Promise<void>;
  agg: FleetAggregator;
  /** The collector's (reference) kernel, for sketch quantiles. */
  kernel: Kernel;
  access: Access;
  budget: BodyBudget;
  limiter?: RateLimiter;
  remote?: RemoteWriter;
  commit: (windows: readonly WindowRecord[]) => Promise<BatchResult>;
  counters: IngestCounters;
  /** Request counts keyed by {@link requestKey}. */
  requests: Map<string, number>;
  maxBodyBytes: number;
  maxWindowsPerRequest: number;
  /** Windows ending longer ago than this (ms) live on as hourly aggregates (0: none). */
  retentionMs: number;
  closing: () => boolean;
  onError: (e: unknown) => void;
}

/** A routed request's name and answered status. */
export type RouteResult = [route: string, status: number];

/** The rejection counter of a body that could not be read. */
function bodyRejectReason(e: unknown): 'busy' | 'oversize' | 'content_encoding' | 'malformed' {
  const status = e instanceof HttpError ? e.status : 0;
  if (status === 503) return 'busy';
  if (status === 415) return 'content_encoding';
  if (status === 400) return 'malformed';
  return 'oversize';
}

/** A route's answer to one request: the status it sent. */
type Handler = (
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => Promise<number>;

/**
 * A route behind the access check of `kind`. One that answers from the fleet
 * aggregate first folds in the rows other collectors committed (with a shared
 * store); one that reads the store asks it directly.
 */
function guarded(kind: AccessKind, source: 'aggregate' | 'store', answer: Handler): Handler {
  return async (ctx, req, res, url) => {
    guard(ctx, req, kind);
    if (source === 'aggregate') await ctx.refresh?.();
    return answer(ctx, req, res, url);
  };
}

function guard(ctx: RouteContext, req: IncomingMessage, kind: AccessKind): void {
  if (ctx.access.allows(req, kind)) return;
  ctx.counters.reject('unauthorized');
  throw new HttpError(
    401,
    'expected Authorization: Bearer <token>, got a missing or wrong token',
    undefined,
    { 'www-authenticate': 'Bearer' },
  );
}

/**
 * Stores validated windows: rate limit per device, one commit, then the fleet
 * aggregate and the counters for the new ones.
 *
 * @param ctx - the services.
 * @param windows - validated windows.
 * @returns how many were new and how many duplicates.
 * @throws HttpError 429 (rate limit), 409 (a window id reused with different content) or 503 (the store failed to commit).
 */
async function commitWindows(
  ctx: RouteContext,
  windows: WindowRecord[],
): Promise<{ accepted: number; duplicates: number }> {
  const wait = ctx.limiter?.take(new Set(windows.map((w) => w.deviceId))) ?? 0;
  if (wait > 0) {
    ctx.counters.reject('rate_limited');
    throw new HttpError(
      429,
      `rate limit: expected fewer requests per device, retry in ${wait} s`,
      undefined,
      {
        'retry-after': String(wait),
      },
    );
  }
  let result: BatchResult;
  try {
    result = await ctx.commit(windows);
  } catch (e) {
    throw storageUnavailable(ctx, e);
  }
  if (!result.ok) {
    if ('conflicts' in result) {
      ctx.counters.reject('conflict');
      throw new HttpError(
        409,
        'window id reused with different content; nothing of this request stored',
        result.conflicts.slice(0, 100).map((id) => `windowId ${id}`),
      );
    }
    throw storageUnavailable(ctx, result.error);
  }
  // The new windows are already in the aggregates: the commit folds them (see `server.ts`), or,
  // with a shared store, `refresh` does, whichever collector took them. Remote-write reads the
  // store's queue, filled in the same transaction.
  const accepted = result.outcomes.filter((o) => o === 'new').length;
  ctx.counters.accepted += accepted;
  ctx.counters.duplicates += windows.length - accepted;
  return { accepted, duplicates: windows.length - accepted };
}

/**
 * A store failure as the answer to an ingest request: 503 (retry later; the
 * device resends the same ids, so a window that did commit becomes a
 * duplicate), counted as `storage`; any other error unchanged.
 */
function storageUnavailable(ctx: RouteContext, e: unknown): unknown {
  if (!(e instanceof StorageError)) return e;
  ctx.counters.reject('storage');
  ctx.onError(e);
  return new HttpError(503, `storage unavailable: ${e.message}`, undefined, {
    'retry-after': '1',
  });
}

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';

/**
 * The body of a request that stores windows: the caller may ingest, the
 * content type is one of `types` (else 415) and the content coding is undone;
 * a refusal is counted by its reason.
 *
 * @returns the decoded body and the content type it came as.
 */
async function readIngestBody(
  ctx: RouteContext,
  req: IncomingMessage,
  types: readonly string[],
): Promise<{ body: Buffer; type: string }> {
  guard(ctx, req, 'ingest');
  const ct = req.headers['content-type'] ?? '';
  const lower = ct.toLowerCase();
  // The media type, then a parameter or the end (`application/json; charset=utf-8`).
  const type = types.find((t) => lower.startsWith(t) && !/\w/.test(lower.charAt(t.length)));
  if (type === undefined) {
    ctx.counters.reject('content_type');
    throw new HttpError(
      415,
      `expected Content-Type ${types.join(' or ')}, got ${JSON.stringify(ct)}`,
    );
  }
  try {
    return { body: await readDecodedBody(req, ctx.maxBodyBytes, ctx.budget), type };
  } catch (e) {
    ctx.counters.reject(bodyRejectReason(e));
    throw e;
  }
}

async function ingest(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  const text = (await readIngestBody(ctx, req, [JSON_TYPE])).body.toString('utf8');
  const parsed = parseIngestBody(text, ctx.maxWindowsPerRequest);
  if ('error' in parsed) {
    ctx.counters.reject(parsed.status === 400 ? 'malformed' : 'schema');
    throw new HttpError(parsed.status, parsed.error, parsed.details);
  }
  const { accepted, duplicates } = await commitWindows(ctx, parsed.windows);
  send(res, 200, { accepted, duplicates });
  return 200;
}

/** gRPC `INVALID_ARGUMENT`, the code of a refused OTLP request. */
const RPC_INVALID_ARGUMENT = 3;

function otlpAnswer(
  res: ServerResponse,
  proto: boolean,
  status: number,
  body: { error?: string; rejected?: number; message?: string },
): number {
  if (proto) {
    const bytes =
      body.error !== undefined
        ? encodeRpcStatus(RPC_INVALID_ARGUMENT, body.error)
        : encodeOtlpMetricsResponse(body.rejected ?? 0, body.message ?? '');
    res.writeHead(status, { 'content-type': 'application/x-protobuf' });
    res.end(bytes);
  } else if (body.error !== undefined) send(res, status, { error: body.error });
  else
    send(
      res,
      status,
      body.rejected
        ? {
            partialSuccess: {
              rejectedDataPoints: String(body.rejected),
              errorMessage: body.message,
            },
          }
        : {},
    );
  return status;
}

/** OTLP/HTTP metrics (JSON or protobuf): one window per resource, stored as `/v1/windows` stores. */
async function otlpMetrics(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  const { body: raw, type } = await readIngestBody(ctx, req, [JSON_TYPE, PROTOBUF_TYPE]);
  const proto = type === PROTOBUF_TYPE;
  let windows: WindowRecord[];
  try {
    let body: unknown;
    if (proto) body = decodeOtlpMetricsRequest(raw);
    else {
      const text = raw.toString('utf8');
      if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
        throw new OtlpError(`expected JSON nested at most ${MAX_JSON_DEPTH} deep`);
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new OtlpError(`malformed JSON: ${(e as Error).message}`);
      }
    }
    windows = otlpToWindows(body).windows;
  } catch (e) {
    if (!(e instanceof OtlpError)) throw e;
    ctx.counters.reject('malformed');
    return otlpAnswer(res, proto, 400, { error: e.message });
  }
  if (windows.length === 0) return otlpAnswer(res, proto, 200, {});
  if (windows.length > ctx.maxWindowsPerRequest) {
    ctx.counters.reject('schema');
    return otlpAnswer(res, proto, 400, {
      error: `expected at most ${ctx.maxWindowsPerRequest} resources per request, got ${windows.length}`,
    });
  }
  // The same checks as /v1/windows: one definition of a valid window.
  const checked = parseIngestBody(JSON.stringify({ windows }), ctx.maxWindowsPerRequest);
  if ('error' in checked) {
    ctx.counters.reject('schema');
    return otlpAnswer(res, proto, 400, {
      error: [checked.error, ...(checked.details ?? [])].join('; '),
    });
  }
  await commitWindows(ctx, checked.windows);
  const drops: Record<string, number> = {};
  for (const w of checked.windows)
    for (const [k, v] of Object.entries(w.drops)) drops[k] = (drops[k] ?? 0) + v;
  const rejected = Object.values(drops).reduce((a, b) => a + b, 0);
  return otlpAnswer(res, proto, 200, {
    rejected,
    message: Object.entries(drops)
      .map(([k, v]) => `${v} point(s) not stored: ${k}`)
      .join('; '),
  });
}

const query = guarded('read', 'store', async (ctx, _req, res, url) => {
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
  const page: { windows: WindowRecord[]; next?: number; hourly?: HourlyAggregate[] } =
    await ctx.store.query(q);
  // Windows past the retention answer as hourly aggregates, on the first page.
  if (q.after === undefined && ctx.store.hourly) {
    const hourly = await ctx.store.hourly(q);
    if (hourly.length > 0) page.hourly = hourly;
  }
  send(res, 200, page);
  return 200;
});

async function putReference(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  [model, version]: [string, string],
): Promise<number> {
  guard(ctx, req, 'ingest');
  const ct = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(ct))
    throw new HttpError(415, `expected Content-Type application/json, got ${JSON.stringify(ct)}`);
  const text = (await readDecodedBody(req, ctx.maxBodyBytes, ctx.budget)).toString('utf8');
  const { raw, profiles } = parseReferenceBody(text);
  await ctx.store.putReference(model, version, raw, Date.now());
  ctx.agg.profiles.setReference(model, version, profiles);
  send(res, 200, { model, version, features: profiles.size });
  return 200;
}

const fleetRoute = guarded('read', 'aggregate', async (ctx, _req, res, url) => {
  const now = Date.now();
  const store =
    url.pathname === '/v1/fleet/models'
      ? ctx.agg.profiles
      : await profilesForRange(
          ctx.agg.profiles,
          url.searchParams,
          now,
          ctx.retentionMs,
          ctx.store.hourlyRange?.bind(ctx.store),
        );
  if (url.pathname === '/v1/fleet/drift')
    send(res, 200, fleetDriftQuery(store, url.searchParams, now));
  else if (url.pathname === '/v1/fleet/timeline')
    send(res, 200, fleetTimelineQuery(store, ctx.kernel, url.searchParams, now));
  else
    send(res, 200, {
      models: store.modelVersions().map((m) => ({
        ...m,
        reference: store.reference(m.model, m.version) !== undefined,
      })),
    });
  return 200;
});

const fleetSketches = guarded('read', 'aggregate', async (ctx, _req, res) => {
  send(res, 200, {
    sketches: ctx.agg.fleetSketches(),
    overflowDevices: ctx.agg.overflowDeviceCount,
  });
  return 200;
});

const getReference = guarded('read', 'aggregate', async (ctx, _req, res, url) => {
  const [model, version] = referencePath(url.pathname)!;
  const known = ctx.agg.profiles.reference(model, version) !== undefined;
  const stored = (await ctx.store.references()).find(
    (r) => r.model === model && r.version === version,
  );
  if (!known || !stored) throw new HttpError(404, `no reference profiles for ${model} ${version}`);
  send(res, 200, { model, version, profiles: stored.profiles });
  return 200;
});

const metrics = guarded('scrape', 'aggregate', async (ctx, req, res) => {
  const format = negotiateFormat(req.headers.accept);
  // Formatted in slices and streamed: ingest runs in between.
  const pieces = await ctx.agg.exposition(format);
  pieces.push(
    formatExposition(
      collectorSelfFamilies(ctx.requests, ctx.counters, ctx.agg, ctx.remote),
      format,
    ),
  );
  await sendPiecesCoded(req, res, 200, pieces, { 'content-type': contentTypeFor(format) });
  return 200;
});

/**
 * Routes one request.
 *
 * @param ctx - the services.
 * @param req - the request.
 * @param res - the response.
 * @returns the route's name and the status answered.
 * @throws HttpError for a refused request (answered by the caller).
 */
export async function route(
  ctx: RouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<RouteResult> {
  const target = req.url ?? '/';
  // Ingest, the route taken most, is matched on the raw target: no URL to parse.
  if (target === '/v1/windows' && req.method === 'POST')
    return ['ingest', await ingest(ctx, req, res)];
  const url = new URL(target, 'http://collector');
  const path = url.pathname;
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
      'access-control-allow-headers':
        'content-type, content-encoding, authorization, idempotency-key',
      'access-control-max-age': '86400',
    });
    res.end();
    return ['options', 204];
  }
  if (path === '/v1/windows' && req.method === 'POST')
    return ['ingest', await ingest(ctx, req, res)];
  if (path === '/v1/metrics' && req.method === 'POST')
    return ['otlp', await otlpMetrics(ctx, req, res)];
  const ref = referencePath(path);
  if (ref) {
    if (req.method === 'PUT') return ['reference', await putReference(ctx, req, res, ref)];
    if (req.method === 'GET') return ['reference', await getReference(ctx, req, res, url)];
    throw new HttpError(405, `expected GET or PUT, got ${req.method}`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new HttpError(405, `expected GET or POST, got ${req.method}`);
  const asset = fleetPageAsset(path);
  if (asset) {
    // the page itself is public; it asks for the token and sends it with its data requests
    send(res, 200, asset.body, { 'content-type': asset.type, 'cache-control': 'no-cache' });
    return ['page', 200];
  }
  if (path === '/metrics') return ['metrics', await metrics(ctx, req, res, url)];
  if (path === '/healthz' || path === '/health') {
    const closing = ctx.closing();
    send(res, closing ? 503 : 200, {
      status: closing ? 'closing' : 'ok',
      windows: ctx.counters.windows,
    });
    return ['health', closing ? 503 : 200];
  }
  if (path === '/v1/windows') return ['query', await query(ctx, req, res, url)];
  if (path === '/v1/fleet/drift' || path === '/v1/fleet/timeline' || path === '/v1/fleet/models')
    return ['fleet', await fleetRoute(ctx, req, res, url)];
  if (path === '/v1/fleet') return ['fleet', await fleetSketches(ctx, req, res, url)];
  throw new HttpError(404, `no route ${req.method} ${path}`);
}
