/**
 * Durable storage of ingested windows in SQLite (`better-sqlite3` v12; v13
 * crashes on Node 20). The window id is the primary key, so ingest is
 * idempotent: a resent window (same content) is ignored and counted as a
 * duplicate, while an id reused with different content is a conflict. WAL mode;
 * `synchronous` FULL by default (a 2xx means the window is on disk); NORMAL
 * acknowledges before the WAL is fsynced, so a power loss can drop acknowledged
 * windows (SQLite's documented trade-off).
 *
 * Requests share one transaction (group commit) but each runs in its own
 * savepoint: a request that fails or conflicts is rolled back alone.
 */
import { optionalDependency } from './optional-dependency.js';
import type Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import type { WindowRecord } from '../window/window-record.js';
import { HOUR_MS, hourOf, type HourlyAggregate, type StoredHourly } from './hourly.js';
import { pageLimit, whereClause, type QueryFilter } from './query-filters.js';
import { decodedOf } from './ingest.js';

/** Filter of {@link WindowDb.query}. */
export interface WindowQuery {
  /** Only windows of this model name. */
  model?: string;
  /** Only windows of this model version. */
  version?: string;
  /** Only windows from this device id. */
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

/** The model, version and device filters of a query, as `?` conditions. */
function identityFilters(q: WindowQuery): QueryFilter[] {
  return [
    ['model = ?', q.model],
    ['model_version = ?', q.version],
    ['device_id = ?', q.device],
  ];
}

const SCHEMA_VERSION = 4;

/** A stored reference (see {@link WindowDb.references}). */
export interface StoredReference {
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Feature → base64 profile, as uploaded (unvalidated JSON). */
  profiles: unknown;
}

/** What happened to one window of a batch. */
export type AddOutcome = 'new' | 'duplicate';

/** The result of one request's batch in {@link WindowDb.addBatches}. */
export type BatchResult =
  | { ok: true; outcomes: AddOutcome[] }
  | { ok: false; conflicts: string[] }
  | { ok: false; error: unknown };

/** JSON with object keys sorted, so two equal records compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/**
 * One window as it is inserted: its indexed columns and the JSON text stored as
 * its body (the text received when it could be kept, else the record serialized).
 */
export interface InsertRow {
  /** Window id (lower case). */
  windowId: string;
  /** Device id. */
  deviceId: string;
  /** Model name. */
  model: string;
  /** Model version. */
  version: string;
  /** Window start, epoch ms. */
  start: number;
  /** Window end, epoch ms. */
  end: number;
  /** The stored body. */
  json: string;
}

/**
 * The row a validated window is stored as.
 *
 * @param r - a window (one returned by `parseIngestBody` keeps its received text).
 * @returns its columns and body.
 */
export function insertRowOf(r: WindowRecord): InsertRow {
  return {
    windowId: r.windowId,
    deviceId: r.deviceId,
    model: r.model.name,
    version: r.model.version,
    start: r.start,
    end: r.end,
    json: decodedOf(r)?.json ?? JSON.stringify(r),
  };
}

class Conflict extends Error {
  constructor(readonly ids: string[]) {
    super('window id reused with different content');
  }
}

type SqliteCtor = typeof Database;
const sqlite = optionalDependency<SqliteCtor>(
  'better-sqlite3',
  'the collector stores windows with better-sqlite3',
);

/**
 * Loads `better-sqlite3` on first use (not at import), so importing the
 * collector or running `edgewatch-collector --help` never needs it.
 *
 * @returns the `Database` constructor.
 * @throws StorageError naming the package to install when it is missing.
 */
export function loadSqlite(): SqliteCtor {
  return sqlite();
}

/** The collector's window table. */
export class WindowDb {
  /** The file path (or `':memory:'`) it was opened with. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly bodyOf: Database.Statement;
  private readonly insertBatches: (
    batches: readonly (readonly InsertRow[])[],
    receivedMs: number | readonly number[],
  ) => BatchResult[];

  /**
   * Opens (creating or migrating) the database.
   *
   * @param path - file path, or `':memory:'`.
   * @param options - `synchronous`: `'full'` (default) or `'normal'` (faster, not power-safe:
   *   may lose acknowledged windows on power loss); `sqlite`: the `better-sqlite3` constructor
   *   (default {@link loadSqlite}); `remoteWriteQueue`: also queue every new window for
   *   remote-write, in the same transaction (see {@link WindowDb.remoteWritePending}).
   * @throws StorageError when the file cannot be opened or is not an edgewatch database.
   */
  constructor(
    path: string,
    options: {
      synchronous?: 'full' | 'normal';
      sqlite?: SqliteCtor;
      remoteWriteQueue?: boolean;
    } = {},
  ) {
    this.path = path;
    const Ctor = options.sqlite ?? loadSqlite();
    try {
      this.db = new Ctor(path);
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
      }
      if (version < 2) {
        // Windows accepted but not yet remote-written: committed with the window, deleted on delivery.
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS remote_write_pending (
            seq INTEGER PRIMARY KEY,
            enqueued_ms INTEGER NOT NULL
          );
        `);
      }
      if (version < 3) {
        // Reference feature profiles, one set per model version (JSON: feature -> base64).
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS model_references (
            model TEXT NOT NULL,
            model_version TEXT NOT NULL,
            updated_ms BIGINT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (model, model_version)
          );
        `);
      }
      if (version < 4) {
        // The collector's aggregates as of ingest sequence `seq` (one row; see `snapshot.ts`).
        this.db.exec(`
          CREATE TABLE IF NOT EXISTS aggregate_snapshot (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            saved_ms INTEGER NOT NULL,
            body BLOB NOT NULL
          );
          -- Windows older than the retention, merged per (model, version, device, hour): see hourly.ts.
          CREATE TABLE IF NOT EXISTS hourly_aggregates (
            model TEXT NOT NULL,
            model_version TEXT NOT NULL,
            device_id TEXT NOT NULL,
            hour_ms INTEGER NOT NULL,
            windows INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (model, model_version, device_id, hour_ms)
          );
          CREATE INDEX IF NOT EXISTS hourly_model_hour ON hourly_aggregates (model, model_version, hour_ms);
          CREATE INDEX IF NOT EXISTS hourly_hour ON hourly_aggregates (hour_ms);
          CREATE INDEX IF NOT EXISTS windows_end ON windows (end_ms);
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
    this.bodyOf = this.db.prepare('SELECT body FROM windows WHERE window_id = ?');
    const queue = options.remoteWriteQueue
      ? this.db.prepare('INSERT INTO remote_write_pending (seq, enqueued_ms) VALUES (?, ?)')
      : undefined;
    const one = this.db.transaction((rows: readonly InsertRow[], receivedMs: number) => {
      const conflicts: string[] = [];
      const outcomes = rows.map((r): AddOutcome => {
        const added = this.insert.run(
          r.windowId,
          r.deviceId,
          r.model,
          r.version,
          r.start,
          r.end,
          receivedMs,
          r.json,
        );
        if (added.changes === 1) {
          queue?.run(added.lastInsertRowid, receivedMs);
          return 'new';
        }
        const stored = (this.bodyOf.get(r.windowId) as { body: string } | undefined)?.body;
        if (
          stored !== r.json &&
          (stored === undefined ||
            canonicalJson(JSON.parse(stored)) !== canonicalJson(JSON.parse(r.json)))
        )
          conflicts.push(r.windowId);
        return 'duplicate';
      });
      if (conflicts.length > 0) throw new Conflict(conflicts);
      return outcomes;
    });
    // Nested transactions are savepoints: a failing request rolls back alone.
    this.insertBatches = this.db.transaction(
      (batches: readonly (readonly InsertRow[])[], receivedMs: number | readonly number[]) =>
        batches.map((rows, b): BatchResult => {
          try {
            return {
              ok: true,
              outcomes: one(rows, typeof receivedMs === 'number' ? receivedMs : receivedMs[b]!),
            };
          } catch (e) {
            if (e instanceof Conflict) return { ok: false, conflicts: e.ids };
            return {
              ok: false,
              error: new StorageError(
                `collector database write failed: ${(e as Error).message}`,
                'STORAGE',
                { cause: e },
              ),
            };
          }
        }),
    );
  }

  /**
   * Stores the batches of several requests in one transaction, each in its own
   * savepoint (one fsync for all under `synchronous = FULL`).
   *
   * @param batches - validated windows, one array per request.
   * @param receivedMs - ingest time.
   * @returns per batch: the outcome of each window, or the ids reused with different
   *   content, or the error that rolled that batch back.
   * @throws StorageError when the commit itself fails (nothing is stored).
   */
  addBatches(batches: readonly (readonly WindowRecord[])[], receivedMs: number): BatchResult[] {
    return this.addRows(
      batches.map((records) => records.map(insertRowOf)),
      receivedMs,
    );
  }

  /**
   * {@link WindowDb.addBatches} for windows already reduced to their columns
   * and stored text (what the writer worker receives).
   *
   * @param batches - rows, one array per request.
   * @param receivedMs - ingest time, of all batches or of each.
   * @returns per batch, as {@link WindowDb.addBatches}.
   * @throws StorageError when the commit itself fails (nothing is stored).
   */
  addRows(
    batches: readonly (readonly InsertRow[])[],
    receivedMs: number | readonly number[],
  ): BatchResult[] {
    try {
      return this.insertBatches(batches, receivedMs);
    } catch (e) {
      throw new StorageError(
        `collector database write failed: ${(e as Error).message}`,
        'STORAGE',
        { cause: e },
      );
    }
  }

  /**
   * Stores one batch (see {@link WindowDb.addBatches}).
   *
   * @param records - validated windows.
   * @param receivedMs - ingest time.
   * @returns per record: true when new, false when a duplicate.
   * @throws StorageError when the write fails or an id is reused with different content
   *   (nothing of the batch is stored).
   */
  add(records: readonly WindowRecord[], receivedMs: number): boolean[] {
    const r = this.addBatches([records], receivedMs)[0]!;
    if (r.ok) return r.outcomes.map((o) => o === 'new');
    if ('conflicts' in r)
      throw new StorageError(`window id reused with different content: ${r.conflicts.join(', ')}`);
    throw new StorageError(
      `collector database write failed: ${(r.error as Error)?.message}`,
      'STORAGE',
      {
        cause: r.error,
      },
    );
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
  query(q: WindowQuery): {
    /** Matching windows, in ingest order. */
    windows: WindowRecord[];
    /** Cursor to pass as `after` for the next page; absent when no more rows may follow. */
    next?: number;
  } {
    const { sql, args } = whereClause(
      'seq > ?',
      [q.after ?? 0],
      [...identityFilters(q), ['end_ms >= ?', q.since], ['end_ms < ?', q.until]],
    );
    const limit = pageLimit(q);
    const rows = this.db
      .prepare(`SELECT seq, body FROM windows WHERE ${sql} ORDER BY seq LIMIT ?`)
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

  /**
   * Every row in ingest order with its ingest time (for rebuilding aggregates).
   *
   * @returns an iterator over `{ record, receivedMs }`; `record` is unvalidated JSON.
   */
  *rows(): Generator<{
    /** The stored window body, parsed but unvalidated. */
    record: unknown;
    /** When the collector received it, epoch ms. */
    receivedMs: number;
  }> {
    for (const row of this.db
      .prepare('SELECT body, received_ms FROM windows ORDER BY seq')
      .iterate() as Iterable<{ body: string; received_ms: number }>) {
      yield { record: JSON.parse(row.body) as unknown, receivedMs: row.received_ms };
    }
  }

  /**
   * Rows after a sequence number, in ingest order (for rebuilding aggregates page by page).
   *
   * @param after - the last sequence number already read (0 for the start).
   * @param limit - most rows.
   * @returns rows with their sequence number and ingest time; `record` is unvalidated JSON.
   */
  rowsAfter(
    after: number,
    limit: number,
  ): {
    /** Ingest sequence number. */
    seq: number;
    /** The stored window body, parsed but unvalidated. */
    record: unknown;
    /** When the collector received it, epoch ms. */
    receivedMs: number;
  }[] {
    const rows = this.db
      .prepare('SELECT seq, body, received_ms FROM windows WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(after, limit) as { seq: number; body: string; received_ms: number }[];
    return rows.map((r) => ({
      seq: r.seq,
      record: JSON.parse(r.body) as unknown,
      receivedMs: r.received_ms,
    }));
  }

  /**
   * Stores (or replaces) the reference profiles of a model version.
   *
   * @param model - model name.
   * @param version - model version.
   * @param profiles - feature -> base64 profile (validated by the caller).
   * @param nowMs - update time.
   * @throws StorageError when the write fails.
   */
  putReference(
    model: string,
    version: string,
    profiles: Record<string, string>,
    nowMs: number,
  ): void {
    try {
      this.db
        .prepare(
          `INSERT INTO model_references (model, model_version, updated_ms, body) VALUES (?, ?, ?, ?)
           ON CONFLICT (model, model_version) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body`,
        )
        .run(model, version, nowMs, JSON.stringify(profiles));
    } catch (e) {
      throw new StorageError(
        `collector database write failed: ${(e as Error).message}`,
        'STORAGE',
        {
          cause: e,
        },
      );
    }
  }

  /**
   * Every stored reference (for loading at start-up).
   *
   * @returns model, version and the profiles (feature -> base64; unvalidated JSON).
   */
  references(): StoredReference[] {
    const rows = this.db
      .prepare(
        'SELECT model, model_version, body FROM model_references ORDER BY model, model_version',
      )
      .all() as { model: string; model_version: string; body: string }[];
    return rows.map((r) => ({
      model: r.model,
      version: r.model_version,
      profiles: JSON.parse(r.body) as unknown,
    }));
  }

  /**
   * The oldest windows waiting for remote-write.
   *
   * @param limit - most windows.
   * @returns queue entries with their window, oldest first.
   */
  remoteWritePending(limit: number): {
    /** Queue position (the window's ingest sequence number). */
    seq: number;
    /** When the window was queued, epoch ms. */
    enqueuedMs: number;
    /** The queued window. */
    record: WindowRecord;
  }[] {
    const rows = this.db
      .prepare(
        `SELECT p.seq AS seq, p.enqueued_ms AS enqueuedMs, w.body AS body FROM remote_write_pending p
         JOIN windows w ON w.seq = p.seq ORDER BY p.seq LIMIT ?`,
      )
      .all(limit) as { seq: number; enqueuedMs: number; body: string }[];
    return rows.map((r) => ({
      seq: r.seq,
      enqueuedMs: r.enqueuedMs,
      record: JSON.parse(r.body) as WindowRecord,
    }));
  }

  /**
   * Removes windows from the remote-write queue (delivered, refused or expired).
   *
   * @param seqs - their queue positions.
   */
  remoteWriteDone(seqs: readonly number[]): void {
    const del = this.db.prepare('DELETE FROM remote_write_pending WHERE seq = ?');
    this.db.transaction(() => {
      for (const s of seqs) del.run(s);
    })();
  }

  /**
   * The highest ingest sequence number ever committed (0 when none); windows
   * deleted since keep theirs (`AUTOINCREMENT` never reuses one).
   */
  lastSeq(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'windows'").get() as
      { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /**
   * Replaces the stored aggregate snapshot (one row, written atomically).
   *
   * @param seq - the ingest sequence number the snapshot covers (every row up to it folded).
   * @param body - the serialized aggregates.
   * @param nowMs - when it was taken.
   * @throws StorageError when the write fails.
   */
  saveSnapshot(seq: number, body: Uint8Array, nowMs: number): void {
    try {
      this.db
        .prepare(
          `INSERT INTO aggregate_snapshot (id, seq, saved_ms, body) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, saved_ms = excluded.saved_ms, body = excluded.body`,
        )
        .run(seq, nowMs, body);
    } catch (e) {
      throw new StorageError(
        `collector snapshot write failed: ${(e as Error).message}`,
        'STORAGE',
        {
          cause: e,
        },
      );
    }
  }

  /**
   * The stored aggregate snapshot, if any.
   *
   * @returns the sequence number it covers, when it was taken and its bytes.
   */
  loadSnapshot():
    | {
        /** The ingest sequence number the snapshot covers. */
        seq: number;
        /** When it was taken, epoch ms. */
        savedMs: number;
        /** The serialized aggregates. */
        body: Uint8Array;
      }
    | undefined {
    const row = this.db
      .prepare('SELECT seq, saved_ms, body FROM aggregate_snapshot WHERE id = 1')
      .get() as { seq: number; saved_ms: number; body: Buffer } | undefined;
    return row ? { seq: row.seq, savedMs: row.saved_ms, body: row.body } : undefined;
  }

  /**
   * Moves one batch of windows ending before `cutoffMs` into their hourly
   * aggregates, in one transaction: the oldest first, at most `limit`, only
   * those with `seq <= maxSeq` (covered by the aggregate snapshot) and not
   * waiting for remote-write.
   *
   * @param cutoffMs - windows ending before this are moved.
   * @param maxSeq - highest sequence number that may be moved.
   * @param limit - most windows.
   * @param rollup - merges the windows (parsed bodies, oldest first) into aggregates;
   *   `stored` reads an aggregate stored so far.
   * @returns how many windows were moved.
   * @throws StorageError when the transaction fails (nothing moved).
   */
  purgeBatch(
    cutoffMs: number,
    maxSeq: number,
    limit: number,
    rollup: (windows: WindowRecord[], stored: StoredHourly) => HourlyAggregate[],
  ): number {
    const select = this.db.prepare(
      `SELECT seq, body FROM windows WHERE end_ms < ? AND seq <= ?
         AND seq NOT IN (SELECT seq FROM remote_write_pending)
       ORDER BY end_ms, seq LIMIT ?`,
    );
    const get = this.db.prepare(
      'SELECT body FROM hourly_aggregates WHERE model = ? AND model_version = ? AND device_id = ? AND hour_ms = ?',
    );
    const put = this.db.prepare(
      `INSERT INTO hourly_aggregates (model, model_version, device_id, hour_ms, windows, body) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, model_version, device_id, hour_ms) DO UPDATE SET windows = excluded.windows, body = excluded.body`,
    );
    const del = this.db.prepare('DELETE FROM windows WHERE seq = ?');
    try {
      return this.db.transaction(() => {
        const rows = select.all(cutoffMs, maxSeq, limit) as { seq: number; body: string }[];
        if (rows.length === 0) return 0;
        const aggregates = rollup(
          rows.map((r) => JSON.parse(r.body) as WindowRecord),
          (model, version, device, hour) => {
            const row = get.get(model, version, device, hour) as { body: string } | undefined;
            return row ? (JSON.parse(row.body) as HourlyAggregate) : undefined;
          },
        );
        for (const a of aggregates)
          put.run(a.model, a.version, a.device, a.hour, a.windows, JSON.stringify(a));
        for (const r of rows) del.run(r.seq);
        return rows.length;
      })();
    } catch (e) {
      throw new StorageError(
        `collector retention purge failed: ${(e as Error).message}`,
        'STORAGE',
        {
          cause: e,
        },
      );
    }
  }

  /**
   * Deletes one batch of hourly aggregates whose hour ended before `cutoffMs`
   * (the oldest first), in one short transaction.
   *
   * @param cutoffMs - aggregates of hours ending at or before this are deleted.
   * @param limit - most rows.
   * @returns how many were deleted.
   * @throws StorageError when the delete fails (nothing deleted).
   */
  purgeHourlyBatch(cutoffMs: number, limit: number): number {
    try {
      return this.db
        .prepare(
          `DELETE FROM hourly_aggregates WHERE rowid IN
             (SELECT rowid FROM hourly_aggregates WHERE hour_ms <= ? ORDER BY hour_ms LIMIT ?)`,
        )
        .run(cutoffMs - HOUR_MS, limit).changes;
    } catch (e) {
      throw new StorageError(
        `collector hourly retention purge failed: ${(e as Error).message}`,
        'STORAGE',
        { cause: e },
      );
    }
  }

  /**
   * Hourly aggregates matching a filter (`since` / `until` compare the hour's start), by hour.
   *
   * @param q - the filter (`after` is ignored).
   * @returns at most `q.limit` (1..1000, default 100) aggregates.
   */
  hourly(q: WindowQuery): HourlyAggregate[] {
    const { sql, args } = whereClause(
      '1 = 1',
      [],
      [
        ...identityFilters(q),
        ['hour_ms >= ?', q.since === undefined ? undefined : hourOf(q.since)],
        ['hour_ms < ?', q.until],
      ],
    );
    const limit = pageLimit(q);
    const rows = this.db
      .prepare(
        `SELECT body FROM hourly_aggregates WHERE ${sql}
         ORDER BY hour_ms, model, model_version, device_id LIMIT ?`,
      )
      .all(...args, limit) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as HourlyAggregate);
  }

  /**
   * Every hourly aggregate of a model version whose hour starts in [from rounded down to an hour, to).
   *
   * @param model - model name.
   * @param version - model version.
   * @param from - epoch ms.
   * @param to - epoch ms, exclusive.
   * @returns the aggregates, by hour.
   */
  hourlyRange(model: string, version: string, from: number, to: number): HourlyAggregate[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM hourly_aggregates WHERE model = ? AND model_version = ? AND hour_ms >= ? AND hour_ms < ?
         ORDER BY hour_ms, device_id`,
      )
      .all(model, version, hourOf(from), to) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as HourlyAggregate);
  }

  /** Closes the database. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
