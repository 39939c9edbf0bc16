/**
 * POST a JSON body with retry on the library's one retry policy
 * (`util/backoff.ts`: full-jitter exponential backoff, `Retry-After`, a floor). Uses the global
 * `fetch` (browsers, Web Workers, Node >= 18), so the same code serves the
 * alert webhook and the retraining webhook on the device and on a server.
 */
import { ConfigError, TransportError, describeValue } from '../../errors.js';
import {
  DEFAULT_MIN_BACKOFF_MS,
  parseRetryAfter,
  retryDelay,
  type BackoffOptions,
} from '../../util/backoff.js';
import { optionalFunction, optionalNumber } from '../../util/options.js';

/** Options of {@link postJson}. */
export interface PostJsonOptions {
  /** Extra attempts after the first (default 3). */
  retries?: number;
  /**
   * First backoff ceiling in ms; doubles per attempt, full jitter, never less
   * than min(backoffMs, 500) (default 200).
   */
  backoffMs?: number;
  /** Cap of one backoff, `Retry-After` included (default 10 000). */
  maxBackoffMs?: number;
  /** Timeout of one attempt in ms (default 10 000). */
  timeoutMs?: number;
  /** Extra request headers (`content-type: application/json` is always set). */
  headers?: Readonly<Record<string, string>>;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** What a successful POST returns. */
export interface PostJsonResult {
  /** HTTP status (2xx). */
  status: number;
  /** Attempts made (1 = first try succeeded). */
  attempts: number;
  /** The response body: parsed JSON when the server says so, else text ('' when empty). */
  body: unknown;
}

/** Resolved options, validated once by whoever builds a notifier or runner. */
export interface ResolvedPostOptions {
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch | undefined;
}

/**
 * Validates webhook options (constructor-time, so misuse throws early).
 *
 * @param where - the caller's name, for messages.
 * @param url - the endpoint.
 * @param options - see {@link PostJsonOptions}.
 * @returns the resolved options.
 * @throws {@link ConfigError} on a URL that is not http(s) or a bad number.
 */
export function resolvePostOptions(
  where: string,
  url: string,
  options: PostJsonOptions = {},
): ResolvedPostOptions {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(`${where}: expected an http(s) URL, got ${describeValue(url)}`);
  }
  const num = (key: keyof PostJsonOptions, def: number, min: number): number =>
    optionalNumber(key, options[key], def, { min }, where);
  const retries = optionalNumber('retries', options.retries, 3, { min: 0, integer: true }, where);
  optionalFunction('fetch', options.fetch, where);
  return {
    retries,
    backoffMs: num('backoffMs', 200, 0),
    maxBackoffMs: num('maxBackoffMs', 10_000, 0),
    timeoutMs: num('timeoutMs', 10_000, 1),
    headers: { ...(options.headers ?? {}) },
    fetch: options.fetch,
  };
}

/**
 * Serialises a body for the wire: typed arrays become plain arrays, errors
 * become `{ name, message }`, non-finite numbers become `null` (JSON has none).
 *
 * @param value - any JSON-ish value.
 * @returns the JSON text.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number>);
    }
    if (v instanceof Error) return { name: v.name, message: v.message };
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  });
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * POSTs `body` as JSON to `url`, retrying network errors, timeouts, 408/425/429
 * and 5xx with exponential backoff and jitter (honouring `Retry-After` in
 * seconds, capped). Other statuses fail at once.
 *
 * @param url - the endpoint.
 * @param body - the value to send (see {@link toJson}).
 * @param options - resolved options ({@link resolvePostOptions}).
 * @returns the status, attempts and response body.
 * @throws {@link TransportError} (with `status` when the server answered) once
 *   the attempts are spent or on a non-retryable status.
 * @example
 * ```ts
 * await postJson('http://127.0.0.1:8080/hook', { hello: 1 }, resolvePostOptions('demo', url));
 * ```
 */
export async function postJson(
  url: string,
  body: unknown,
  options: ResolvedPostOptions,
): Promise<PostJsonResult> {
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== 'function') {
    throw new TransportError(
      'postJson: expected a global fetch (Node >= 18 or a browser), got none',
    );
  }
  const payload = toJson(body);
  let lastError: TransportError | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.text();
      if (res.ok) {
        return { status: res.status, attempts: attempt + 1, body: parseBody(res, text) };
      }
      lastError = new TransportError(
        `POST ${url}: expected a 2xx answer, got ${res.status} ${res.statusText}`,
        res.status,
      );
      if (!RETRYABLE.has(res.status)) throw lastError;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    } catch (error) {
      if (error === lastError) throw error;
      lastError = new TransportError(`POST ${url}: ${errorMessage(error)}`, undefined, {
        cause: error,
      });
    }
    if (attempt < options.retries) {
      await sleep(retryDelay(attempt, backoffPolicy(options), Math.random, retryAfterMs));
    }
  }
  throw lastError ?? new TransportError(`POST ${url}: failed`);
}

/** The shared retry policy with a webhook's bounds: `Retry-After` capped like any backoff. */
function backoffPolicy(o: ResolvedPostOptions): BackoffOptions {
  return {
    baseMs: o.backoffMs,
    maxMs: o.maxBackoffMs,
    minMs: Math.min(DEFAULT_MIN_BACKOFF_MS, o.backoffMs, o.maxBackoffMs),
    retryAfterCapMs: o.maxBackoffMs,
  };
}

function parseBody(res: Response, text: string): unknown {
  if (text.length === 0) return '';
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
