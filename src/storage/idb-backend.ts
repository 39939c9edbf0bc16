/**
 * The IndexedDB backend, through `idb` (the only importer of `idb`). Outbox
 * writes use `durability: 'strict'`, so a window reported sealed survives a
 * power cut; deletes happen in their own transaction after delivery.
 */
import {
  openDB,
  type IDBPDatabase,
  type IDBPObjectStore,
  type IDBPTransaction,
  type StoreValue,
} from 'idb';
import { StorageError } from '../errors.js';
import type {
  DeadLetter,
  LogCounter,
  LogRow,
  OutboxEntry,
  StoreBackend,
  StoreStats,
} from './backend.js';
import { DB_VERSION, LOG_COUNTER_KEY, migrate, type EdgewatchDB } from './idb-schema.js';

/** Options of {@link IdbBackend.open}. */
export interface IdbBackendOptions {
  /** Give up opening after this many ms (blocked upgrade, stuck browser). Default 5000. */
  openTimeoutMs?: number;
  /** Called when another tab needs a newer schema; the connection closes itself. */
  onVersionChange?: () => void;
  /**
   * Test hook: runs before each write transaction that grows the database; throwing a
   * `DOMException('…', 'QuotaExceededError')` simulates a full disk.
   */
  beforeWrite?: (store: 'outbox' | 'dead' | 'meta' | 'log') => void;
}

function isQuota(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || (e as { code?: number } | null)?.code === 22;
}

function wrap(e: unknown, what: string): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuota(e))
    return new StorageError(`quota exceeded while ${what}`, 'STORAGE_QUOTA', { cause: e });
  return new StorageError(
    `IndexedDB failed while ${what}: ${(e as Error)?.message ?? String(e)}`,
    'STORAGE',
    { cause: e },
  );
}

/** A {@link StoreBackend} on IndexedDB. */
export class IdbBackend implements StoreBackend {
  readonly kind = 'indexeddb' as const;

  private constructor(
    private readonly db: IDBPDatabase<EdgewatchDB>,
    private readonly opts: IdbBackendOptions,
  ) {}

  /**
   * Opens (creating or migrating) the database `name`.
   *
   * @param name - database name.
   * @param options - see {@link IdbBackendOptions}.
   * @returns the backend.
   * @throws StorageError when IndexedDB is missing, refuses, or is blocked past the timeout.
   */
  static async open(name: string, options: IdbBackendOptions = {}): Promise<IdbBackend> {
    if (typeof indexedDB === 'undefined') throw new StorageError('IndexedDB is not available here');
    const timeoutMs = options.openTimeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const opening = openDB<EdgewatchDB>(name, DB_VERSION, {
      upgrade: (db, oldVersion, _newVersion, tx) => migrate(db, oldVersion, tx),
      blocking: () => {
        // A newer schema wants in: step aside rather than block it forever.
        db?.close();
        options.onVersionChange?.();
      },
    });
    let db: IDBPDatabase<EdgewatchDB> | undefined;
    try {
      db = await Promise.race([
        opening,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new StorageError(`IndexedDB open of "${name}" blocked for ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
    } catch (e) {
      if (timedOut)
        opening.then(
          (late) => late.close(),
          () => undefined,
        );
      throw wrap(e, `opening "${name}"`);
    } finally {
      clearTimeout(timer);
    }
    return new IdbBackend(db, options);
  }

  private write<T>(
    store: 'outbox' | 'dead' | 'meta' | 'log',
    what: string,
    fn: () => Promise<T>,
    grows = true,
  ): Promise<T> {
    return this.read(what, () => {
      // Only writes that grow the database can hit the quota.
      if (grows) this.opts.beforeWrite?.(store);
      return fn();
    });
  }

  /** Runs one database operation; a failure becomes a StorageError saying `what` failed. */
  private async read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw wrap(e, what);
    }
  }

  /** Up to `limit` rows of a seq-keyed store after `afterSeq`, in seq order. */
  private listAfter<S extends 'outbox' | 'log'>(
    store: S,
    what: string,
    limit: number,
    afterSeq: number,
  ): Promise<StoreValue<EdgewatchDB, S>[]> {
    return this.read(what, () =>
      this.db.getAll(store, IDBKeyRange.lowerBound(afterSeq, true), limit),
    );
  }

  /** Deletes rows by seq from one store in one transaction (a delete never grows the database). */
  private deleteSeqs(
    store: 'outbox' | 'dead',
    what: string,
    seqs: readonly number[],
    durability: 'strict' | 'default' = 'default',
  ): Promise<void> {
    return this.write(
      store,
      what,
      async () => {
        const tx = this.db.transaction(store, 'readwrite', { durability });
        await Promise.all([...seqs.map((s) => tx.store.delete(s)), tx.done]);
      },
      false,
    );
  }

  outboxAdd(entry: Omit<OutboxEntry, 'seq'>): Promise<number> {
    return this.write('outbox', 'adding a window', async () => {
      const tx = this.db.transaction('outbox', 'readwrite', { durability: 'strict' });
      const seq = await tx.store.add(entry as OutboxEntry);
      await tx.done;
      return seq;
    });
  }

  async outboxList(limit: number, afterSeq = 0): Promise<OutboxEntry[]> {
    return this.listAfter('outbox', 'reading the outbox', limit, afterSeq);
  }

  outboxDelete(seqs: readonly number[]): Promise<void> {
    return this.deleteSeqs('outbox', 'deleting delivered windows', seqs, 'strict');
  }

  private async scan(
    store: 'outbox' | 'dead' | 'log',
    ts: (v: any) => number,
  ): Promise<StoreStats> {
    try {
      let count = 0;
      let bytes = 0;
      let oldest: number | undefined;
      let cursor = await this.db.transaction(store).store.openCursor();
      while (cursor) {
        const v = cursor.value as { bytes: number };
        if (count === 0) oldest = ts(v);
        count++;
        bytes += v.bytes;
        cursor = await cursor.continue();
      }
      return oldest === undefined ? { count, bytes } : { count, bytes, oldest };
    } catch (e) {
      throw wrap(e, `scanning ${store}`);
    }
  }

  outboxStats(): Promise<StoreStats> {
    return this.scan('outbox', (v: OutboxEntry) => v.sealedAt);
  }

  outboxToDead(
    seqs: readonly number[],
    reason: string,
    status: number | undefined,
    failedAt: number,
  ): Promise<number> {
    return this.write('dead', 'moving windows to dead letters', async () => {
      const tx = this.db.transaction(['outbox', 'dead'], 'readwrite', { durability: 'strict' });
      const outbox = tx.objectStore('outbox');
      const dead = tx.objectStore('dead');
      let moved = 0;
      for (const s of seqs) {
        const e = await outbox.get(s);
        if (!e) continue;
        const d = {
          windowId: e.windowId,
          failedAt,
          reason,
          bytes: e.bytes,
          record: e.record,
        } as DeadLetter;
        if (status !== undefined) d.status = status;
        await dead.add(d);
        await outbox.delete(s);
        moved++;
      }
      await tx.done;
      return moved;
    });
  }

  async deadList(limit: number): Promise<DeadLetter[]> {
    return this.read('reading dead letters', () => this.db.getAll('dead', undefined, limit));
  }

  deadDelete(seqs: readonly number[]): Promise<void> {
    return this.deleteSeqs('dead', 'deleting dead letters', seqs);
  }

  deadStats(): Promise<StoreStats> {
    return this.scan('dead', (v: DeadLetter) => v.failedAt);
  }

  async metaGet<T>(key: string): Promise<T | undefined> {
    return this.read(
      'reading meta',
      async () => (await this.db.get('meta', key))?.value as T | undefined,
    );
  }

  metaUpdate<T>(key: string, fn: (old: T | undefined) => T): Promise<T> {
    return this.write('meta', 'updating meta', async () => {
      // One readwrite transaction: IndexedDB serializes overlapping ones, so
      // this read-modify-write is atomic across tabs (the lease relies on it).
      const tx = this.db.transaction('meta', 'readwrite', { durability: 'strict' });
      const old = (await tx.store.get(key))?.value as T | undefined;
      const next = fn(old);
      await tx.store.put({ key, value: next });
      await tx.done;
      return next;
    });
  }

  /** The log counter inside `tx`; a database written before the counter existed is counted once. */
  private async logCounter(
    tx: IDBPTransaction<EdgewatchDB, ('log' | 'meta')[], IDBTransactionMode>,
  ): Promise<LogCounter> {
    const stored = await tx.objectStore('meta').get(LOG_COUNTER_KEY);
    if (stored) return stored.value as LogCounter;
    const counter = { count: 0, bytes: 0 };
    let cursor = await tx.objectStore('log').openCursor();
    while (cursor) {
      counter.count++;
      counter.bytes += cursor.value.bytes;
      cursor = await cursor.continue();
    }
    return counter;
  }

  logAdd(rows: ReadonlyArray<Omit<LogRow, 'seq'>>): Promise<void> {
    return this.logAppend(rows, Infinity, Infinity).then(() => undefined);
  }

  logAppend(
    rows: ReadonlyArray<Omit<LogRow, 'seq'>>,
    maxCount: number,
    maxBytes: number,
  ): Promise<number> {
    return this.logWrite(
      'appending to the prediction log',
      rows.length > 0,
      async (log, stored) => {
        let count = stored.count + rows.length;
        let bytes = stored.bytes + rows.reduce((a, r) => a + r.bytes, 0);
        let evicted = 0;
        if (count > maxCount || bytes > maxBytes) {
          // the oldest rows, read in batches (as many as the count bound needs, in one request)
          // until the bounds hold, then deleted as one key range
          let first: number | undefined;
          let last: number | undefined;
          while (evicted < stored.count && (count > maxCount || bytes > maxBytes)) {
            const want = Math.max(count - maxCount, 1);
            const range = last === undefined ? undefined : IDBKeyRange.lowerBound(last, true);
            const batch = await log.getAll(range, want);
            if (batch.length === 0) break;
            for (const row of batch) {
              if (count <= maxCount && bytes <= maxBytes) break;
              first ??= row.seq;
              last = row.seq;
              count--;
              bytes -= row.bytes;
              evicted++;
            }
          }
          if (first !== undefined && last !== undefined)
            await log.delete(IDBKeyRange.bound(first, last));
        }
        return {
          result: evicted,
          counter: { count, bytes },
          requests: rows.map((r) => log.add(r as LogRow)),
        };
      },
    );
  }

  async logList(limit: number, afterSeq = 0): Promise<LogRow[]> {
    return this.listAfter('log', 'reading the prediction log', limit, afterSeq);
  }

  logDelete(seqs: readonly number[]): Promise<void> {
    return this.logWrite('evicting from the prediction log', false, async (log, counter) => {
      for (const seq of seqs) {
        const row = await log.get(seq);
        if (!row) continue;
        counter.count--;
        counter.bytes -= row.bytes;
        await log.delete(seq);
      }
      return { result: undefined, counter };
    });
  }

  /**
   * One read-write transaction on the prediction log and its counter: `fn` gets
   * the log store and the counter as stored, and returns its result, the counter
   * to store and the requests it issued last without awaiting them (the log's
   * `add`s); those, the counter's write and the commit are awaited together.
   */
  private logWrite<T>(
    what: string,
    grows: boolean,
    fn: (
      log: IDBPObjectStore<EdgewatchDB, ('log' | 'meta')[], 'log', 'readwrite'>,
      counter: LogCounter,
    ) => Promise<{ result: T; counter: LogCounter; requests?: Promise<unknown>[] }>,
  ): Promise<T> {
    return this.write(
      'log',
      what,
      async () => {
        const tx = this.db.transaction(['log', 'meta'], 'readwrite');
        const {
          result,
          counter,
          requests = [],
        } = await fn(tx.objectStore('log'), await this.logCounter(tx));
        await Promise.all([
          ...requests,
          tx.objectStore('meta').put({ key: LOG_COUNTER_KEY, value: counter }),
          tx.done,
        ]);
        return result;
      },
      grows,
    );
  }

  async logStats(): Promise<StoreStats> {
    try {
      const tx = this.db.transaction(['log', 'meta']);
      const counter = await this.logCounter(tx);
      const first = await tx.objectStore('log').openCursor();
      const oldest = first?.value.entry.ts;
      return oldest === undefined ? { ...counter } : { ...counter, oldest };
    } catch (e) {
      throw wrap(e, 'reading the prediction log');
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
