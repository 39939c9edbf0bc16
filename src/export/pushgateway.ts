/**
 * Push to a Prometheus Pushgateway (for pages and short-lived processes that
 * cannot be scraped).
 *
 * CORS: the Pushgateway sends no CORS headers and answers no preflight, so a
 * push works from Node, Electron's main process, workers under Node and any
 * non-browser runtime; from a web page only when the gateway is same-origin —
 * put it behind the page's own origin with a reverse proxy (e.g. `/pushgateway/`
 * → `http://pushgateway:9091/`). A cross-origin `fetch` from a page fails with a
 * network error (reported as `TransportError` with no status).
 */
import { ConfigError, TransportError, describeValue } from '../errors.js';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.js';
import { isValidLabelName } from './prom-names.js';

/** Anything that yields text exposition 0.0.4 (a `Registry`). */
export interface ExpositionSource {
  metrics(options?: { format?: 'prometheus' | 'openmetrics' }): Promise<string>;
}

/** Options of {@link pushToGateway}. */
export interface PushgatewayOptions {
  /** Gateway base URL, e.g. `http://127.0.0.1:9091` (a path prefix is kept). */
  url: string;
  /** The `job` grouping label (required, non-empty). */
  job: string;
  /** More grouping labels, e.g. `{ instance: 'robot-7' }`. */
  groupingKey?: Record<string, string>;
  /** fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Extra headers (e.g. authorization). */
  headers?: Record<string, string>;
}

/** Options of {@link pushToGateway}: a registry and the HTTP method. */
export interface PushOptions extends PushgatewayOptions {
  /** The registry to push. */
  registry: ExpositionSource;
  /** `PUT` replaces the whole group (default); `POST` replaces only the metrics pushed. */
  method?: 'PUT' | 'POST';
}

function base64url(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_');
}

function segment(name: string, value: string): string {
  // Values with '/' or empty values need the base64url form of the path (Pushgateway ≥ 0.9).
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${base64url(value)}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/**
 * The gateway path of a group: `/metrics/job/<job>/<label>/<value>…`, using the
 * `@base64` form for values that contain `/` or are empty.
 *
 * @param job - job name.
 * @param groupingKey - more grouping labels.
 * @returns the path.
 * @throws ConfigError on an empty job or an invalid label name.
 * @example
 * groupPath('robot', { instance: 'a/b' }); // => '/metrics/job/robot/instance@base64/YS9i'
 */
export function groupPath(job: string, groupingKey: Record<string, string> = {}): string {
  if (typeof job !== 'string' || job === '')
    throw new ConfigError(`expected a non-empty job name, got ${describeValue(job)}`);
  let path = `/metrics/${segment('job', job)}`;
  for (const [k, v] of Object.entries(groupingKey)) {
    if (!isValidLabelName(k) || k === 'job')
      throw new ConfigError(
        `expected grouping label names matching [a-zA-Z_][a-zA-Z0-9_]* (not "job"), got ${describeValue(k)}`,
      );
    if (typeof v !== 'string')
      throw new ConfigError(
        `expected grouping label "${k}" to be a string, got ${describeValue(v)}`,
      );
    path += `/${segment(k, v)}`;
  }
  return path;
}

async function send(options: PushgatewayOptions, method: string, body?: string): Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = options.url.replace(/\/+$/, '') + groupPath(options.job, options.groupingKey);
  let res: Response;
  try {
    res = await doFetch(url, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': PROMETHEUS_CONTENT_TYPE } : {}),
        ...options.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
  } catch (error) {
    throw new TransportError(
      `Pushgateway ${method} ${url} failed (network error; from a page this is usually CORS, see pushgateway.ts): ${String(error)}`,
      undefined,
      { cause: error },
    );
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new TransportError(
      `Pushgateway ${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`,
      res.status,
    );
  }
}

/**
 * Pushes the registry's exposition (text 0.0.4) to a Pushgateway group.
 *
 * @param options - url, job, groupingKey, registry, method (`PUT` default or `POST`), fetch, headers.
 * @returns resolves on a 2xx answer.
 * @throws ConfigError on a bad job or grouping key; TransportError on a network error or non-2xx (with `status`).
 * @example
 * await pushToGateway({ url: 'http://127.0.0.1:9091', job: 'robot', groupingKey: { instance: 'r7' }, registry });
 */
export async function pushToGateway(options: PushOptions): Promise<void> {
  const method = options.method ?? 'PUT';
  if (method !== 'PUT' && method !== 'POST')
    throw new ConfigError(`expected method "PUT" or "POST", got ${describeValue(method)}`);
  const body = await options.registry.metrics({ format: 'prometheus' });
  await send(options, method, body);
}

/**
 * Deletes a group from a Pushgateway.
 *
 * @param options - url, job, groupingKey, fetch, headers.
 * @returns resolves on a 2xx answer.
 * @throws ConfigError on a bad job or grouping key; TransportError on failure.
 * @example
 * await deleteFromGateway({ url: 'http://127.0.0.1:9091', job: 'robot' });
 */
export async function deleteFromGateway(options: PushgatewayOptions): Promise<void> {
  await send(options, 'DELETE');
}
