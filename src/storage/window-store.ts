/**
 * `WindowStore`: the durable outbox of sealed windows, dead letters, counters
 * and the prediction log, with one policy over any backend (IndexedDB, memory,
 * file). It loses nothing it accepted, and when it must drop (caps, quota,
 * oversize) it counts the drop by reason, persistently.
 */
import { ConfigError, StorageError, closedError, describeValue } from '../errors.js';
import type { WindowRecord } from '../window/window-record.js';
import { jsonBytes, type DeadLetter, type OutboxEntry, type StoreBackend } from './backend.js';
import { MemoryBackend } from './memory-backend.js';
import { PredictionLog, type PredictionLogOptions } from './prediction-log.js';
import type { IdbBackendOptions } from './idb-backend.js';
import type {
  AppendResult,
  DropReason,
  StoreEvent,
  WindowStoreOptions,
  WindowStoreStats,
} from './store-types.js';

export type { AppendResult, DropReason, StoreEvent, WindowStoreOptions, WindowStoreStats };
import { createNotifier, type SealNotifier } from './notifier.js';
import { nonEmptyString, optionalNumber } from '../util/options.js';

const positive = (name: string, v: number | undefined, dflt: number): number =>
  optionalNumber(name, v, dflt, { above: 0, infinite: true });

/** The durable outbox. Create with {@link WindowStore.open}. */
export class WindowStore {
  /** The bounded prediction log ("log all predictions for analysis"). */
  readonly predictionLog: PredictionLog;
  private estimateValue: { usage: number; quota: number } | undefined;
  private closed = false;

  private constructor(
    /** The store's name (IndexedDB database and cross-tab channel). */
    readonly name: string,
    private readonly backend: StoreBackend,
    /** True when the requested backend failed and memory stands in (see `storage_degraded`). */
    readonly degraded: boolean,
    private readonly cfg: {
      maxBytes: number;
      maxAgeMs: number;
      maxRecordBytes: number;
      deadLetterCap: number;
      now: () => number;
      onEvent: (e: StoreEvent) => void;
    },
    private readonly notifier: SealNotifier,
    logOptions: PredictionLogOptions | undefined,
  ) {
    this.predictionLog = new PredictionLog(backend, logOptions, (reason, n) =>
      this.countDrop(reason, n),
    );
  }

  /**
   * Opens a store. With `backend: 'auto'` (default) it uses IndexedDB and falls
   * back to memory — reporting `storage_degraded` — when IndexedDB is missing,
   * refuses (private modes) or is blocked.
   *
   * @param options - see {@link WindowStoreOptions}.
   * @returns the store.
   * @throws ConfigError on bad options; StorageError when an explicitly requested backend fails.
   * @example
   * const store = await WindowStore.open({ name: 'edgewatch' });
   */
  static async open(options: WindowStoreOptions = {}): Promise<WindowStore> {
    const name = options.name ?? 'edgewatch';
    nonEmptyString('name', name);
    const onEvent = options.onEvent ?? (() => undefined);
    const cfg = {
      maxBytes: positive('maxBytes', options.maxBytes, 5 * 1024 * 1024),
      maxAgeMs: positive('maxAgeMs', options.maxAgeMs, 7 * 24 * 3600 * 1000),
      maxRecordBytes: positive('maxRecordBytes', options.maxRecordBytes, 512 * 1024),
      deadLetterCap: positive('deadLetterCap', options.deadLetterCap, 100),
      now: options.now ?? Date.now,
      onEvent,
    };
    const want = options.backend ?? 'auto';
    let backend: StoreBackend;
    let degraded = false;
    if (typeof want === 'object' && want !== null) backend = want;
    // The file and IndexedDB backends (with idb) load only when chosen: a memory store ships neither.
    else if (options.path !== undefined)
      backend = await (await import('./file-backend.js')).FileBackend.open(options.path);
    else if (want === 'memory') backend = new MemoryBackend();
    else if (want === 'indexeddb') backend = await openIdb(name, options.idb);
    else if (want === 'auto') {
      try {
        backend = await openIdb(name, options.idb);
      } catch (error) {
        backend = new MemoryBackend();
        degraded = true;
        onEvent({ type: 'storage_degraded', reason: (error as Error).message, error });
      }
    } else
      throw new ConfigError(
        `expected backend 'auto' | 'indexeddb' | 'memory' or a backend, got ${describeValue(want)}`,
      );
    const store = new WindowStore(
      name,
      backend,
      degraded,
      cfg,
      createNotifier(`edgewatch:${name}`),
      options.predictionLog,
    );
    if (options.persist !== false) store.requestPersist();
    return store;
  }

  /** Which backend holds the data. */
  get kind(): StoreBackend['kind'] {
    return this.backend.kind;
  }

  private requestPersist(): void {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (!storage?.persist) return;
    // Once per store: the browser remembers the grant.
    void this.backend
      .metaUpdate<boolean>('persistRequested', (old) => old ?? false)
      .then(async (asked) => {
        if (asked) return;
        await this.backend.metaUpdate<boolean>('persistRequested', () => true);
        await storage.persist();
      })
      .catch((error: unknown) => this.cfg.onEvent({ type: 'error', error }));
  }

  private async refreshEstimate(): Promise<void> {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (!storage?.estimate) return;
    try {
      const { usage = 0, quota = 0 } = await storage.estimate();
      this.estimateValue = { usage, quota };
      if (quota > 0 && usage / quota > 0.9) this.cfg.onEvent({ type: 'pressure', usage, quota });
    } catch {
      // estimate() is advisory; ignore.
    }
  }

  /**
   * Counts dropped items by reason (persisted in meta).
   *
   * @param reason - why.
   * @param n - how many.
   */
  async countDrop(reason: DropReason, n: number): Promise<void> {
    if (n <= 0) return;
    this.cfg.onEvent({ type: 'drop', reason, count: n });
    try {
      await this.backend.metaUpdate<Record<string, number>>('drops', (old) => ({
        ...old,
        [reason]: (old?.[reason] ?? 0) + n,
      }));
    } catch (error) {
      this.cfg.onEvent({ type: 'error', error });
    }
  }

  private async evict(entries: OutboxEntry[], reason: DropReason): Promise<number> {
    if (entries.length === 0) return 0;
    await this.backend.outboxDelete(entries.map((e) => e.seq));
    await this.countDrop(reason, entries.length);
    return entries.length;
  }

  /** Evicts by age, then oldest-first until `extra` more bytes fit the cap. */
  private async makeRoom(extra: number): Promise<number> {
    let evicted = 0;
    const now = this.cfg.now();
    let stats = await this.backend.outboxStats();
    if (stats.oldest !== undefined && stats.oldest < now - this.cfg.maxAgeMs) {
      const old: OutboxEntry[] = [];
      for (const e of await this.backend.outboxList(stats.count))
        if (e.sealedAt < now - this.cfg.maxAgeMs) old.push(e);
      evicted += await this.evict(old, 'max_age');
      stats = await this.backend.outboxStats();
    }
    if (stats.bytes + extra > this.cfg.maxBytes) {
      const victims: OutboxEntry[] = [];
      let bytes = stats.bytes;
      for (const e of await this.backend.outboxList(stats.count)) {
        if (bytes + extra <= this.cfg.maxBytes) break;
        victims.push(e);
        bytes -= e.bytes;
      }
      evicted += await this.evict(victims, 'cap_bytes');
    }
    return evicted;
  }

  /**
   * Seals a window into the outbox (durably: `durability: 'strict'` on
   * IndexedDB). Enforces the caps first; on a quota error drops the new
   * window and keeps the stored ones. Never throws for policy drops — they
   * are counted and returned.
   *
   * @param record - the sealed window.
   * @returns what happened.
   * @throws StorageError for failures other than quota (the backend is broken).
   * Cost: O(outbox size) for the cap check (the outbox is bounded by `maxBytes`).
   */
  async append(record: WindowRecord): Promise<AppendResult> {
    this.assertOpen();
    const bytes = jsonBytes(record);
    if (bytes > this.cfg.maxRecordBytes) {
      await this.countDrop('oversize', 1);
      return { stored: false, evicted: 0, reason: 'oversize' };
    }
    const evicted = await this.makeRoom(bytes);
    const entry = { windowId: record.windowId, sealedAt: this.cfg.now(), bytes, record };
    try {
      await this.backend.outboxAdd(entry);
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'STORAGE_QUOTA')) throw e;
      // The new window is dropped, never a stored one: evicting on quota would
      // empty the whole outbox under a quota error that does not go away.
      await this.countDrop('quota', 1);
      this.cfg.onEvent({ type: 'error', error: e });
      return { stored: false, evicted, reason: 'quota' };
    }
    this.cfg.onEvent({ type: 'sealed', windowId: record.windowId });
    this.notifier.notify();
    void this.refreshEstimate();
    return { stored: true, evicted };
  }

  /**
   * The oldest sealed windows, in seal order.
   *
   * @param limit - at most this many.
   * @param afterSeq - only windows after this sequence number.
   * @returns outbox entries (copies).
   */
  async peek(limit: number, afterSeq?: number): Promise<OutboxEntry[]> {
    this.assertOpen();
    return this.backend.outboxList(limit, afterSeq);
  }

  /**
   * Deletes delivered windows (call only after the backend acknowledged them).
   *
   * @param seqs - outbox sequence numbers.
   */
  async remove(seqs: readonly number[]): Promise<void> {
    this.assertOpen();
    return this.backend.outboxDelete(seqs);
  }

  /**
   * Moves windows the backend refused for good into the bounded dead-letter store.
   *
   * @param seqs - outbox sequence numbers.
   * @param reason - the backend's message.
   * @param status - the HTTP status.
   */
  async deadLetter(seqs: readonly number[], reason: string, status?: number): Promise<void> {
    this.assertOpen();
    await this.backend.outboxToDead(seqs, reason.slice(0, 500), status, this.cfg.now());
    const d = await this.backend.deadStats();
    if (d.count > this.cfg.deadLetterCap) {
      const over = await this.backend.deadList(d.count - this.cfg.deadLetterCap);
      await this.backend.deadDelete(over.map((x) => x.seq));
      await this.countDrop('dead_letter_cap', over.length);
    }
  }

  /** Dead letters, oldest first. */
  async deadLetters(limit = 1000): Promise<DeadLetter[]> {
    this.assertOpen();
    return this.backend.deadList(limit);
  }

  /** Drop counters by reason, persisted across restarts. */
  async drops(): Promise<Record<string, number>> {
    this.assertOpen();
    return (await this.backend.metaGet<Record<string, number>>('drops')) ?? {};
  }

  /** Counts, sizes and drops of every part of the store. */
  async stats(): Promise<WindowStoreStats> {
    this.assertOpen();
    const [outbox, dead, log, drops] = await Promise.all([
      this.backend.outboxStats(),
      this.backend.deadStats(),
      this.backend.logStats(),
      this.drops(),
    ]);
    const s: WindowStoreStats = {
      kind: this.backend.kind,
      degraded: this.degraded,
      outbox,
      dead,
      log,
      drops,
    };
    if (this.estimateValue) s.estimate = this.estimateValue;
    return s;
  }

  /** Reads a meta value (leases, settings). */
  async getMeta<T>(key: string): Promise<T | undefined> {
    this.assertOpen();
    return this.backend.metaGet<T>(key);
  }

  /** Atomic read-modify-write of a meta value (atomic across tabs on IndexedDB). */
  async updateMeta<T>(key: string, fn: (old: T | undefined) => T): Promise<T> {
    this.assertOpen();
    return this.backend.metaUpdate<T>(key, fn);
  }

  /**
   * Subscribes to "a window was sealed" notices, from this store and — through
   * `BroadcastChannel` — from other tabs on the same store name.
   *
   * @param fn - listener.
   * @returns an unsubscribe function.
   */
  onSealed(fn: () => void): () => void {
    return this.notifier.subscribe(fn);
  }

  /**
   * Closes the store and its channel. Idempotent; every other method then
   * throws `ConfigError` code `CLOSED`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notifier.close();
    await this.backend.close();
  }

  /** `await using store = await WindowStore.open(…)` closes it at scope exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError('WindowStore');
  }
}

/** Opens the IndexedDB backend, loaded on first use. */
async function openIdb(
  name: string,
  options: IdbBackendOptions | undefined,
): Promise<StoreBackend> {
  return (await import('./idb-backend.js')).IdbBackend.open(name, options);
}
