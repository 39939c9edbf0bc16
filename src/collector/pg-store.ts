/**
 * PostgreSQL as the collector's store, shared by any number of collectors
 * (`pg` client, loaded on first use). Same table shapes and semantics as the
 * SQLite store: the window id is unique in the database, so a window resent to
 * any collector is stored once; an id reused with different content is a
 * conflict and rolls that request back.
 *
 * - Migrations are versioned and run at start under a session advisory lock,
 *   so N collectors starting together apply each one exactly once.
 * - Writes take a transaction-level advisory lock before inserting: writing
 *   transactions commit one at a time, so the ingest sequence number follows
 *   commit order and a reader tailing `seq > cursor` never skips a row that
 *   commits late. Group commit keeps that one transaction per batch of requests.
 * - The remote-write queue is sent by one collector at a time: the one whose
 *   dedicated session holds the sender advisory lock. Parallel senders (rows
 *   claimed with `FOR UPDATE SKIP LOCKED`) would deliver a device's windows out
 *   of order, and Prometheus refuses a sample older than the newest of its
 *   series. When the sender's session ends (it closed, crashed or lost the
 *   database), the lock is free and the next collector to poll takes over,
 *   resending from the oldest entry not yet done (identical samples: harmless).
 */
import { decodedOf } from './ingest.js';
import type * as PgModule from 'pg';
import { StorageError } from '../errors.js';
import type { WindowRecord } from '../window/window-record.js';
import type { QueuedWindow } from './remote-write.js';
import { redactDbUrl, type CollectorStore, type StoredRow } from './store.js';
import { pageLimit } from './query-filters.js';
import {
  canonicalJson,
  type AddOutcome,
  type BatchResult,
  type StoredReference,
  type WindowQuery,
} from './window-db.js';
import { optionalDependency } from './optional-dependency.js';

type Pg = typeof PgModule;
const pg = optionalDependency<Pg>('pg', 'a postgres:// store needs the pg client');

/**
 * Loads the `pg` client on first use, so the collector needs it only with a PostgreSQL store.
 *
 * @returns the `pg` module.
 * @throws StorageError naming the package to install when it is missing.
 */
export function loadPg(): Pg {
  return pg();
}

/** Advisory lock keys (first argument: the edgewatch namespace). */
const LOCK_NS = 0x45_57_43_4c; // 'EWCL'
const LOCK_MIGRATE = 1;
const LOCK_WRITE = 2;
const LOCK_SENDER = 3;

/** Versioned schema steps; each runs once, in order, in its own transaction. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE windows (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     window_id TEXT NOT NULL UNIQUE,
     device_id TEXT NOT NULL,
     model TEXT NOT NULL,
     model_version TEXT NOT NULL,
     start_ms BIGINT NOT NULL,
     end_ms BIGINT NOT NULL,
     received_ms BIGINT NOT NULL,
     body TEXT NOT NULL
   );
   CREATE INDEX windows_model_end ON windows (model, model_version, end_ms);
   CREATE INDEX windows_device_end ON windows (device_id, end_ms);`,
  // Windows accepted but not yet remote-written: committed with the window, deleted on delivery.
  `CREATE TABLE remote_write_pending (
     seq BIGINT PRIMARY KEY REFERENCES windows (seq) ON DELETE CASCADE,
     enqueued_ms BIGINT NOT NULL
   );`,
  // Reference feature profiles, one set per model version (JSON: feature -> base64).
  `CREATE TABLE model_references (
     model TEXT NOT NULL,
     model_version TEXT NOT NULL,
     updated_ms BIGINT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (model, model_version)
   );`,
];

/** The schema version this code writes. */
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Options of {@link PgStore.open}. */
export interface PgStoreOptions {
  /** Queue every new window for remote-write, in the same transaction. */
  remoteWriteQueue?: boolean;
  /** Most connections in the pool. Default 4. */
  maxConnections?: number;
  /** Errors of idle pooled connections (the server went away). */
  onError?: (e: unknown) => void;
  /** The `pg` module (default {@link loadPg}). */
  pg?: Pg;
}

class Conflict extends Error {
  constructor(readonly ids: string[]) {
    super('window id reused with different content');
  }
}

function storageError(what: string, e: unknown): StorageError {
  return e instanceof StorageError
    ? e
    : new StorageError(`${what}: ${(e as Error)?.message ?? String(e)}`, 'STORAGE', { cause: e });
}

/**
 * Applies the migrations not yet applied, under a session advisory lock.
 *
 * @param client - a connected client (not in a transaction).
 * @throws StorageError when the database holds a newer schema than this code knows.
 */
async function migrate(client: PgModule.PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NS, LOCK_MIGRATE]);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS edgewatch_migrations (
         version INTEGER PRIMARY KEY,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM edgewatch_migrations',
    );
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length)
      throw new StorageError(
        `expected a collector database of schema <= ${MIGRATIONS.length}, got ${current}`,
      );
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v - 1]!);
        await client.query('INSERT INTO edgewatch_migrations (version) VALUES ($1)', [v]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NS, LOCK_MIGRATE]);
  }
}

const INSERT = `
  WITH ins AS (
    INSERT INTO windows (window_id, device_id, model, model_version, start_ms, end_ms, received_ms, body)
    SELECT id, dev, m, mv, s, e, $7, b
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $8::text[])
        WITH ORDINALITY AS t (id, dev, m, mv, s, e, b, n)
     ORDER BY n
    ON CONFLICT (window_id) DO NOTHING
    RETURNING seq, window_id
  ), queued AS (
    INSERT INTO remote_write_pending (seq, enqueued_ms) SELECT seq, $7 FROM ins WHERE $9
  )
  SELECT window_id FROM ins`;

/** The collector's window table in PostgreSQL. */
export class PgStore implements CollectorStore {
  readonly shared = true;
  private closed = false;
  /** The session that holds (or tries for) the sender lock; see the module note. */
  private sender: PgModule.Client | undefined;
  private isSender = false;

  private constructor(
    private readonly pg: Pg,
    private readonly url: string,
    private readonly pool: PgModule.Pool,
    readonly location: string,
    private readonly queueWindows: boolean,
  ) {}

  /**
   * Connects and migrates.
   *
   * @param url - `postgres://user:password@host:port/database`.
   * @param options - see {@link PgStoreOptions}.
   * @returns the open store.
   * @throws StorageError when the database cannot be reached or holds a newer schema;
   *   when `pg` is not installed.
   */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pg = options.pg ?? loadPg();
    const location = redactDbUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', (e) => options.onError?.(storageError(`PostgreSQL ${location}`, e)));
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw storageError(`cannot open collector database ${location}`, e);
    }
    return new PgStore(pg, url, pool, location, options.remoteWriteQueue ?? false);
  }

  async addBatches(
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<BatchResult[]> {
    let client: PgModule.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw storageError('collector database write failed', e);
    }
    let broken = false;
    try {
      // Writers commit one at a time: sequence numbers follow commit order (see the module note).
      // One round trip: the lock keys are constants.
      await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_NS}, ${LOCK_WRITE}); SAVEPOINT all_requests`,
      );
      const results =
        (await this.insertAll(client, batches, receivedMs)) ??
        (await this.insertEach(client, batches, receivedMs));
      await client.query('COMMIT');
      return results;
    } catch (e) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw storageError('collector database write failed', e);
    } finally {
      client.release(broken);
    }
  }

  /**
   * The common case in few round trips: every request's windows in one
   * statement. Processing them in request order gives the outcomes that one
   * statement per request would. Undefined (and rolled back) when any request
   * conflicts or fails: then each request must be stored or refused alone.
   */
  private async insertAll(
    client: PgModule.PoolClient,
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<BatchResult[] | undefined> {
    let outcomes: AddOutcome[];
    try {
      outcomes = await this.insert(client, batches.flat(), receivedMs);
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT all_requests');
      return undefined;
    }
    let at = 0;
    return batches.map((records) => {
      const mine = outcomes.slice(at, at + records.length);
      at += records.length;
      return { ok: true, outcomes: mine };
    });
  }

  /** One savepoint per request: a request that conflicts or fails is rolled back alone. */
  private async insertEach(
    client: PgModule.PoolClient,
    batches: readonly (readonly WindowRecord[])[],
    receivedMs: number,
  ): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    for (const records of batches) {
      await client.query('SAVEPOINT request');
      try {
        const outcomes = await this.insert(client, records, receivedMs);
        await client.query('RELEASE SAVEPOINT request');
        results.push({ ok: true, outcomes });
      } catch (e) {
        await client.query('ROLLBACK TO SAVEPOINT request');
        results.push(
          e instanceof Conflict ? { ok: false, conflicts: e.ids } : { ok: false, error: e },
        );
      }
    }
    return results;
  }

  private async insert(
    client: PgModule.PoolClient,
    records: readonly WindowRecord[],
    receivedMs: number,
  ): Promise<AddOutcome[]> {
    const bodies = records.map((r) => decodedOf(r)?.json ?? JSON.stringify(r));
    const { rows } = await client.query<{ window_id: string }>(INSERT, [
      records.map((r) => r.windowId),
      records.map((r) => r.deviceId),
      records.map((r) => r.model.name),
      records.map((r) => r.model.version),
      records.map((r) => r.start),
      records.map((r) => r.end),
      receivedMs,
      bodies,
      this.queueWindows,
    ]);
    const fresh = new Set(rows.map((r) => r.window_id));
    const outcomes = records.map((r): AddOutcome => {
      if (!fresh.has(r.windowId)) return 'duplicate';
      fresh.delete(r.windowId); // a second copy in the same request is a duplicate of the first
      return 'new';
    });
    const dupIds = records.filter((_r, i) => outcomes[i] === 'duplicate').map((r) => r.windowId);
    if (dupIds.length === 0) return outcomes;
    const stored = await client.query<{ window_id: string; body: string }>(
      'SELECT window_id, body FROM windows WHERE window_id = ANY($1::text[])',
      [dupIds],
    );
    const bodyOf = new Map(stored.rows.map((r) => [r.window_id, r.body]));
    const conflicts: string[] = [];
    records.forEach((r, i) => {
      if (outcomes[i] !== 'duplicate') return;
      const body = bodyOf.get(r.windowId);
      if (
        body !== bodies[i] &&
        (body === undefined || canonicalJson(JSON.parse(body)) !== canonicalJson(r))
      )
        conflicts.push(r.windowId);
    });
    if (conflicts.length > 0) throw new Conflict(conflicts);
    return outcomes;
  }

  async query(q: WindowQuery): Promise<{ windows: WindowRecord[]; next?: number }> {
    const args: (string | number)[] = [q.after ?? 0];
    const where: string[] = ['seq > $1'];
    const filters: Array<[string, string | number | undefined]> = [
      ['model', q.model],
      ['model_version', q.version],
      ['device_id', q.device],
    ];
    for (const [col, value] of filters) {
      if (value === undefined) continue;
      args.push(value);
      where.push(`${col} = $${args.length}`);
    }
    if (q.since !== undefined) {
      args.push(q.since);
      where.push(`end_ms >= $${args.length}`);
    }
    if (q.until !== undefined) {
      args.push(q.until);
      where.push(`end_ms < $${args.length}`);
    }
    const limit = pageLimit(q);
    args.push(limit);
    const rows = await this.read<{ seq: string; body: string }>(
      `SELECT seq, body FROM windows WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`,
      args,
    );
    const out: { windows: WindowRecord[]; next?: number } = {
      windows: rows.map((r) => JSON.parse(r.body) as WindowRecord),
    };
    if (rows.length === limit) out.next = Number(rows[rows.length - 1]!.seq);
    return out;
  }

  async rowsAfter(after: number, limit: number): Promise<StoredRow[]> {
    const rows = await this.read<{ seq: string; body: string; received_ms: string }>(
      'SELECT seq, body, received_ms FROM windows WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      record: JSON.parse(r.body) as unknown,
      receivedMs: Number(r.received_ms),
    }));
  }

  async count(): Promise<number> {
    const rows = await this.read<{ n: string }>('SELECT count(*) AS n FROM windows', []);
    return Number(rows[0]!.n);
  }

  async putReference(
    model: string,
    version: string,
    profiles: Record<string, string>,
    nowMs: number,
  ): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO model_references (model, model_version, updated_ms, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (model, model_version) DO UPDATE SET updated_ms = excluded.updated_ms, body = excluded.body`,
        [model, version, nowMs, JSON.stringify(profiles)],
      );
    } catch (e) {
      throw storageError('collector database write failed', e);
    }
  }

  async references(): Promise<StoredReference[]> {
    const rows = await this.read<{ model: string; model_version: string; body: string }>(
      'SELECT model, model_version, body FROM model_references ORDER BY model, model_version',
      [],
    );
    return rows.map((r) => ({
      model: r.model,
      version: r.model_version,
      profiles: JSON.parse(r.body) as unknown,
    }));
  }

  /**
   * The oldest windows waiting for remote-write, when this store is the fleet's
   * sender; none otherwise. Entries stay queued until {@link PgStore.remoteWriteDone}.
   */
  async remoteWritePending(limit: number): Promise<QueuedWindow[]> {
    if (this.closed) return [];
    let client = this.sender;
    try {
      if (!client) {
        client = new this.pg.Client({ connectionString: this.url });
        const c = client;
        c.on('error', () => this.dropSender(c));
        this.sender = c;
        await c.connect();
      }
      if (!this.isSender) {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, $2) AS ok',
          [LOCK_NS, LOCK_SENDER],
        );
        this.isSender = rows[0]?.ok === true;
        if (!this.isSender) return [];
      }
      // Read on the session that holds the lock: if it is gone, so is the right to send.
      const { rows } = await client.query<{ seq: string; enqueued_ms: string; body: string }>(
        `SELECT p.seq, p.enqueued_ms, w.body FROM remote_write_pending p
           JOIN windows w ON w.seq = p.seq ORDER BY p.seq LIMIT $1`,
        [limit],
      );
      return rows.map((r) => ({
        seq: Number(r.seq),
        enqueuedMs: Number(r.enqueued_ms),
        record: JSON.parse(r.body) as WindowRecord,
      }));
    } catch (e) {
      this.dropSender(client);
      throw storageError('collector database remote-write queue read failed', e);
    }
  }

  private dropSender(client: PgModule.Client | undefined): void {
    if (!client || this.sender !== client) return;
    this.sender = undefined;
    this.isSender = false;
    client.end().catch(() => undefined);
  }

  async remoteWriteDone(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.read('DELETE FROM remote_write_pending WHERE seq = ANY($1::bigint[])', [seqs]);
  }

  private async read<R extends PgModule.QueryResultRow>(
    sql: string,
    args: unknown[],
  ): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, args)).rows;
    } catch (e) {
      throw storageError('collector database query failed', e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sender = this.sender;
    this.sender = undefined;
    this.isSender = false;
    await sender?.end().catch(() => undefined);
    await this.pool.end();
  }
}
