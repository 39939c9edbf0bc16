/**
 * Optional remote-write of each ingested window to a Prometheus-compatible store
 * (Prometheus with `--web.enable-remote-write-receiver`, VictoriaMetrics, Mimir):
 * remote-write 1.0, a snappy-compressed protobuf `WriteRequest`. Every sample is
 * stamped with the window's end, so replaying a window writes identical samples
 * (idempotent). Sends run in the background from a queue — in the collector,
 * the `remote_write_pending` table committed with each window, so windows
 * queued while the store is down are sent after a restart, as Prometheus' own
 * WAL-backed remote write does. Failures are retried with backoff; a 4xx drops
 * the batch (the store refused it); windows older than `maxAgeMs` expire. Every
 * outcome is counted in samples.
 */
import { ConfigError, describeValue } from '../errors.js';
import type { Kernel } from '../kernel/kernel.js';
import { EDGEWATCH_METRICS } from '../export/metric-names.js';
import { base64ToBytes } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';
import { tupleKey } from './fleet-state.js';
import { encodeWriteRequest, type TimeSeries } from './protobuf.js';
import { snappyEncode } from './snappy.js';
import { decodeSketch, type DecodedSide, type DecodedSketch } from '../kernel/sketch-format.js';
import { classicFromSketch } from '../prometheus/prom-sketch.js';
import { nativeHistogramFromSketch } from './native-histogram.js';

/** Options of remote-write. */
export interface RemoteWriteOptions {
  /** e.g. `http://127.0.0.1:9090/api/v1/write`. */
  url: string;
  /** Extra HTTP headers sent with every request (e.g. `Authorization`); they override the protocol headers. */
  headers?: Record<string, string>;
  /** Most windows in the in-memory queue of a standalone writer (older dropped and counted beyond). Default 100 000. */
  maxQueue?: number;
  /** Windows per request. Default 200. */
  batchWindows?: number;
  /** Windows waiting longer than this (ms) are dropped and counted as expired. Default 6 h. */
  maxAgeMs?: number;
  /** Send every this many ms. Default 1000. */
  intervalMs?: number;
  /** Request timeout, ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * How each window's sketches go out, besides their count, sum and quantiles:
   * `'classic'` (default) as `edgewatch_window_sketch_bucket{le}` series at
   * power-of-two bounds (any receiver); `'native'` as Prometheus native
   * histograms `edgewatch_window_sketch` (Prometheus ≥ 2.40 with
   * `--enable-feature=native-histograms`; VictoriaMetrics 1.79 drops them, use classic).
   */
  sketches?: SketchEncoding;
}

/** How remote write encodes sketches (see {@link RemoteWriteOptions.sketches}). */
export type SketchEncoding = 'classic' | 'native';

const QS = [0.5, 0.9, 0.99];

/** Most classic bounds per side of zero (wider ranges take every n-th power of two). */
const MAX_BOUNDS_PER_SIDE = 40;

/** Power-of-two exponents spanning one side's populated buckets (bucket edges: exact counts). */
function sideExponents(side: DecodedSide, scale: number): number[] {
  if (side.counts.length === 0) return [];
  const width = 2 ** -scale; // log2 of the bucket base
  const lo = Math.floor(side.offset * width);
  const hi = Math.ceil((side.offset + side.counts.length) * width);
  const stride = Math.max(1, Math.ceil((hi - lo + 1) / MAX_BOUNDS_PER_SIDE));
  const out: number[] = [];
  for (let k = lo; k < hi; k += stride) out.push(k);
  out.push(hi);
  return out;
}

/**
 * Classic `le` bounds for a sketch: powers of two from its smallest to its
 * largest populated bucket on each side, and 0 when it holds zeros or negatives.
 *
 * @param s - the sketch.
 * @returns ascending finite bounds.
 */
export function classicBounds(s: DecodedSketch): number[] {
  const neg = sideExponents(s.negative, s.scale)
    .reverse()
    .map((k) => -(2 ** k));
  const pos = sideExponents(s.positive, s.scale).map((k) => 2 ** k);
  const zero = s.zeroCount > 0 || neg.length > 0 ? [0] : [];
  return [...neg, ...zero, ...pos];
}

/**
 * The series one window contributes, stamped at `rec.end`.
 *
 * @param rec - the window.
 * @param kernel - a kernel that can deserialize sketches (for quantiles).
 * @param sketches - how buckets go out (see {@link RemoteWriteOptions.sketches}).
 * @returns remote-write series.
 */
export function windowToSeries(
  rec: WindowRecord,
  kernel: Kernel,
  sketches: SketchEncoding = 'classic',
): TimeSeries[] {
  const base = { model: rec.model.name, model_version: rec.model.version, device: rec.deviceId };
  const t = rec.end;
  const out: TimeSeries[] = [];
  const add = (name: string, labels: Record<string, string>, value: number): void => {
    out.push({
      labels: { __name__: name, ...base, ...labels },
      samples: [{ value, timestamp: t }],
    });
  };
  for (const [counter, v] of Object.entries(rec.counters))
    add('edgewatch_window_counter', { counter }, v);
  for (const [sketch, b64] of Object.entries(rec.sketches)) {
    let h: number;
    let decoded: DecodedSketch;
    try {
      const bytes = base64ToBytes(b64);
      decoded = decodeSketch(bytes);
      h = kernel.sketchDeserialize(bytes);
    } catch {
      continue;
    }
    const native = sketches === 'native' ? nativeHistogramFromSketch(decoded, t) : undefined;
    if (native) {
      out.push({
        labels: { __name__: 'edgewatch_window_sketch', ...base, sketch },
        samples: [],
        histograms: [native],
      });
    } else if (decoded.count > 0) {
      const bounds = classicBounds(decoded);
      const cum = classicFromSketch(decoded, bounds);
      bounds.forEach((le, i) =>
        add('edgewatch_window_sketch_bucket', { sketch, le: String(le) }, cum[i] as number),
      );
      add('edgewatch_window_sketch_bucket', { sketch, le: '+Inf' }, decoded.count);
    }
    const st = kernel.sketchStats(h);
    const qv = kernel.sketchQuantiles(h, Float64Array.from(QS));
    kernel.sketchFree(h);
    add('edgewatch_window_sketch_count', { sketch }, st.count);
    add('edgewatch_window_sketch_sum', { sketch }, st.sum);
    QS.forEach((q, i) => {
      const v = qv[i] as number;
      if (!Number.isNaN(v))
        add('edgewatch_window_sketch_quantile', { sketch, quantile: String(q) }, v);
    });
  }
  for (const [metric, v] of Object.entries(rec.performance))
    add(EDGEWATCH_METRICS.performance, { metric }, v);
  for (const d of rec.drift) {
    const l = { feature: d.feature, method: d.method };
    add(EDGEWATCH_METRICS.drift, l, d.statistic);
    if (d.pValue !== undefined) add(EDGEWATCH_METRICS.driftPValue, l, d.pValue);
    add(EDGEWATCH_METRICS.driftDetected, l, d.isDrift ? 1 : 0);
  }
  const alerts = new Map<string, { alert: string; severity: string; n: number }>();
  for (const a of rec.alerts) {
    const k = tupleKey(a.name, a.severity);
    const e = alerts.get(k) ?? { alert: a.name, severity: a.severity, n: 0 };
    e.n++;
    alerts.set(k, e);
  }
  for (const a of alerts.values())
    add('edgewatch_window_alerts', { alert: a.alert, severity: a.severity }, a.n);
  for (const [reason, v] of Object.entries(rec.drops))
    add('edgewatch_window_values_dropped', { reason }, v);
  add('edgewatch_window_received', {}, 1);
  return out;
}

/**
 * An error naming the URL and the underlying cause (`fetch failed` alone says neither).
 *
 * @param url - the endpoint.
 * @param e - what `fetch` threw.
 * @returns the error to report.
 */
export function describeSendFailure(url: string, e: unknown): Error {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err?.cause
    ? ` (${[err.cause.code, err.cause.message].filter(Boolean).join(': ')})`
    : '';
  return new Error(`remote write to ${url} failed: ${err?.message ?? String(e)}${cause}`, {
    cause: e,
  });
}

/** One queued window. */
export interface QueuedWindow {
  /** Queue position (ascending in enqueue order). */
  seq: number;
  /** When the window was queued, epoch ms (used for `maxAgeMs` expiry). */
  enqueuedMs: number;
  /** The queued window. */
  record: WindowRecord;
}

/** Where a {@link RemoteWriter} takes windows from (the collector passes its store). */
export interface RemoteWriteQueue {
  /** The oldest `limit` windows (a shared store claims them for this writer). */
  remoteWritePending(limit: number): QueuedWindow[] | Promise<QueuedWindow[]>;
  /** Removes windows (delivered, refused or expired). */
  remoteWriteDone(seqs: readonly number[]): void | Promise<void>;
}

class MemoryQueue implements RemoteWriteQueue {
  private items: QueuedWindow[] = [];
  private seq = 0;
  constructor(private readonly max: number) {}
  push(record: WindowRecord): number {
    this.items.push({ seq: ++this.seq, enqueuedMs: Date.now(), record });
    const over = Math.max(0, this.items.length - this.max);
    return over > 0 ? this.items.splice(0, over).length : 0;
  }
  remoteWritePending(limit: number): QueuedWindow[] {
    return this.items.slice(0, limit);
  }
  remoteWriteDone(seqs: readonly number[]): void {
    const done = new Set(seqs);
    this.items = this.items.filter((w) => !done.has(w.seq));
  }
}

/** Background remote-write sender. */
export class RemoteWriter {
  private readonly queue: RemoteWriteQueue;
  private readonly memory: MemoryQueue | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> | undefined;
  private failures = 0;
  private nextAt = 0;
  private closed = false;
  /**
   * Counters in series (one sample each): sent, retried (a failed attempt, sent again later),
   * expired (older than `maxAgeMs`), dropped (refused by the store or memory queue full);
   * and failed requests.
   */
  readonly stats = {
    /** Series sent and acknowledged with a 2xx. */
    sentSeries: 0,
    /** Series of a failed attempt (network error, 5xx, 408, 429), to be sent again after backoff. */
    retriedSeries: 0,
    /** Series of windows queued longer than `maxAgeMs`, dropped unsent. */
    expiredSeries: 0,
    /** Series refused by the receiver (other 4xx) or dropped because the memory queue was full. */
    droppedSeries: 0,
    /** Requests that did not get a 2xx (network errors included). */
    failedRequests: 0,
  };

  /**
   * @param o - see {@link RemoteWriteOptions}.
   * @param kernel - for sketch quantiles.
   * @param onError - background failures (with the URL and cause).
   * @param queue - durable queue to read from; default an in-memory queue fed by {@link RemoteWriter.enqueue}.
   * @throws ConfigError on an unknown `sketches` encoding.
   */
  constructor(
    private readonly o: RemoteWriteOptions,
    private readonly kernel: Kernel,
    private readonly onError: (e: unknown) => void,
    queue?: RemoteWriteQueue,
  ) {
    if (o.sketches !== undefined && o.sketches !== 'classic' && o.sketches !== 'native')
      throw new ConfigError(
        `expected remoteWrite.sketches to be 'classic' or 'native', got ${describeValue(o.sketches)}`,
      );
    this.memory = queue ? undefined : new MemoryQueue(o.maxQueue ?? 100_000);
    this.queue = queue ?? this.memory!;
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.flush()
        .catch(this.onError)
        .finally(() => this.schedule());
    }, this.o.intervalMs ?? 1000);
    this.timer.unref?.();
  }

  /** Queues a window (in-memory queue only; with a store queue the store enqueues at commit). */
  enqueue(rec: WindowRecord): void {
    if (!this.memory) return;
    const dropped = this.memory.push(rec);
    if (dropped > 0) this.stats.droppedSeries += dropped;
  }

  /** Windows waiting in the in-memory queue (0 with a store queue). */
  get pending(): number {
    return this.memory ? this.memory.remoteWritePending(Number.MAX_SAFE_INTEGER).length : 0;
  }

  /**
   * Sends everything queued now (respecting backoff unless `force`).
   *
   * @param force - ignore the backoff deadline.
   */
  flush(force = false): Promise<void> {
    if (this.sending) return this.sending;
    this.sending = this.sendAll(force).finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async sendAll(force: boolean): Promise<void> {
    if (!force && Date.now() < this.nextAt) return;
    const per = this.o.batchWindows ?? 200;
    const maxAge = this.o.maxAgeMs ?? 6 * 3_600_000;
    for (;;) {
      const entries = await this.queue.remoteWritePending(per);
      if (entries.length === 0) return;
      const cutoff = Date.now() - maxAge;
      const expired = entries.filter((e) => e.enqueuedMs < cutoff);
      for (const e of expired)
        this.stats.expiredSeries += windowToSeries(e.record, this.kernel, this.o.sketches).length;
      const live = entries.filter((e) => e.enqueuedMs >= cutoff);
      const batch = live.flatMap((e) => windowToSeries(e.record, this.kernel, this.o.sketches));
      if (batch.length === 0) {
        await this.queue.remoteWriteDone(expired.map((e) => e.seq));
        continue;
      }
      const body = snappyEncode(encodeWriteRequest(batch));
      let status = 0;
      let text = '';
      try {
        const res = await fetch(this.o.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-protobuf',
            'content-encoding': 'snappy',
            'x-prometheus-remote-write-version': '0.1.0',
            ...this.o.headers,
          },
          body: body as Uint8Array<ArrayBuffer>,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        });
        status = res.status;
        text = await res.text().catch(() => '');
      } catch (e) {
        this.onError(describeSendFailure(this.o.url, e));
      }
      if (status >= 200 && status < 300) {
        await this.queue.remoteWriteDone(entries.map((e) => e.seq));
        this.stats.sentSeries += batch.length;
        this.failures = 0;
        continue;
      }
      this.stats.failedRequests++;
      if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
        await this.queue.remoteWriteDone(entries.map((e) => e.seq));
        this.stats.droppedSeries += batch.length;
        this.onError(
          new Error(`remote write to ${this.o.url} refused (${status}): ${text.slice(0, 300)}`),
        );
        continue;
      }
      if (status !== 0)
        this.onError(
          new Error(`remote write to ${this.o.url} failed (${status}): ${text.slice(0, 300)}`),
        );
      await this.queue.remoteWriteDone(expired.map((e) => e.seq));
      this.stats.retriedSeries += batch.length;
      this.failures++;
      this.nextAt = Date.now() + Math.random() * Math.min(60_000, 1000 * 2 ** this.failures);
      return;
    }
  }

  /** Stops the timer after one last forced flush. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    await this.sending;
    await this.flush(true).catch(this.onError);
  }
}
