/**
 * The seam between the collector and where it keeps windows: an asynchronous
 * store interface with two implementations — SQLite (the embedded default,
 * one collector per file; `better-sqlite3` is synchronous, so its answers are
 * wrapped in settled promises) and PostgreSQL (shared by any number of
 * collectors, see `pg-store.ts`). The choice is made by the `dbPath` option: a
 * `postgres://` or `postgresql://` URL selects PostgreSQL, anything else is a
 * SQLite file.
 */
import type { WindowRecord } from '../window/window-record.js';
import type { HourlyAggregate } from './hourly.js';
import type { QueuedWindow } from './remote-write.js';
import type { SqliteWriter } from './sqlite-writer.js';
import type { BatchResult, StoredReference, WindowDb, WindowQuery } from './window-db.js';

/** One stored row as read back in ingest order. */
export interface StoredRow {
  /** Ingest sequence number (ascending in commit order). */
  seq: number;
  /** The stored window body, parsed but unvalidated. */
  record: unknown;
  /** When a collector received it, epoch ms. */
  receivedMs: number;
}

/** What the collector needs from its store. */
export interface CollectorStore {
  /**
   * True when other collectors may write the same store. The collector then
   * feeds its fleet aggregates from the store's ingest log (see
   * {@link CollectorStore.rowsAfter}) instead of from its own requests, so every
   * collector folds the same windows in the same order.
   */
  readonly shared: boolean;
  /**
   * True when the store merges the commits waiting for it into one transaction
   * itself and answers them in the order they came: group commit then hands it
   * each request at once (see `group-commit.ts`).
   */
  readonly groupsCommits?: boolean;
  /** Where the store lives, with any password removed (for logs). */
  readonly location: string;
  /**
   * Stores the batches of several requests in one transaction, each request
   * rolled back alone when it fails or reuses an id with different content.
   */
  addBatches(
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<BatchResult[]>;
  /** Windows matching a filter, in ingest order, with the cursor of the next page. */
  query(q: WindowQuery): Promise<{ windows: WindowRecord[]; next?: number }>;
  /**
   * Rows with `seq > after`, in ingest order, at most `limit`. A row never
   * appears behind one already returned: sequence numbers follow commit order.
   */
  rowsAfter(after: number, limit: number): Promise<StoredRow[]>;
  /** Number of windows stored. */
  count(): Promise<number>;
  /**
   * Hourly aggregates of windows past the retention matching a filter (stores
   * without retention lack it).
   */
  hourly?(q: WindowQuery): Promise<HourlyAggregate[]>;
  /** Every hourly aggregate of a model version with its hour starting in [from, to) (stores without retention lack it). */
  hourlyRange?(
    model: string,
    version: string,
    from: number,
    to: number,
  ): Promise<HourlyAggregate[]>;
  /** Stores (or replaces) the reference profiles of a model version (feature -> base64, validated by the caller). */
  putReference(
    model: string,
    version: string,
    profiles: Record<string, string>,
    nowMs: number,
  ): Promise<void>;
  /** Every stored reference (profiles as unvalidated JSON). */
  references(): Promise<StoredReference[]>;
  /** The oldest windows waiting for remote-write (none where another collector is the shared store's sender). */
  remoteWritePending(limit: number): Promise<QueuedWindow[]>;
  /** Removes windows from the remote-write queue (delivered, refused or expired). */
  remoteWriteDone(seqs: readonly number[]): Promise<void>;
  /** Closes the store. Idempotent. */
  close(): Promise<void>;
}

/** True when `dbPath` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(dbPath: string): boolean {
  return /^postgres(ql)?:\/\//i.test(dbPath);
}

/**
 * A connection string with its password (and any `password=` parameter) replaced by `***`.
 *
 * @param url - a database URL or file path.
 * @returns the same text, safe to log.
 */
export function redactDbUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  return url
    .replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/**
 * The SQLite store: {@link WindowDb} behind the asynchronous interface. With a
 * {@link SqliteWriter}, ingest commits run in its worker thread; everything
 * else uses `db` on the calling thread.
 */
export class SqliteStore implements CollectorStore {
  readonly shared = false;
  readonly groupsCommits: boolean;
  readonly location: string;
  private committedSeq: number;

  /**
   * @param db - an open window table.
   * @param writer - the writer worker for ingest commits (on the same file); without one,
   *   commits run on `db`, blocking the caller until they are on disk.
   */
  constructor(
    readonly db: WindowDb,
    private readonly writer?: SqliteWriter,
  ) {
    this.location = db.path;
    this.groupsCommits = writer !== undefined;
    this.committedSeq = writer ? db.lastSeq() : 0;
  }

  addBatches(
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<BatchResult[]> {
    if (!this.writer) return settle(() => this.db.addBatches(batches, receivedMs));
    return this.writer.addBatches(batches, receivedMs).then(({ results, lastSeq }) => {
      this.committedSeq = Math.max(this.committedSeq, lastSeq);
      return results;
    });
  }

  /**
   * The highest ingest sequence number committed through this store whose
   * commit has been answered (the rows a caller folding each answered commit has
   * folded). With the writer worker, rows the worker committed but whose answer
   * has not arrived yet are not counted, unlike `db.lastSeq()`.
   */
  lastSeq(): number {
    return this.writer ? this.committedSeq : this.db.lastSeq();
  }

  query(q: WindowQuery): Promise<{ windows: WindowRecord[]; next?: number }> {
    return settle(() => this.db.query(q));
  }

  rowsAfter(after: number, limit: number): Promise<StoredRow[]> {
    return settle(() => this.db.rowsAfter(after, limit));
  }

  count(): Promise<number> {
    return settle(() => this.db.count());
  }

  hourly(q: WindowQuery): Promise<HourlyAggregate[]> {
    return settle(() => this.db.hourly(q));
  }

  hourlyRange(
    model: string,
    version: string,
    from: number,
    to: number,
  ): Promise<HourlyAggregate[]> {
    return settle(() => this.db.hourlyRange(model, version, from, to));
  }

  putReference(
    model: string,
    version: string,
    profiles: Record<string, string>,
    nowMs: number,
  ): Promise<void> {
    return settle(() => this.db.putReference(model, version, profiles, nowMs));
  }

  references(): Promise<StoredReference[]> {
    return settle(() => this.db.references());
  }

  remoteWritePending(limit: number): Promise<QueuedWindow[]> {
    return settle(() => this.db.remoteWritePending(limit));
  }

  remoteWriteDone(seqs: readonly number[]): Promise<void> {
    return settle(() => this.db.remoteWriteDone(seqs));
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.db.close();
  }
}

/** Runs a synchronous call, its result or throw as a settled promise. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e as Error);
  }
}
