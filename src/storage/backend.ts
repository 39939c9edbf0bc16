/**
 * The storage backend contract: a small ordered key-value surface that the
 * IndexedDB, memory and file backends implement identically. Policy (caps,
 * eviction, quota handling, drop counting) lives in `WindowStore`, once, above
 * this interface — backends only store.
 */
import type { PredictionEntry, WindowRecord } from '../window/window-record.js';

/** A sealed window waiting in the outbox. `seq` orders the outbox (oldest first). */
export interface OutboxEntry {
  seq: number;
  windowId: string;
  /** Epoch ms when sealed (stored). */
  sealedAt: number;
  /** UTF-8 size of the record's JSON. */
  bytes: number;
  record: WindowRecord;
}

/** A window the backend refused for good (a non-retryable 4xx). */
export interface DeadLetter {
  seq: number;
  windowId: string;
  failedAt: number;
  reason: string;
  status?: number;
  bytes: number;
  record: WindowRecord;
}

/** One row of the prediction log. */
export interface LogRow {
  seq: number;
  bytes: number;
  entry: PredictionEntry;
}

/** Count and size of a store. */
export interface StoreStats {
  count: number;
  bytes: number;
  /** `sealedAt` (outbox) or `ts` (log) of the oldest row; undefined when empty. */
  oldest?: number;
}

/** What every backend implements. All methods are atomic per call. */
export interface StoreBackend {
  readonly kind: 'indexeddb' | 'memory' | 'file';
  outboxAdd(entry: Omit<OutboxEntry, 'seq'>): Promise<number>;
  /** Oldest first, at most `limit`, with `seq > afterSeq` when given. */
  outboxList(limit: number, afterSeq?: number): Promise<OutboxEntry[]>;
  outboxDelete(seqs: readonly number[]): Promise<void>;
  outboxStats(): Promise<StoreStats>;
  /** Moves outbox rows to dead letters in one transaction; returns how many moved. */
  outboxToDead(
    seqs: readonly number[],
    reason: string,
    status: number | undefined,
    failedAt: number,
  ): Promise<number>;
  deadList(limit: number): Promise<DeadLetter[]>;
  deadDelete(seqs: readonly number[]): Promise<void>;
  deadStats(): Promise<StoreStats>;
  metaGet<T>(key: string): Promise<T | undefined>;
  /** Atomic read-modify-write of one meta key; returns the value written. */
  metaUpdate<T>(key: string, fn: (old: T | undefined) => T): Promise<T>;
  logAdd(rows: ReadonlyArray<Omit<LogRow, 'seq'>>): Promise<void>;
  /**
   * Appends log rows and, in the same transaction, evicts the oldest rows until
   * at most `maxCount` rows and `maxBytes` bytes remain. Count and bytes live in
   * a counter beside the log, so the cost is O(rows + evicted), not O(log size).
   * @returns how many older rows were evicted.
   */
  logAppend(
    rows: ReadonlyArray<Omit<LogRow, 'seq'>>,
    maxCount: number,
    maxBytes: number,
  ): Promise<number>;
  logList(limit: number, afterSeq?: number): Promise<LogRow[]>;
  logDelete(seqs: readonly number[]): Promise<void>;
  logStats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** Meta key of the prediction log's count/bytes counter. */
export const LOG_COUNTER_KEY = 'log:counter';

/** The prediction log's counter. */
export interface LogCounter {
  count: number;
  bytes: number;
}

/** UTF-8 byte length of a JSON value. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}
