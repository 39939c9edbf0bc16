/**
 * Framework adapters of {@link ServeMetrics}: `node:http`, Express, Fastify and
 * Hono. Each times the request from arrival to the response's end, labels it
 * with the framework's route pattern (never the raw URL, which would make a
 * series per id), and answers `GET <metricsPath>` with the exposition. The
 * framework types are described structurally here, so edgewatch depends on
 * none of the frameworks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServeMetrics } from './serve-metrics.js';

/** A `node:http` request listener. */
export type HttpListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * Wraps a `node:http` listener: records every request when its response
 * finishes (a listener that throws or rejects answers 500 and is counted as
 * an error), and answers `GET <metricsPath>` itself.
 *
 * @param serve - the metrics.
 * @param listener - the application's listener.
 * @param route - route label of a request (default: the URL path; give a
 *   function that maps ids to a pattern when paths carry ids).
 * @returns the instrumented listener.
 * @example http.createServer(httpListener(serve, app, (req) => req.url?.split('?')[0] ?? '/'))
 */
export function httpListener(
  serve: ServeMetrics,
  listener: HttpListener,
  route: (req: IncomingMessage) => string = (req) => (req.url ?? '/').split('?')[0] ?? '/',
): HttpListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === serve.metricsPath && (req.method === 'GET' || req.method === 'HEAD')) {
      void answerMetrics(serve, req.headers.accept, (status, type, body) => {
        res.writeHead(status, { 'content-type': type });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
      return;
    }
    const start = performance.now();
    const r = route(req);
    res.once('finish', () =>
      serve.record({
        route: r,
        method: req.method ?? 'GET',
        status: res.statusCode,
        durationMs: performance.now() - start,
      }),
    );
    const fail = (): void => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      if (!res.writableEnded) res.end('internal error\n');
    };
    try {
      const out = listener(req, res);
      if (out instanceof Promise) out.catch(fail);
    } catch {
      fail();
    }
  };
}

/** The parts of an Express request the middleware reads. */
export interface ExpressRequestLike {
  /** HTTP method, recorded as the `method` label. */
  method: string;
  /** Request path (no query string), compared with `metricsPath`. */
  path: string;
  /** Mount path of the router that matched; prefixed to the route pattern. */
  baseUrl?: string;
  /** The matched route, absent for a request no route matched (`unmatched`). */
  route?: {
    /** The route pattern (e.g. `/users/:id`); only a string is used as the label. */
    path?: unknown;
  };
  /** Request headers. */
  headers: {
    /** The Accept header, which picks the exposition format. */
    accept?: string | undefined;
  };
}

/** The parts of an Express response the middleware uses. */
export interface ExpressResponseLike {
  /** Status sent, recorded as the `status` label when the response finishes. */
  statusCode: number;
  /** Registers a one-time listener; the request is recorded on `finish`. */
  once(event: 'finish', fn: () => void): unknown;
  /** Sets the status of the exposition answer. */
  status(code: number): ExpressResponseLike;
  /** Sets the content type of the exposition answer. */
  type(type: string): ExpressResponseLike;
  /** Sends the exposition body. */
  send(body: string): unknown;
}

/**
 * Express middleware (`app.use(expressMiddleware(serve))`, before the routes):
 * records each request under its matched route pattern (`baseUrl + route.path`,
 * `unmatched` for a 404) when the response finishes, and answers
 * `GET <metricsPath>`. Errors handled by Express's error handler finish with
 * their status (500) and count as errors.
 *
 * @param serve - the metrics.
 * @returns the middleware.
 * @example app.use(expressMiddleware(serve)); app.post('/predict', handler);
 */
export function expressMiddleware(
  serve: ServeMetrics,
): (req: ExpressRequestLike, res: ExpressResponseLike, next: () => void) => void {
  return (req, res, next) => {
    if (req.path === serve.metricsPath && req.method === 'GET') {
      void answerMetrics(serve, req.headers.accept, (status, type, body) =>
        res.status(status).type(type).send(body),
      );
      return;
    }
    const start = performance.now();
    res.once('finish', () => {
      const pattern = req.route?.path;
      serve.record({
        route: typeof pattern === 'string' ? `${req.baseUrl ?? ''}${pattern}` : 'unmatched',
        method: req.method,
        status: res.statusCode,
        durationMs: performance.now() - start,
      });
    });
    next();
  };
}

/** The parts of a Fastify instance the hooks use. */
export interface FastifyLike {
  /** Adds the `onRequest` hook that notes each request's start time. */
  addHook(
    name: 'onRequest',
    fn: (req: FastifyRequestLike, reply: unknown) => Promise<void>,
  ): unknown;
  /** Adds the `onResponse` hook that records each request. */
  addHook(
    name: 'onResponse',
    fn: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<void>,
  ): unknown;
  /** Adds the `GET <metricsPath>` route that answers the exposition. */
  get(
    path: string,
    handler: (req: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

/** The parts of a Fastify request the hooks read. */
export interface FastifyRequestLike {
  /** HTTP method, recorded as the `method` label. */
  method: string;
  /** Request headers. */
  headers: {
    /** The Accept header, which picks the exposition format. */
    accept?: string | undefined;
  };
  /** Options of the matched route; absent or without `url` for a 404 (`unmatched`). */
  routeOptions?: {
    /** The route pattern (e.g. `/users/:id`), recorded as the `route` label. */
    url?: string | undefined;
  };
}

/** The parts of a Fastify reply the hooks read. */
export interface FastifyReplyLike {
  /** Status sent, recorded as the `status` label. */
  statusCode: number;
  /** Fastify's own request duration in milliseconds; used when the start time was not noted. */
  elapsedTime?: number;
  /** Sets the status of the exposition answer. */
  code(status: number): FastifyReplyLike;
  /** Sets the content type of the exposition answer. */
  type(type: string): FastifyReplyLike;
  /** Sends the exposition body. */
  send(body: string): unknown;
}

/**
 * Instruments a Fastify instance (call before `listen`, on the root instance):
 * an `onResponse` hook records each request under its route pattern
 * (`routeOptions.url`; `unmatched` for a 404) with Fastify's own elapsed time,
 * and `GET <metricsPath>` is added as a route.
 *
 * @param app - the Fastify instance.
 * @param serve - the metrics.
 * @returns the instance.
 * @example fastifyHooks(app, serve); app.post('/predict', handler);
 */
export function fastifyHooks<F extends FastifyLike>(app: F, serve: ServeMetrics): F {
  const started = new WeakMap<object, number>();
  app.addHook('onRequest', async (req) => {
    started.set(req, performance.now());
  });
  app.addHook('onResponse', async (req, reply) => {
    const url = req.routeOptions?.url;
    if (url === serve.metricsPath) return;
    const t0 = started.get(req);
    serve.record({
      route: typeof url === 'string' && url.length > 0 ? url : 'unmatched',
      method: req.method,
      status: reply.statusCode,
      durationMs: t0 === undefined ? (reply.elapsedTime ?? NaN) : performance.now() - t0,
    });
  });
  app.get(serve.metricsPath, async (req, reply) => {
    const { contentType, body } = await serve.exposition(req.headers.accept);
    return reply.code(200).type(contentType).send(body);
  });
  return app;
}

/** The parts of a Hono context the middleware uses. */
export interface HonoContextLike {
  /** The request. */
  req: {
    /** HTTP method, recorded as the `method` label. */
    method: string;
    /** Request path, compared with `metricsPath`. */
    path: string;
    /** The matched route pattern; `*` or `/*` (only the middleware matched) counts as `unmatched`. */
    routePath: string;
    /** Reads a request header (the Accept header picks the exposition format). */
    header(name: string): string | undefined;
  };
  /** The response after the handler ran. */
  res: {
    /** Status sent, recorded as the `status` label. */
    status: number;
  };
  /** Builds the exposition response. */
  body(data: string, status: number, headers: Record<string, string>): Response;
}

/**
 * Hono middleware (`app.use('*', honoMiddleware(serve))`, before the routes):
 * records each request under its matched route pattern (`routePath`) after the
 * handler ran (a thrown handler is answered 500 by Hono and counted as an
 * error), and answers `GET <metricsPath>`.
 *
 * @param serve - the metrics.
 * @returns the middleware.
 * @example app.use('*', honoMiddleware(serve)); app.post('/predict', handler);
 */
export function honoMiddleware(
  serve: ServeMetrics,
): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | undefined> {
  return async (c, next) => {
    if (c.req.path === serve.metricsPath && c.req.method === 'GET') {
      const { contentType, body } = await serve.exposition(c.req.header('accept'));
      return c.body(body, 200, { 'content-type': contentType });
    }
    const start = performance.now();
    await next();
    const pattern = c.req.routePath;
    serve.record({
      route: pattern && pattern !== '*' && pattern !== '/*' ? pattern : 'unmatched',
      method: c.req.method,
      status: c.res.status,
      durationMs: performance.now() - start,
    });
    return undefined;
  };
}

async function answerMetrics(
  serve: ServeMetrics,
  accept: string | undefined,
  send: (status: number, type: string, body: string) => void,
): Promise<void> {
  try {
    const { contentType, body } = await serve.exposition(accept);
    send(200, contentType, body);
  } catch {
    send(500, 'text/plain; charset=utf-8', 'error producing metrics\n');
  }
}
