/**
 * The `Flusher`: delivers sealed windows from a `WindowStore` to the collector.
 * Deletes a window only after a 2xx, in a new transaction; retries 408, 429,
 * 5xx, 401/403, redirects (never a delivery, see `post-batch.ts`), timeouts
 * and network failures with full-jitter backoff (1 s → 5 min) honouring
 * `Retry-After`, never sooner than a floor (0.5 s) whatever the server says;
 * aborts a request after `timeoutMs` (30 s); splits a batch on 413 (and on other 4xx, to isolate
 * the bad window); sends a lone window the backend refuses with a 4xx to dead
 * letters. One flusher across tabs (see `leader.ts`). On `pagehide` it sends
 * one `keepalive` batch without deleting (the collector's dedup absorbs the
 * resend). Works in Node with a memory or file store and `fetch`.
 */
import { ConfigError, TransportError, closedError, describeValue } from '../errors.js';
import type { OutboxEntry } from '../storage/backend.js';
import { randomUuid } from '../util/random-uuid.js';
import { DEFAULT_MIN_BACKOFF_MS, retryDelay } from '../util/backoff.js';
import { optionalNumber } from '../util/options.js';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  postBatch,
  type PostOptions,
  type PostOutcome,
} from './post-batch.js';
import { DEFAULT_MAX_BATCH_BYTES, batchBody, takeBatch } from './batch.js';
import { canGzip } from './compress.js';
import { systemClock, type Clock } from './clock.js';
import { LeaderElector } from './leader.js';
import type { FlusherEvent, FlusherOptions, FlushResult } from './flusher-types.js';

export type { FlusherEvent, FlusherOptions, FlushResult };

type Outcome =
  { ok: true } | { ok: false; retryAfterMs: number | undefined; status?: number; error: unknown };

/** Delivers the outbox. Create, then {@link Flusher.start}. */
export class Flusher {
  private readonly o: Required<
    Pick<FlusherOptions, 'intervalMs' | 'maxBatchBytes' | 'keepaliveOnHide' | 'timeoutMs'>
  > &
    FlusherOptions;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly doFetch: typeof fetch;
  private readonly elector: LeaderElector;
  private running: Promise<FlushResult> | undefined;
  private again = false;
  private started = false;
  private closed = false;
  private attempt = 0;
  private nextAttemptAt = 0;
  private intervalTimer: unknown;
  private retryTimer: unknown;
  private readonly cleanups: Array<() => void> = [];
  /** Aborts the requests in flight (on `stop()`). */
  private stopper = new AbortController();

  /**
   * @param options - see {@link FlusherOptions}.
   * @throws ConfigError on a missing store, a bad endpoint, interval or batch size.
   * @example
   * const flusher = new Flusher({ store, endpoint: 'http://127.0.0.1:9464/v1/windows', intervalMs: 10_000 });
   * flusher.start();
   */
  constructor(options: FlusherOptions) {
    if (!options?.store || typeof options.store.peek !== 'function') {
      throw new ConfigError(
        `expected store to be a WindowStore, got ${describeValue(options?.store)}`,
      );
    }
    try {
      new URL(options.endpoint, (globalThis as { location?: { href: string } }).location?.href);
    } catch {
      throw new ConfigError(
        `expected endpoint to be a URL, got ${describeValue(options.endpoint)}`,
      );
    }
    // Timer delays past 2^31 - 1 ms overflow to 1 ms in browsers and Node.
    const ms = { above: 0, max: 2_147_483_647 };
    const intervalMs = optionalNumber('intervalMs', options.intervalMs, 10_000, ms, 'Flusher');
    const maxBatchBytes = optionalNumber(
      'maxBatchBytes',
      options.maxBatchBytes,
      DEFAULT_MAX_BATCH_BYTES,
      { min: 1024 },
      'Flusher',
    );
    const timeoutMs = optionalNumber(
      'timeoutMs',
      options.timeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      ms,
      'Flusher',
    );
    optionalNumber(
      'backoff.minMs',
      options.backoff?.minMs,
      DEFAULT_MIN_BACKOFF_MS,
      { min: 0 },
      'Flusher',
    );
    if (
      options.compression !== undefined &&
      options.compression !== 'gzip' &&
      options.compression !== 'none'
    ) {
      throw new ConfigError(
        `expected compression to be 'gzip' or 'none', got ${describeValue(options.compression)}`,
      );
    }
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new ConfigError('expected a fetch implementation, got none');
    this.o = {
      ...options,
      intervalMs,
      maxBatchBytes,
      timeoutMs,
      keepaliveOnHide: options.keepaliveOnHide ?? true,
    };
    this.doFetch = f.bind(globalThis);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const electorOpts = {
      store: options.store,
      clock: this.clock,
      id: randomUuid(),
      onChange: (isLeader: boolean) => {
        this.emit({ type: 'leader', isLeader });
        if (isLeader) this.trigger();
      },
      onError: (e: unknown) => this.o.onError?.(e),
      ...(options.leader !== undefined ? { mode: options.leader } : {}),
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    };
    this.elector = new LeaderElector(electorOpts);
  }

  /** Whether this flusher is the one flushing for its store. */
  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  /** Consecutive failed attempts (0 when healthy). */
  get failures(): number {
    return this.attempt;
  }

  private emit(e: FlusherEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // listeners never break delivery
    }
  }

  /**
   * Starts: contends for leadership, flushes at start-up, on every interval,
   * on `online`, and when any tab seals a window. Idempotent.
   */
  start(): void {
    if (this.closed) throw closedError('Flusher');
    if (this.started) return;
    this.started = true;
    this.stopper = new AbortController();
    this.elector.start();
    this.cleanups.push(this.o.store.onSealed(() => this.trigger()));
    const tick = (): void => {
      this.trigger();
      this.intervalTimer = this.clock.setTimeout(tick, this.o.intervalMs);
    };
    this.intervalTimer = this.clock.setTimeout(tick, this.o.intervalMs);
    const g = globalThis as unknown as {
      addEventListener?: (t: string, fn: () => void) => void;
      removeEventListener?: (t: string, fn: () => void) => void;
      document?: {
        visibilityState?: string;
        addEventListener(t: string, fn: () => void): void;
        removeEventListener(t: string, fn: () => void): void;
      };
    };
    if (typeof g.addEventListener === 'function') {
      const online = (): void => {
        this.attempt = 0;
        this.nextAttemptAt = 0;
        this.trigger();
      };
      const hide = (): void => void this.onHide();
      g.addEventListener('online', online);
      g.addEventListener('pagehide', hide);
      this.cleanups.push(() => {
        g.removeEventListener?.('online', online);
        g.removeEventListener?.('pagehide', hide);
      });
      const doc = g.document;
      if (doc) {
        const vis = (): void => {
          if (doc.visibilityState === 'hidden') hide();
        };
        doc.addEventListener('visibilitychange', vis);
        this.cleanups.push(() => doc.removeEventListener('visibilitychange', vis));
      }
    }
    this.trigger();
  }

  /**
   * Stops timers, listeners and leadership. Idempotent and bounded: a request
   * in flight is aborted (its windows stay in the outbox and go with the next
   * flush; the collector's dedup absorbs a request that had already landed).
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.clock.clearTimeout(this.intervalTimer);
    this.clock.clearTimeout(this.retryTimer);
    for (const c of this.cleanups.splice(0)) c();
    this.stopper.abort(new TransportError('flusher stopped'));
    await this.running?.catch(() => undefined);
    await this.elector.stop();
  }

  /**
   * Stops for good (see {@link Flusher.stop}). Idempotent; `start` and
   * `flush` then throw `ConfigError` code `CLOSED`. The store stays open: it
   * belongs to the caller.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    await this.running?.catch(() => undefined);
  }

  /** `await using flusher = new Flusher(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Asks for a flush soon (coalesced; honours backoff). */
  trigger(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.flush().catch((e: unknown) => this.o.onError?.(e));
  }

  /**
   * Runs one flush cycle now: sends batches, oldest first, until the outbox is
   * empty or a retryable failure stops the cycle. Concurrent calls share one cycle.
   *
   * @param options - `force` ignores the backoff deadline (used by `online`, tests).
   * @returns what was delivered.
   */
  flush(options: { force?: boolean } = {}): Promise<FlushResult> {
    if (this.closed) return Promise.reject(closedError('Flusher'));
    if (this.running) return this.running;
    const p = this.cycle(options.force === true).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
    this.running = p;
    return p;
  }

  private async cycle(force: boolean): Promise<FlushResult> {
    const result: FlushResult = { delivered: 0, deadLettered: 0 };
    // Started: only the leader flushes. Not started: a manual flush (Node scripts, tests).
    if (this.started && !this.elector.isLeader) return { ...result, skipped: 'not_leader' };
    const wait = this.nextAttemptAt - this.clock.now();
    if (!force && wait > 0) {
      // Timers and the clock can disagree by a millisecond or so: a retry
      // timer that fires just before the deadline is set again for the rest,
      // or nothing would retry until the next interval.
      if (this.started) this.armRetry(wait);
      return { ...result, skipped: 'backoff' };
    }
    for (;;) {
      const entries = await this.o.store.peek(256);
      if (entries.length === 0) break;
      const batch = takeBatch(entries, this.o.maxBatchBytes);
      const outcome = await this.deliver(batch, result);
      if (!outcome.ok) {
        // A server's Retry-After is honoured up to an hour even when the jitter cap is lower.
        const max = this.o.backoff?.maxMs ?? 300_000;
        const delay = retryDelay(
          this.attempt,
          { ...this.o.backoff, retryAfterCapMs: Math.max(max, 3_600_000) },
          this.random,
          outcome.retryAfterMs,
        );
        this.attempt++;
        this.nextAttemptAt = this.clock.now() + delay;
        this.armRetry(delay);
        const ev: FlusherEvent = { type: 'retry', delayMs: delay, attempt: this.attempt };
        if (outcome.status !== undefined) ev.status = outcome.status;
        this.emit(ev);
        this.o.onError?.(outcome.error);
        return { ...result, retryInMs: delay };
      }
      this.attempt = 0;
      this.nextAttemptAt = 0;
    }
    return result;
  }

  /** (Re)sets the one retry timer to trigger a flush after `delay` ms. */
  private armRetry(delay: number): void {
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = this.clock.setTimeout(() => this.trigger(), delay);
  }

  /** Sends `batch`; splits on 413 / 4xx; dead-letters a lone refused window. */
  private async deliver(batch: OutboxEntry[], result: FlushResult): Promise<Outcome> {
    const res = await this.send(batch, false);
    if (res.ok) {
      await this.o.store.remove(batch.map((e) => e.seq));
      result.delivered += batch.length;
      this.emit({ type: 'delivered', count: batch.length, status: res.status });
      return { ok: true };
    }
    if (res.retryable)
      return { ok: false, retryAfterMs: res.retryAfterMs, status: res.status, error: res.error };
    if (batch.length > 1) {
      const mid = Math.ceil(batch.length / 2);
      const left = await this.deliver(batch.slice(0, mid), result);
      if (!left.ok) return left;
      return this.deliver(batch.slice(mid), result);
    }
    const status = res.status ?? 400;
    await this.o.store.deadLetter(
      batch.map((e) => e.seq),
      res.message,
      status,
    );
    result.deadLettered += batch.length;
    this.emit({ type: 'dead_letter', count: batch.length, status, message: res.message });
    return { ok: true };
  }

  private async send(batch: readonly OutboxEntry[], keepalive: boolean): Promise<PostOutcome> {
    const abort = new AbortController();
    const timer = this.clock.setTimeout(
      () => abort.abort(new TransportError(`request timed out after ${this.o.timeoutMs} ms`)),
      this.o.timeoutMs,
    );
    // Only a started flusher is stopped; a manual flush() runs to its timeout.
    const stopped = this.started ? this.stopper.signal : undefined;
    const onStop = (): void => abort.abort(stopped?.reason);
    stopped?.addEventListener('abort', onStop);
    const o: PostOptions = {
      endpoint: this.o.endpoint,
      fetch: this.doFetch,
      now: () => this.clock.now(),
      keepalive,
      signal: abort.signal,
    };
    if (this.o.token !== undefined) o.token = this.o.token;
    if (this.o.headers !== undefined) o.headers = this.o.headers;
    if (this.o.compression === 'gzip' && canGzip()) o.gzip = true;
    try {
      return await postBatch(batch, o);
    } finally {
      this.clock.clearTimeout(timer);
      stopped?.removeEventListener('abort', onStop);
    }
  }

  /** pagehide / hidden: seal (via `onHide`), then one keepalive batch, no delete. */
  private async onHide(): Promise<void> {
    try {
      await this.o.onHide?.();
      if (!this.o.keepaliveOnHide || !this.elector.isLeader) return;
      const batch = takeBatch(await this.o.store.peek(256), this.o.maxBatchBytes);
      if (batch.length === 0) return;
      const body = batchBody(batch);
      if (new TextEncoder().encode(body).length > 64 * 1024) return;
      this.emit({ type: 'keepalive', count: batch.length });
      await this.send(batch, true);
    } catch (e) {
      this.o.onError?.(e);
    }
  }
}
