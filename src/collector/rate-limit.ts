/**
 * Per-device token buckets for ingest: each device may send `perSecond`
 * requests per second on average, in bursts of up to `burst`. A request over
 * the limit is answered 429 with `Retry-After`. Buckets that have refilled are
 * forgotten, so memory follows the devices active in the last `burst /
 * perSecond` seconds.
 */

/** Options of {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Sustained requests per second per device. Default 10. */
  perSecond?: number;
  /** Largest burst per device. Default 100. */
  burst?: number;
}

/** Token buckets keyed by device id. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly perMs: number;
  private readonly burst: number;
  private sweepAt = 0;

  /** @param o - see {@link RateLimitOptions}. */
  constructor(o: RateLimitOptions = {}) {
    this.perMs = (o.perSecond ?? 10) / 1000;
    this.burst = o.burst ?? 100;
  }

  /**
   * Takes one token from each device's bucket, or none when any is empty.
   *
   * @param devices - the distinct devices of one request.
   * @param nowMs - the current time.
   * @returns 0 when allowed, else the seconds to wait before retrying.
   */
  take(devices: Iterable<string>, nowMs = Date.now()): number {
    const list = [...devices];
    let wait = 0;
    for (const d of list) {
      const b = this.refill(d, nowMs);
      if (b.tokens < 1) wait = Math.max(wait, (1 - b.tokens) / this.perMs);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    for (const d of list) this.buckets.get(d)!.tokens -= 1;
    if (nowMs >= this.sweepAt) this.sweep(nowMs);
    return 0;
  }

  private refill(device: string, nowMs: number): { tokens: number; atMs: number } {
    let b = this.buckets.get(device);
    if (!b) {
      b = { tokens: this.burst, atMs: nowMs };
      this.buckets.set(device, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + (nowMs - b.atMs) * this.perMs);
    b.atMs = nowMs;
    return b;
  }

  private sweep(nowMs: number): void {
    const full = this.burst / this.perMs;
    for (const [d, b] of this.buckets) if (nowMs - b.atMs >= full) this.buckets.delete(d);
    this.sweepAt = nowMs + Math.min(full, 60_000);
  }
}
