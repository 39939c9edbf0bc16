/**
 * The SQLite writer thread: ingest transactions run in a `worker_threads`
 * worker with its own connection to the collector's file, so the event loop
 * keeps parsing, validating and answering requests while a commit (and its
 * fsync under `synchronous = FULL`) is under way. `better-sqlite3` is
 * synchronous: on the main thread every commit blocked the whole collector.
 *
 * Only window inserts move; reads, references, the remote-write queue, the
 * snapshot and the retention purge keep the main connection (WAL: readers
 * never wait for the writer; the rare other writes wait for it through
 * `busy_timeout`). A commit's promise resolves only after the worker's
 * transaction committed, so group commit's acknowledgement keeps its meaning:
 * a 2xx means the window is committed. The worker also reports the highest
 * ingest sequence number committed, read right after the commit (the worker is
 * the only writer of windows), so the collector knows which rows it has folded (a snapshot never covers a
 * committed window it has not folded yet).
 *
 * The windows of a commit travel as one UTF-8 buffer and one `Float64Array`
 * of times, both transferred (not copied). When the worker fails or exits,
 * every commit waiting for it is rejected with a StorageError (the request is
 * answered 503 and retried by the device; an id already committed is then a
 * duplicate) and the next commit starts a new worker.
 */
import { Worker } from 'node:worker_threads';
import { StorageError } from '../errors.js';
import type { WindowRecord } from '../window/window-record.js';
import { insertRowOf, type BatchResult, type InsertRow } from './window-db.js';

/** Options of the writer worker's connection (those of `WindowDb`). */
export interface SqliteWriterOptions {
  synchronous: 'full' | 'normal';
  remoteWriteQueue: boolean;
}

/** A commit as posted to the worker. */
export interface WriterRequest {
  id: number;
  receivedMs: number;
  /** Windows per request of the commit. */
  counts: number[];
  /** Per window: window id, device id, model, version, body, concatenated; see `lengths`. */
  text: Uint8Array;
  /** Per window, the five strings' lengths in UTF-16 code units. */
  lengths: Uint32Array;
  /** Per window: start, end. */
  times: Float64Array;
}

/** The worker's answer to a {@link WriterRequest}. */
export type WriterReply =
  { id: number; results: BatchResult[]; lastSeq: number } | { id: number; error: string };

const FIELDS = 5;

/**
 * Packs the windows of a commit into transferable buffers.
 *
 * @param batches - validated windows, one array per request.
 * @returns the parts of a {@link WriterRequest} that carry windows.
 */
export function packBatches(
  batches: readonly (readonly WindowRecord[])[],
): Pick<WriterRequest, 'counts' | 'text' | 'lengths' | 'times'> {
  const n = batches.reduce((a, b) => a + b.length, 0);
  const lengths = new Uint32Array(n * FIELDS);
  const times = new Float64Array(n * 2);
  const parts: string[] = [];
  let w = 0;
  for (const records of batches)
    for (const record of records) {
      const r = insertRowOf(record);
      const fields = [r.windowId, r.deviceId, r.model, r.version, r.json];
      fields.forEach((f, k) => (lengths[w * FIELDS + k] = f.length));
      parts.push(...fields);
      times[w * 2] = r.start;
      times[w * 2 + 1] = r.end;
      w++;
    }
  return {
    counts: batches.map((b) => b.length),
    text: new TextEncoder().encode(parts.join('')),
    lengths,
    times,
  };
}

/**
 * The rows of a {@link WriterRequest} (in the worker).
 *
 * @param req - the request.
 * @returns its rows, one array per request.
 */
export function unpackBatches(
  req: Pick<WriterRequest, 'counts' | 'text' | 'lengths' | 'times'>,
): InsertRow[][] {
  // Every string came from a JS string encoded whole, so decoding restores each length exactly.
  const text = new TextDecoder().decode(req.text);
  let at = 0;
  let w = 0;
  const next = (k: number): string => {
    const len = req.lengths[w * FIELDS + k]!;
    const s = text.slice(at, at + len);
    at += len;
    return s;
  };
  return req.counts.map((count) =>
    Array.from({ length: count }, (): InsertRow => {
      const row: InsertRow = {
        windowId: next(0),
        deviceId: next(1),
        model: next(2),
        version: next(3),
        json: next(4),
        start: req.times[w * 2]!,
        end: req.times[w * 2 + 1]!,
      };
      w++;
      return row;
    }),
  );
}

/** The main-thread end of the writer worker. */
export class SqliteWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<
    number,
    {
      resolve: (r: { results: BatchResult[]; lastSeq: number }) => void;
      reject: (e: Error) => void;
    }
  >();
  private nextId = 1;
  private closed = false;

  /**
   * @param path - the SQLite file (already created and migrated by the main connection).
   * @param options - the connection's options.
   */
  constructor(
    readonly path: string,
    private readonly options: SqliteWriterOptions,
  ) {
    // Started now, so the first commit does not wait for the thread to load.
    this.worker = this.start();
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(error);
  }

  private start(): Worker {
    const here = import.meta.url;
    const workerData = { path: this.path, ...this.options };
    let worker: Worker;
    if (here.endsWith('.ts')) {
      // From the TypeScript sources (tests, tsx): register tsx inside the worker first
      // (`--import` in execArgv is not honoured there).
      const target = JSON.stringify(new URL('./sqlite-writer-worker.ts', here).href);
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });`;
      worker = new Worker(boot, { eval: true, workerData, name: 'edgewatch-sqlite-writer' });
    } else {
      const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
      worker = new Worker(new URL('./sqlite-writer-worker.js', here), {
        workerData,
        execArgv,
        name: 'edgewatch-sqlite-writer',
      });
    }
    worker.on('message', (reply: WriterReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(new StorageError(reply.error));
      else
        p.resolve({
          lastSeq: reply.lastSeq,
          results: reply.results.map((r) =>
            'error' in r
              ? {
                  ok: false,
                  error: new StorageError(String(r.error)),
                }
              : r,
          ),
        });
    });
    const lost = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new StorageError(`collector database writer failed: ${why}`));
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('messageerror', () => lost('a message could not be deserialized'));
    worker.on('exit', (code) => lost(`the writer thread exited with code ${code}`));
    return worker;
  }

  /**
   * Stores the batches of several requests in one transaction in the worker.
   *
   * @param batches - validated windows, one array per request.
   * @param receivedMs - ingest time.
   * @returns per batch as `WindowDb.addBatches`, and the highest sequence number committed.
   * @throws StorageError when the commit failed, the worker died before answering, or the
   *   writer is closed (whether a commit that was under way when the worker died
   *   committed is unknown; a retry of its windows is then a duplicate).
   */
  addBatches(
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<{ results: BatchResult[]; lastSeq: number }> {
    if (this.closed) return Promise.reject(new StorageError('collector database writer is closed'));
    let packed: ReturnType<typeof packBatches>;
    try {
      packed = packBatches(batches);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const req: WriterRequest = { id, receivedMs, ...packed };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(req, [
        packed.text.buffer as ArrayBuffer,
        packed.lengths.buffer as ArrayBuffer,
        packed.times.buffer as ArrayBuffer,
      ]);
    });
  }

  /** Stops the worker (its connection closes with it). Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      // Commits posted before close are answered first (the worker handles messages in order).
      worker.postMessage({ close: true });
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    }
    this.failAll(new StorageError('collector database writer is closed'));
  }
}
