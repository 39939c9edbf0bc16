/**
 * Record batches to a worker engine without Comlink, and their buffers back.
 *
 * `sketches.record(id, values)` is the only call on the hot path: a staging
 * buffer full of values, once per {@link MAX_CHUNK} values per stream. In worker
 * mode it goes out as one raw message on the same port Comlink uses — so it is
 * handled in order with every Comlink call before and after it (the ordering
 * guarantee) — with the buffer transferred, and no Comlink wire encoding (uuid,
 * argument list, transfer-handler probes). The worker records the batch at once
 * and answers with the dropped count and the same, now emptied, buffer
 * transferred back; the caller keeps it in a {@link BufferPool}, so the next
 * staging buffer is memory that is already mapped instead of a fresh allocation
 * whose first write to each page faults.
 *
 * Replies come in the order the batches went out (one port, one thread), so the
 * caller matches them first-in first-out. Comlink ignores these messages on
 * both sides: they carry no Comlink `id`/`type`.
 */

/**
 * The port record batches travel on: a Worker, a MessagePort or Node's worker
 * adapter (structurally Comlink's `Endpoint`, declared here so that the public
 * declarations need neither Comlink's nor the DOM's types).
 */
export interface RecordPort {
  /** Posts a message, transferring the given buffers. */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Listens for messages. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
import { deserializeError, serializeError } from './error-transfer.js';
import type { SerializedError } from './error-transfer.js';

/** caller → worker: record `values` into sketch `id`. */
export interface RecordMessage {
  readonly edgewatch: 'record';
  readonly id: number;
  readonly values: Float64Array;
}

/** worker → caller: the batch was recorded (or refused: `error`); `values` comes back emptied. */
export interface RecordedMessage {
  readonly edgewatch: 'recorded';
  readonly dropped: number;
  readonly error?: SerializedError | undefined;
  readonly values: Float64Array;
}

/**
 * Emptied staging buffers for reuse, by size, up to a byte limit (what is over
 * the limit is left to the garbage collector).
 */
export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private held = 0;

  /** @param limitBytes - most bytes kept. */
  constructor(readonly limitBytes: number) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * Keeps `buffer` for a later {@link take} (unless detached or over the limit).
   *
   * @param buffer - a buffer nobody else uses any more.
   */
  give(buffer: ArrayBuffer): void {
    const size = buffer.byteLength;
    if (size === 0 || this.held + size > this.limitBytes) return;
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(buffer);
    this.held += size;
  }

  /**
   * A Float64Array of `length` values: a pooled buffer when one fits exactly,
   * else a new one. Its contents are unspecified (stale values).
   *
   * @param length - values.
   * @returns the array.
   */
  take(length: number): Float64Array {
    const buffer = this.free.get(length * 8)?.pop();
    if (buffer === undefined) return new Float64Array(length);
    this.held -= buffer.byteLength;
    return new Float64Array(buffer);
  }
}

/**
 * Staging memory an engine keeps for reuse: 36 buffers of MAX_CHUNK values
 * (9 MiB). A synchronous burst cannot take back the buffers the worker returns
 * meanwhile (they arrive as messages), so it stages in what the pool held when it
 * began: this is enough for a burst of a million values (31 full buffers plus the
 * smaller first ones) to write only to memory already mapped. A first write to a
 * fresh page costs far more than the write itself (bench/README.md, "Staging
 * memory"). The pool holds buffers only once a burst has made them.
 */
export const POOL_LIMIT_BYTES = 9 << 20;

interface Waiter {
  resolve(dropped: number): void;
  reject(error: Error): void;
}

/**
 * The caller's end: posts record batches on `endpoint`, resolves each with the
 * worker's dropped count and puts the returned buffer into `pool`.
 *
 * @param endpoint - the worker's port (the one Comlink wraps).
 * @param pool - where returned buffers go.
 * @returns `record(id, values)`: posts one batch, its buffer transferred.
 */
export function recordSender(
  endpoint: RecordPort,
  pool: BufferPool,
): (id: number, values: Float64Array) => Promise<number> {
  const waiting: Waiter[] = [];
  let head = 0;
  endpoint.addEventListener('message', (event) => {
    const data = event.data as RecordedMessage | null | undefined;
    if (data === null || typeof data !== 'object' || data.edgewatch !== 'recorded') return;
    const waiter = waiting[head];
    if (waiter === undefined) return;
    waiting[head++] = undefined as unknown as Waiter;
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
    pool.give(data.values.buffer as ArrayBuffer);
    if (data.error === undefined) waiter.resolve(data.dropped);
    else waiter.reject(deserializeError(data.error));
  });
  return (id, values) =>
    new Promise<number>((resolve, reject) => {
      const message: RecordMessage = { edgewatch: 'record', id, values };
      endpoint.postMessage(message, [values.buffer as ArrayBuffer]);
      waiting.push({ resolve, reject });
    });
}

/**
 * The worker's end: records each batch with `record` as it arrives and sends
 * the buffer back.
 *
 * @param endpoint - the worker's side of the port.
 * @param record - the sketch service's `record` (returns the dropped count).
 */
export function serveRecords(
  endpoint: RecordPort,
  record: (id: number, values: Float64Array) => number,
): void {
  endpoint.addEventListener('message', (event) => {
    const data = event.data as RecordMessage | null | undefined;
    if (data === null || typeof data !== 'object' || data.edgewatch !== 'record') return;
    let reply: RecordedMessage;
    try {
      reply = { edgewatch: 'recorded', dropped: record(data.id, data.values), values: data.values };
    } catch (error) {
      reply = {
        edgewatch: 'recorded',
        dropped: 0,
        error: serializeError(error),
        values: data.values,
      };
    }
    endpoint.postMessage(reply, [data.values.buffer as ArrayBuffer]);
  });
}
