/**
 * Durable storage of ingested windows in SQLite (`better-sqlite3` v12; v13
 * crashes on Node 20). The window id is the primary key, so ingest is
 * idempotent: a resent window is ignored and counted as a duplicate. WAL mode;
 * `synchronous` FULL by default (a 2xx means the window is on disk).
 */
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import type { WindowRecord } from '../window/window-record.js';

/** Filter of {@link WindowDb.query}. */
export interface WindowQuery {
  model?: string;
  version?: string;
  device?: string;
  /** Windows ending at or after this epoch ms. */
  since?: number;
  /** Windows ending before this epoch ms. */
  until?: number;
  /** Ingest-order cursor: rows after this one. */
  after?: number;
  /** Most rows (1..1000). Default 100. */
  limit?: number;
}

const SCHEMA_VERSION = 1;

/** The collector's window table. */
export class WindowDb {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertMany: (records: readonly WindowRecord[], receivedMs: number) => boolean[];

  /**
   * Opens (creating or migrating) the database.
   *
   * @param path - file path, or `':memory:'`.
   * @param options - `synchronous`: `'full'` (default) or `'normal'` (faster, may lose the last commits on power loss).
   * @throws StorageError when the file cannot be opened or is not an edgewatch database.
   */
  constructor(path: string, options: { synchronous?: 'full' | 'normal' } = {}) {
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.db.pragma('busy_timeout = 5000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version < 1) {
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS windows (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            window_id TEXT NOT NULL UNIQUE,
            device_id TEXT NOT NULL,
            model TEXT NOT NULL,
            model_version TEXT NOT NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            received_ms INTEGER NOT NULL,
            body TEXT NOT NULL
          );
          CREATE INDEX IF NOT EXISTS windows_model_end ON windows (model, model_version, end_ms);
          CREATE INDEX IF NOT EXISTS windows_device_end ON windows (device_id, end_ms);
        `);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      } else if (version > SCHEMA_VERSION) {
        throw new StorageError(
          `expected a collector database of schema <= ${SCHEMA_VERSION}, got ${version}`,
        );
      }
    } catch (e) {
      throw e instanceof StorageError
        ? e
        : new StorageError(
            `cannot open collector database ${path}: ${(e as Error).message}`,
            'STORAGE',
            { cause: e },
          );
    }
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO windows (window_id, device_id, model, model_version, start_ms, end_ms, received_ms, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = this.db.transaction((records: readonly WindowRecord[], receivedMs: number) =>
      records.map(
        (r) =>
          this.insert.run(
            r.windowId,
            r.deviceId,
            r.model.name,
            r.model.version,
            r.start,
            r.end,
            receivedMs,
            JSON.stringify(r),
          ).changes === 1,
      ),
    );
  }

  /**
   * Stores windows in one transaction.
   *
   * @param records - validated windows.
   * @param receivedMs - ingest time.
   * @returns per record: true when new, false when a duplicate (already stored).
   * @throws StorageError when the write fails (nothing of the batch is stored).
   */
  add(records: readonly WindowRecord[], receivedMs: number): boolean[] {
    try {
      return this.insertMany(records, receivedMs);
    } catch (e) {
      throw new StorageError(
        `collector database write failed: ${(e as Error).message}`,
        'STORAGE',
        { cause: e },
      );
    }
  }

  /** Number of windows stored. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM windows').get() as { n: number }).n;
  }

  /**
   * Windows matching a filter, in ingest order.
   *
   * @param q - the filter.
   * @returns rows and the cursor for the next page (when more may follow).
   */
  query(q: WindowQuery): { windows: WindowRecord[]; next?: number } {
    const where: string[] = ['seq > ?'];
    const args: (string | number)[] = [q.after ?? 0];
    const filters: Array<[string, string | number | undefined]> = [
      ['model = ?', q.model],
      ['model_version = ?', q.version],
      ['device_id = ?', q.device],
      ['end_ms >= ?', q.since],
      ['end_ms < ?', q.until],
    ];
    for (const [clause, value] of filters) {
      if (value === undefined) continue;
      where.push(clause);
      args.push(value);
    }
    const limit = Math.min(1000, Math.max(1, q.limit ?? 100));
    const rows = this.db
      .prepare(`SELECT seq, body FROM windows WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...args, limit) as { seq: number; body: string }[];
    const out: { windows: WindowRecord[]; next?: number } = {
      windows: rows.map((r) => JSON.parse(r.body) as WindowRecord),
    };
    if (rows.length === limit) out.next = rows[rows.length - 1]!.seq;
    return out;
  }

  /**
   * Every window in ingest order (for rebuilding aggregates at start-up).
   *
   * @returns an iterator over records.
   */
  *all(): Generator<WindowRecord> {
    for (const row of this.db
      .prepare('SELECT body FROM windows ORDER BY seq')
      .iterate() as Iterable<{ body: string }>) {
      yield JSON.parse(row.body) as WindowRecord;
    }
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
