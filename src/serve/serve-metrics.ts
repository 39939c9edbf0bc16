/**
 * Instrumentation of a model-serving endpoint in Node: per-route latency in a
 * sketch-backed summary, request and error counts, the `/metrics` exposition,
 * and (optionally) each prediction handed to an `EdgeMonitor`. The framework
 * adapters (`./adapters.ts`) only translate their request objects into
 * {@link ServeMetrics.record} calls; this file knows no framework.
 */
import { ConfigError, closedError, describeValue } from '../errors.js';
import { optionsObject } from '../util/options.js';
import { EDGEWATCH_METRICS } from '../export/metric-names.js';
import { contentTypeFor, negotiateFormat } from '../export/exposition.js';
import { Counter } from '../prometheus/counter.js';
import { Registry } from '../prometheus/registry.js';
import { Summary } from '../prometheus/summary.js';
import type { Observation } from '../session/edge-monitor-types.js';

/** The part of `EdgeMonitor` the instrumentation feeds. */
export interface ObservationSink {
  /** Takes one prediction (with its latency in milliseconds). */
  observe(obs: Observation): void;
}

/** Options of {@link ServeMetrics}. */
export interface ServeMetricsOptions {
  /** Registry to publish in (default: a new one, exposed as `registry`). */
  registry?: Registry;
  /** Path of the metrics route the adapters answer (default `/metrics`). */
  metricsPath?: string;
  /** Latency quantiles of the summary (default 0.5, 0.95, 0.99). */
  percentiles?: readonly number[];
}

/** One finished request. */
export interface RequestOutcome {
  /** The route pattern (e.g. `/predict`, `/items/:id`), not the raw URL. */
  route: string;
  /** HTTP method. */
  method: string;
  /** Response status (500 when the handler threw). */
  status: number;
  /** Time in the handler, ms. */
  durationMs: number;
}

/** Options of {@link ServeMetrics.wrap}. */
export interface WrapOptions<A extends unknown[], R> {
  /** Route label (default `'handler'`). */
  route?: string;
  /** Method label (default `'CALL'`). */
  method?: string;
  /** Monitor fed with each successful call's prediction and latency. */
  monitor?: ObservationSink;
  /** What the monitor gets from a call: its prediction (and features, label, id). Default: `{ prediction: result }`. */
  toObservation?: (result: Awaited<R>, args: A) => Omit<Observation, 'latencyMs'> | undefined;
}

/** Most route labels kept; further routes are counted under one overflow series. */
const MAX_ROUTES = 200;

/**
 * The serving metrics: `edgewatch_http_request_duration_seconds{route,method}`
 * (summary, quantiles from the sketch), `edgewatch_http_requests_total{route,method,status}`
 * and `edgewatch_http_request_errors_total{route,method}` (status ≥ 500 or a throw).
 *
 * @example
 * const serve = new ServeMetrics();
 * const predict = serve.wrap(async (x: number[]) => model.predict(x), { route: '/predict', monitor });
 * app.use(expressMiddleware(serve)); // or httpListener / fastifyHooks / honoMiddleware
 */
export class ServeMetrics {
  /** The registry the metrics are in. */
  readonly registry: Registry;
  /** The path the adapters answer with the exposition. */
  readonly metricsPath: string;
  private readonly duration: Summary<'route' | 'method'>;
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly errors: Counter<'route' | 'method'>;
  private closed = false;

  /**
   * @param options - registry, metricsPath, percentiles.
   * @throws ConfigError for a bad path or percentiles, or when the registry already
   *   holds these metrics (one ServeMetrics per registry).
   */
  constructor(options: ServeMetricsOptions = {}) {
    optionsObject(options);
    const path = options.metricsPath ?? '/metrics';
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new ConfigError(`expected metricsPath to start with "/", got ${describeValue(path)}`);
    this.metricsPath = path;
    this.registry = options.registry ?? new Registry();
    const M = EDGEWATCH_METRICS;
    this.duration = new Summary({
      name: M.httpDuration,
      help: 'Time in the request handler, by route (quantiles from a sketch).',
      labelNames: ['route', 'method'],
      percentiles: options.percentiles ?? [0.5, 0.95, 0.99],
      registry: this.registry,
      maxSeries: MAX_ROUTES,
    });
    this.requests = new Counter({
      name: M.httpRequests,
      help: 'Requests handled, by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      registry: this.registry,
      maxSeries: MAX_ROUTES * 8,
    });
    this.errors = new Counter({
      name: M.httpErrors,
      help: 'Requests that failed (status >= 500 or a thrown handler), by route.',
      labelNames: ['route', 'method'],
      registry: this.registry,
      maxSeries: MAX_ROUTES,
    });
  }

  /**
   * Records one finished request. Never throws: a malformed outcome is ignored
   * (a negative or NaN duration still counts the request, not its latency).
   *
   * @param o - route, method, status, durationMs.
   */
  record(o: RequestOutcome): void {
    if (this.closed || o === null || typeof o !== 'object') return;
    const route = typeof o.route === 'string' && o.route.length > 0 ? o.route : 'unmatched';
    const method = typeof o.method === 'string' ? o.method.toUpperCase() : 'UNKNOWN';
    const status = Number.isInteger(o.status) ? o.status : 0;
    this.requests.inc({ route, method, status: String(status) });
    if (status >= 500 || status === 0) this.errors.inc({ route, method });
    if (typeof o.durationMs === 'number' && o.durationMs >= 0 && o.durationMs < Infinity)
      this.duration.observe({ route, method }, o.durationMs / 1000);
  }

  /**
   * Wraps a function (a model's predict, a framework-free handler): times each
   * call, records it as a request (status 200, or 500 when it throws or
   * rejects), and feeds `monitor` with the call's prediction and latency. The
   * wrapper returns or throws exactly what the function does.
   *
   * @param fn - the function (sync or async).
   * @param options - route, method, monitor, toObservation.
   * @returns the wrapped function (after `close()` its calls still run, unrecorded).
   * @throws ConfigError for a non-function; code `CLOSED` after `close()`.
   * @example
   * const predict = serve.wrap((x: number[]) => model.predict(x), {
   *   route: '/predict',
   *   monitor,
   *   toObservation: (out, [x]) => ({ prediction: out.label, features: { speed: x[0] } }),
   * });
   */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => R,
    options: WrapOptions<A, R> = {},
  ): (...args: A) => R {
    if (this.closed) throw closedError('ServeMetrics');
    if (typeof fn !== 'function')
      throw new ConfigError(`expected a function to wrap, got ${describeValue(fn)}`);
    const route = options.route ?? 'handler';
    const method = options.method ?? 'CALL';
    const { monitor, toObservation } = options;
    const done = (start: number, ok: boolean, result?: Awaited<R>, args?: A): void => {
      const durationMs = performance.now() - start;
      this.record({ route, method, status: ok ? 200 : 500, durationMs });
      if (!ok || monitor === undefined) return;
      let obs: Omit<Observation, 'latencyMs'> | undefined;
      try {
        obs = toObservation
          ? toObservation(result as Awaited<R>, args as A)
          : { prediction: result };
      } catch {
        obs = undefined;
      }
      if (obs !== undefined) monitor.observe({ ...obs, latencyMs: durationMs });
    };
    return (...args: A): R => {
      const start = performance.now();
      let out: R;
      try {
        out = fn(...args);
      } catch (e) {
        done(start, false);
        throw e;
      }
      if (out instanceof Promise) {
        return out.then(
          (v: Awaited<R>) => {
            done(start, true, v, args);
            return v;
          },
          (e: unknown) => {
            done(start, false);
            throw e;
          },
        ) as R;
      }
      done(start, true, out as Awaited<R>, args);
      return out;
    };
  }

  /**
   * The exposition for a scrape, in the format the `Accept` header asks for.
   *
   * @param accept - the request's Accept header.
   * @returns content type and body.
   * @throws ConfigError code `CLOSED` after `close()`.
   * @example const { contentType, body } = await serve.exposition(req.headers.accept);
   */
  async exposition(accept?: string): Promise<{
    /** Content-Type header value of the chosen format. */
    contentType: string;
    /** The exposition text. */
    body: string;
  }> {
    if (this.closed) throw closedError('ServeMetrics');
    const format = negotiateFormat(accept);
    return { contentType: contentTypeFor(format), body: await this.registry.metrics({ format }) };
  }

  /** Stops recording and removes the metrics from the registry. Idempotent. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      const M = EDGEWATCH_METRICS;
      for (const n of [M.httpDuration, M.httpRequests, M.httpErrors])
        this.registry.removeSingleMetric(n);
    }
    return Promise.resolve();
  }

  /** Calls close (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
