/**
 * The one retry policy of the library (the Flusher and the JSON webhooks):
 * full-jitter exponential backoff (AWS architecture blog's "full jitter": a
 * uniform draw in [0, min(cap, base·2^attempt)]), the server's `Retry-After`
 * when it sends one (capped), and a floor under every delay so that neither
 * a `Retry-After: 0` nor a low draw can turn retries into a busy loop.
 */

/** The least wait before any retry, ms, whatever `Retry-After` or the jitter draw says. */
export const DEFAULT_MIN_BACKOFF_MS = 500;

/** Backoff bounds. */
export interface BackoffOptions {
  /** First ceiling, ms. Default 1000. */
  baseMs?: number;
  /** Largest ceiling, ms. Default 300 000 (5 min). */
  maxMs?: number;
  /** Floor under every delay, `Retry-After` included, ms. Default 500. */
  minMs?: number;
  /** Largest `Retry-After` honoured, ms. Default `maxMs`. */
  retryAfterCapMs?: number;
}

/**
 * The jitter draw before retry number `attempt` (0-based), without the floor.
 *
 * @param attempt - failures so far minus one (0 for the first retry).
 * @param options - base and cap.
 * @param random - uniform [0, 1) source (injectable for tests).
 * @returns a delay in [0, min(maxMs, baseMs·2^attempt)].
 * @example
 * backoffDelay(3, { baseMs: 1000, maxMs: 300_000 }, () => 0.5); // => 4000
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 300_000;
  const ceiling = Math.min(max, base * 2 ** Math.min(Math.max(0, attempt), 52));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retry number `attempt`: the server's `Retry-After` when
 * given (at most `retryAfterCapMs`), else the jitter draw; never less than
 * `minMs`.
 *
 * @param attempt - failures so far minus one (0 for the first retry).
 * @param options - base, cap, floor and `Retry-After` cap.
 * @param random - uniform [0, 1) source.
 * @param retryAfterMs - the server's `Retry-After` in ms (see {@link parseRetryAfter}), if any.
 * @returns the delay in ms.
 * @example
 * retryDelay(0, { baseMs: 1000 }, () => 0.5, 0); // => 500 (the floor, not a busy loop)
 */
export function retryDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const cap = options.retryAfterCapMs ?? options.maxMs ?? 300_000;
  const wanted =
    retryAfterMs === undefined || Number.isNaN(retryAfterMs)
      ? backoffDelay(attempt, options, random)
      : Math.min(Math.max(0, retryAfterMs), cap);
  return Math.max(options.minMs ?? DEFAULT_MIN_BACKOFF_MS, wanted);
}

/**
 * Parses a `Retry-After` header: delta-seconds or an HTTP date.
 *
 * @param value - the header (null when absent).
 * @param now - current epoch ms (for dates).
 * @returns the delay in ms (≥ 0), or undefined when absent or unparseable.
 * @example
 * parseRetryAfter('120', Date.now()); // => 120000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}
