/**
 * One POST of a batch to the collector and the classification of its outcome:
 * 2xx delivered; 408, 425, 429, 5xx, 401/403 and network failures retryable
 * (with the server's `Retry-After`); any other status final for the batch.
 */
import { TransportError } from '../errors.js';
import type { OutboxEntry } from '../storage/backend.js';
import { parseRetryAfter } from './backoff.js';
import { batchBody, batchKey } from './batch.js';

/** Statuses retried rather than dead-lettered (besides 5xx). 401/403: a token problem is fixed by config, not by dropping data. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([401, 403, 408, 425, 429]);

/** How to post. */
export interface PostOptions {
  endpoint: string;
  fetch: typeof fetch;
  now: () => number;
  keepalive: boolean;
  token?: string;
  headers?: Record<string, string>;
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

/**
 * Posts `{ "windows": [...] }` with a stable `Idempotency-Key`.
 *
 * @param batch - outbox entries, in order.
 * @param o - endpoint, fetch, clock, keepalive, token, headers.
 * @returns the classified outcome (never throws).
 */
export async function postBatch(
  batch: readonly OutboxEntry[],
  o: PostOptions,
): Promise<PostOutcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': batchKey(batch.map((e) => e.windowId)),
    ...o.headers,
  };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let res: Response;
  try {
    res = await o.fetch(o.endpoint, {
      method: 'POST',
      headers,
      body: batchBody(batch),
      keepalive: o.keepalive,
    });
  } catch (cause) {
    const error = new TransportError(`network failure posting to ${o.endpoint}`, undefined, {
      cause,
    });
    return { ok: false, retryable: true, message: error.message, error };
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
