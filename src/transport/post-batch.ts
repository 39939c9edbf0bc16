/**
 * One POST of a batch to the collector and the classification of its outcome:
 * 2xx delivered; 408, 425, 429, 5xx, 401/403, redirects that cannot be
 * followed, timeouts and network failures retryable (with the server's
 * `Retry-After`); any other status final for the batch.
 *
 * Redirects are never followed by `fetch` (`redirect: 'manual'`): a default
 * `fetch` turns a 301/302 into a GET whose 200 would look like a delivery.
 * 307 and 308 keep the method and body by definition (RFC 9110 §15.4.8-9), so
 * they are followed by hand, at most {@link MAX_REDIRECTS} hops, and without
 * the bearer token when the origin changes (as the Fetch standard drops
 * `Authorization` on cross-origin redirects). Browsers hide the target of a
 * manual redirect (an `opaqueredirect` response), so there every redirect is
 * a retryable failure: fix the endpoint.
 */
import { TransportError } from '../errors.js';
import type { OutboxEntry } from '../storage/backend.js';
import { parseRetryAfter } from '../util/backoff.js';
import { batchBody, batchKey } from './batch.js';
import { gzipText } from './compress.js';

/** Statuses retried rather than dead-lettered (besides 5xx). 401/403: a token problem is fixed by config, not by dropping data. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([401, 403, 408, 425, 429]);

/** Hops followed for a 307/308 before giving up on the attempt. */
export const MAX_REDIRECTS = 3;

/** Default time one request may take before it is aborted, ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** How to post. */
export interface PostOptions {
  endpoint: string;
  fetch: typeof fetch;
  now: () => number;
  keepalive: boolean;
  token?: string;
  headers?: Record<string, string>;
  /** Gzip the body (`Content-Encoding: gzip`). */
  gzip?: boolean;
  /** Aborts the request (timeout or `Flusher.stop()`); its reason becomes the error's cause. */
  signal?: AbortSignal;
}

/** What a POST came to. */
export type PostOutcome =
  | { ok: true; status: number }
  | {
      ok: false;
      retryable: boolean;
      status?: number;
      retryAfterMs?: number;
      message: string;
      error: unknown;
    };

/** The page's URL in a browser (relative endpoints resolve against it), else undefined. */
function pageHref(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

function failure(message: string, status?: number, cause?: unknown): PostOutcome {
  const error = new TransportError(message, status, cause === undefined ? undefined : { cause });
  const out: PostOutcome = { ok: false, retryable: true, message, error };
  if (status !== undefined) out.status = status;
  return out;
}

/**
 * Posts `{ "windows": [...] }` with a stable `Idempotency-Key`, gzip-compressed
 * when `o.gzip` is set.
 *
 * @param batch - outbox entries, in order.
 * @param o - endpoint, fetch, clock, keepalive, token, headers, abort signal.
 * @returns the classified outcome (never throws).
 */
export async function postBatch(
  batch: readonly OutboxEntry[],
  o: PostOptions,
): Promise<PostOutcome> {
  const base: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': batchKey(batch.map((e) => e.windowId)),
    ...o.headers,
  };
  const json = batchBody(batch);
  let body: string | Uint8Array<ArrayBuffer> = json;
  if (o.gzip) {
    body = await gzipText(json);
    base['content-encoding'] = 'gzip';
  }
  const origin = new URL(o.endpoint, pageHref()).origin;
  let url = o.endpoint;
  let res: Response;
  for (let hop = 0; ; hop++) {
    const headers = { ...base };
    if (o.token && new URL(url, pageHref()).origin === origin)
      headers.authorization = `Bearer ${o.token}`;
    try {
      const init: RequestInit = {
        method: 'POST',
        headers,
        body,
        keepalive: o.keepalive,
        redirect: 'manual',
      };
      if (o.signal) init.signal = o.signal;
      res = await o.fetch(url, init);
    } catch (cause) {
      const why = o.signal?.aborted ? 'request aborted' : 'network failure';
      return failure(`${why} posting to ${url}`, undefined, o.signal?.reason ?? cause);
    }
    if (res.type === 'opaqueredirect') {
      return failure(
        `collector redirected ${url} (not followed: a redirect is never a delivery; fix the endpoint)`,
      );
    }
    if (res.status < 300 || res.status >= 400) break;
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if ((res.status !== 307 && res.status !== 308) || location === null) {
      return failure(
        `collector answered ${res.status} redirecting to ${location ?? '(no location)'}: not followed, a redirect is never a delivery; fix the endpoint`,
        res.status,
      );
    }
    if (hop >= MAX_REDIRECTS) {
      return failure(
        `collector redirected more than ${MAX_REDIRECTS} times from ${o.endpoint}`,
        res.status,
      );
    }
    url = new URL(location, url).href;
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: true, status: res.status };
  }
  const text = (await res.text().catch(() => '')).slice(0, 500);
  const message = `collector answered ${res.status}: ${text}`;
  const out: PostOutcome = {
    ok: false,
    retryable: res.status >= 500 || RETRYABLE_STATUSES.has(res.status),
    status: res.status,
    message,
    error: new TransportError(message, res.status),
  };
  const ra = parseRetryAfter(res.headers.get('retry-after'), o.now());
  if (ra !== undefined) out.retryAfterMs = ra;
  return out;
}
