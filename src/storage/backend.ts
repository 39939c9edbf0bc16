/**
 * The storage backend contract: a small ordered key-value surface that the
 * IndexedDB, memory and file backends implement identically. Policy (caps,
 * eviction, quota handling, drop counting) lives in `WindowStore`, once, above
 * this interface — backends only store.
 */
import type { PredictionEntry, WindowRecord } from '../window/window-record.js';

/** A sealed window waiting in the outbox. `seq` orders the outbox (oldest first). */
export interface OutboxEntry {
  /** Position in the outbox (increasing, assigned by the backend). */
  seq: number;
  /** The window's id (the collector deduplicates by it). */
  windowId: string;
  /** Epoch ms when sealed (stored). */
  sealedAt: number;
  /** UTF-8 size of the record's JSON. */
  bytes: number;
  /** The sealed window. */
  record: WindowRecord;
}

/** A window the backend refused for good (a non-retryable 4xx). */
export interface DeadLetter {
  /** Position among dead letters (increasing). */
  seq: number;
  /** The window's id. */
  windowId: string;
  /** Epoch ms of the refusal. */
  failedAt: number;
  /** Why it was refused (the collector's message). */
  reason: string;
  /** The HTTP status of the refusal, when there was one. */
  status?: number;
  /** UTF-8 size of the record's JSON. */
  bytes: number;
  /** The refused window. */
  record: WindowRecord;
}

/** One row of the prediction log. */
export interface LogRow {
  /** Position in the log (increasing). */
  seq: number;
  /** UTF-8 size of the entry's JSON. */
  bytes: number;
  /** The logged prediction. */
  entry: PredictionEntry;
}

/** Count and size of a store. */
export interface StoreStats {
  /** Rows held. */
  count: number;
  /** Their UTF-8 JSON size. */
  bytes: number;
  /** `sealedAt` (outbox) or `ts` (log) of the oldest row; undefined when empty. */
  oldest?: number;
}

/** What every backend implements. All methods are atomic per call. */
export interface StoreBackend {
  /** Where the data lives. */
  readonly kind: 'indexeddb' | 'memory' | 'file';
  /** Appends a sealed window; returns its `seq`. */
  outboxAdd(entry: Omit<OutboxEntry, 'seq'>): Promise<number>;
  /** Oldest first, at most `limit`, with `seq > afterSeq` when given. */
  outboxList(limit: number, afterSeq?: number): Promise<OutboxEntry[]>;
  /** Removes outbox rows (delivered or evicted); unknown seqs are ignored. */
  outboxDelete(seqs: readonly number[]): Promise<void>;
  /** Count, size and oldest `sealedAt` of the outbox. */
  outboxStats(): Promise<StoreStats>;
  /** Moves outbox rows to dead letters in one transaction; returns how many moved. */
  outboxToDead(
    seqs: readonly number[],
    reason: string,
    status: number | undefined,
    failedAt: number,
  ): Promise<number>;
  /** Dead letters, oldest first, at most `limit`. */
  deadList(limit: number): Promise<DeadLetter[]>;
  /** Removes dead letters. */
  deadDelete(seqs: readonly number[]): Promise<void>;
  /** Count and size of the dead letters. */
  deadStats(): Promise<StoreStats>;
  /** One meta value (counters, flags), or undefined. */
  metaGet<T>(key: string): Promise<T | undefined>;
  /** Atomic read-modify-write of one meta key; returns the value written. */
  metaUpdate<T>(key: string, fn: (old: T | undefined) => T): Promise<T>;
  /** Appends prediction-log rows in order. */
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
  /** Log rows oldest first, at most `limit`, with `seq > afterSeq` when given. */
  logList(limit: number, afterSeq?: number): Promise<LogRow[]>;
  /** Removes log rows. */
  logDelete(seqs: readonly number[]): Promise<void>;
  /** Count, size and oldest `ts` of the log. */
  logStats(): Promise<StoreStats>;
  /** Finishes pending writes and releases the backend. */
  close(): Promise<void>;
}

/** The prediction log's counter. */
export interface LogCounter {
  count: number;
  bytes: number;
}

/** UTF-8 byte length of a JSON value. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}
