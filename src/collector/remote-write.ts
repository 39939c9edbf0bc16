/**
 * Optional remote-write of each ingested window to a Prometheus-compatible store
 * (Prometheus with `--web.enable-remote-write-receiver`, VictoriaMetrics, Mimir):
 * remote-write 1.0, a snappy-compressed protobuf `WriteRequest`. Every sample is
 * stamped with the window's end, so replaying a window writes identical samples
 * (idempotent). Sends run in the background from a bounded queue; failures are
 * retried with backoff, a 4xx drops the batch (the store refused it), both counted.
 */
import type { Kernel } from '../kernel/kernel.js';
import { EDGEWATCH_METRICS } from '../export/metric-names.js';
import { base64ToBytes } from '../window/base64.js';
import type { WindowRecord } from '../window/window-record.js';
import { tupleKey } from './fleet-state.js';
import { encodeWriteRequest, type TimeSeries } from './protobuf.js';
import { snappyEncode } from './snappy.js';

/** Options of remote-write. */
export interface RemoteWriteOptions {
  /** e.g. `http://127.0.0.1:9090/api/v1/write`. */
  url: string;
  headers?: Record<string, string>;
  /** Most series queued (older dropped and counted beyond). Default 100 000. */
  maxQueue?: number;
  /** Series per request. Default 2000. */
  batchSeries?: number;
  /** Send every this many ms. Default 1000. */
  intervalMs?: number;
  /** Request timeout, ms. Default 10 000. */
  timeoutMs?: number;
}

const QS = [0.5, 0.9, 0.99];

/**
 * The series one window contributes, stamped at `rec.end`.
 *
 * @param rec - the window.
 * @param kernel - a kernel that can deserialize sketches (for quantiles).
 * @returns remote-write series.
 */
export function windowToSeries(rec: WindowRecord, kernel: Kernel): TimeSeries[] {
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
    try {
      h = kernel.sketchDeserialize(base64ToBytes(b64));
    } catch {
      continue;
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

/** Background remote-write sender. */
export class RemoteWriter {
  private queue: TimeSeries[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> | undefined;
  private failures = 0;
  private nextAt = 0;
  private closed = false;
  /** Counters: series sent, dropped (queue full or refused), failed attempts. */
  readonly stats = { sentSeries: 0, droppedSeries: 0, failedRequests: 0 };

  /**
   * @param o - see {@link RemoteWriteOptions}.
   * @param kernel - for sketch quantiles.
   * @param onError - background failures.
   */
  constructor(
    private readonly o: RemoteWriteOptions,
    private readonly kernel: Kernel,
    private readonly onError: (e: unknown) => void,
  ) {
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.flush().finally(() => this.schedule());
    }, this.o.intervalMs ?? 1000);
    this.timer.unref?.();
  }

  /** Queues a window's series. */
  enqueue(rec: WindowRecord): void {
    this.queue.push(...windowToSeries(rec, this.kernel));
    const max = this.o.maxQueue ?? 100_000;
    if (this.queue.length > max) {
      const over = this.queue.length - max;
      this.queue.splice(0, over);
      this.stats.droppedSeries += over;
    }
  }

  /** Series waiting. */
  get pending(): number {
    return this.queue.length;
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
    const per = this.o.batchSeries ?? 2000;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, per);
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
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        });
        status = res.status;
        text = await res.text().catch(() => '');
      } catch (e) {
        this.onError(describeSendFailure(this.o.url, e));
      }
      if (status >= 200 && status < 300) {
        this.queue.splice(0, batch.length);
        this.stats.sentSeries += batch.length;
        this.failures = 0;
        continue;
      }
      this.stats.failedRequests++;
      if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
        this.queue.splice(0, batch.length);
        this.stats.droppedSeries += batch.length;
        this.onError(
          new Error(`remote write to ${this.o.url} refused (${status}): ${text.slice(0, 300)}`),
        );
        continue;
      }
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
