/**
 * The store contract, run against both implementations: SQLite (better-sqlite3,
 * a temp file) and PostgreSQL (a real server from test/support/postgres.ts, one
 * fresh database per test). PostgreSQL-only cases follow: concurrent
 * migrations, the shared remote-write queue, several stores on one database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PG_SCHEMA_VERSION, PgStore, type PgStoreOptions } from '../../src/collector/pg-store.js';
import { SqliteStore, redactDbUrl, type CollectorStore } from '../../src/collector/store.js';
import { WindowDb } from '../../src/collector/window-db.js';
import { StorageError } from '../../src/errors.js';
import { makeRecord } from '../window/make-record.js';
import { postgresMissing, type TestPostgres } from '../support/postgres.js';
import { usePostgres } from '../support/use-postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`store contract: PostgreSQL cases skipped: ${missing}`);

let server: TestPostgres | undefined;
let dbCounter = 0;
const dirs: string[] = [];
const stores: CollectorStore[] = [];

usePostgres(missing, (s) => (server = s));
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freshPgUrl(): Promise<string> {
  return server!.createDatabase(`contract_${process.pid}_${++dbCounter}`);
}

type Open = (o?: { remoteWriteQueue?: boolean }) => Promise<CollectorStore>;
const kinds: Array<[string, Open, boolean]> = [
  [
    'SQLite',
    (o = {}) => {
      const dir = mkdtempSync(join(tmpdir(), 'ew-contract-'));
      dirs.push(dir);
      const s = new SqliteStore(new WindowDb(join(dir, 'c.db'), o));
      stores.push(s);
      return Promise.resolve(s);
    },
    false,
  ],
  [
    'PostgreSQL',
    async (o = {}) => {
      const s = await PgStore.open(await freshPgUrl(), o);
      stores.push(s);
      return s;
    },
    missing !== undefined,
  ],
];

describe.each(kinds)('store contract: %s', (_name, open, skip) => {
  it.skipIf(skip)(
    'stores reference profiles per model version; a second put replaces',
    async () => {
      const s = await open();
      await s.putReference('m', '1', { x: 'AAAA' }, 1000);
      await s.putReference('m', '2', { y: 'BBBB' }, 1000);
      await s.putReference('m', '1', { x: 'CCCC' }, 2000);
      expect(await s.references()).toEqual([
        { model: 'm', version: '1', profiles: { x: 'CCCC' } },
        { model: 'm', version: '2', profiles: { y: 'BBBB' } },
      ]);
    },
  );

  it.skipIf(skip)(
    'stores each id once; a resend is a duplicate, also within one request',
    async () => {
      const s = await open();
      const a = makeRecord(1);
      const b = makeRecord(2, { deviceId: 'd2' });
      expect(await s.addBatches([[a, b]], 1000)).toEqual([{ ok: true, outcomes: ['new', 'new'] }]);
      // Same content, keys in another order: still the same window.
      const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
      expect(await s.addBatches([[reordered, makeRecord(3), b]], 2000)).toEqual([
        { ok: true, outcomes: ['duplicate', 'new', 'duplicate'] },
      ]);
      const c = makeRecord(4);
      expect(await s.addBatches([[c, c]], 3000)).toEqual([
        { ok: true, outcomes: ['new', 'duplicate'] },
      ]);
      expect(await s.count()).toBe(4);
      // Several requests in one transaction: outcomes as if stored one after another.
      const d = makeRecord(5);
      const e = makeRecord(6);
      expect(await s.addBatches([[d, a], [d, e], [e]], 4000)).toEqual([
        { ok: true, outcomes: ['new', 'duplicate'] },
        { ok: true, outcomes: ['duplicate', 'new'] },
        { ok: true, outcomes: ['duplicate'] },
      ]);
      expect(await s.count()).toBe(6);
    },
  );

  it.skipIf(skip)('an id reused with different content rolls back that request only', async () => {
    const s = await open();
    const a = makeRecord(1);
    await s.addBatches([[a]], 1000);
    const changed = { ...a, counters: { predictions: 99 } };
    const ok = makeRecord(2);
    const lost = makeRecord(3);
    const results = await s.addBatches([[ok], [lost, changed]], 2000);
    expect(results[0]).toEqual({ ok: true, outcomes: ['new'] });
    expect(results[1]).toEqual({ ok: false, conflicts: [a.windowId] });
    const ids = (await s.query({ limit: 1000 })).windows.map((w) => w.windowId);
    expect(ids).toEqual([a.windowId, ok.windowId]);
  });

  it.skipIf(skip)(
    'queries filter and page in ingest order; rowsAfter tails the same order',
    async () => {
      const s = await open();
      const recs = Array.from({ length: 7 }, (_, i) =>
        makeRecord(i, { deviceId: i % 2 ? 'odd' : 'even', model: i < 5 ? 'm' : 'other' }),
      );
      for (const r of recs) await s.addBatches([[r]], 5000 + r.end);
      expect((await s.query({ device: 'odd' })).windows).toEqual(recs.filter((_, i) => i % 2));
      expect((await s.query({ model: 'other' })).windows).toEqual(recs.slice(5));
      expect((await s.query({ model: 'm', version: '2' })).windows).toEqual([]);
      const since = recs[2]!.end;
      const until = recs[4]!.end;
      expect((await s.query({ since, until })).windows).toEqual(recs.slice(2, 4));
      const page = await s.query({ limit: 3 });
      expect(page.windows).toEqual(recs.slice(0, 3));
      expect(page.next).toBeTypeOf('number');
      const rest = await s.query({ limit: 1000, after: page.next });
      expect(rest.windows).toEqual(recs.slice(3));
      expect(rest.next).toBeUndefined();
      const tail = await s.rowsAfter(0, 4);
      expect(tail.map((r) => r.record)).toEqual(recs.slice(0, 4));
      expect(tail.map((r) => r.receivedMs)).toEqual(recs.slice(0, 4).map((r) => 5000 + r.end));
      const more = await s.rowsAfter(tail[3]!.seq, 100);
      expect(more.map((r) => r.record)).toEqual(recs.slice(4));
      expect(await s.rowsAfter(more[more.length - 1]!.seq, 100)).toEqual([]);
    },
  );

  it.skipIf(skip)(
    'the remote-write queue holds new windows only, oldest first, until done',
    async () => {
      const s = await open({ remoteWriteQueue: true });
      const a = makeRecord(1);
      const b = makeRecord(2);
      await s.addBatches([[a, b]], 1000);
      await s.addBatches([[a]], 2000); // duplicate: not queued again
      const pending = await s.remoteWritePending(10);
      expect(pending.map((p) => [p.record, p.enqueuedMs])).toEqual([
        [a, 1000],
        [b, 1000],
      ]);
      await s.remoteWriteDone([pending[0]!.seq]);
      // Entries not yet done are handed out again, oldest first (a failed send is retried in order).
      expect((await s.remoteWritePending(10)).map((p) => p.record)).toEqual([b]);
      expect((await s.remoteWritePending(10)).map((p) => p.record)).toEqual([b]);
    },
  );

  it.skipIf(skip)('without remote-write nothing is queued', async () => {
    const s = await open();
    await s.addBatches([[makeRecord(1)]], 1000);
    expect(await s.remoteWritePending(10)).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)('PostgreSQL store', () => {
  it('ten collectors starting at once apply each migration exactly once', async () => {
    const url = await freshPgUrl();
    const opened = await Promise.all(Array.from({ length: 10 }, () => PgStore.open(url)));
    stores.push(...opened);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ version: number }>(
        'SELECT version FROM edgewatch_migrations ORDER BY version',
      );
      expect(rows.map((r) => r.version)).toEqual(
        Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1),
      );
      await c.query('INSERT INTO edgewatch_migrations (version) VALUES (99)');
    } finally {
      await c.end();
    }
    await expect(PgStore.open(url)).rejects.toThrow(
      new RegExp(`schema <= ${PG_SCHEMA_VERSION}, got 99`),
    );
  });

  it('sequence numbers follow commit order: a writer slow to commit holds back the next one', async () => {
    const url = await freshPgUrl();
    // Store `slow` takes 400 ms to send COMMIT, as a collector under load might.
    class SlowCommitPool extends pg.Pool {
      override async connect(): Promise<any> {
        const client = await super.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as any).query = async (...args: unknown[]) => {
          if (args[0] === 'COMMIT') await new Promise((r) => setTimeout(r, 400));
          return query(...args);
        };
        return client;
      }
    }
    const slow = await PgStore.open(url, {
      pg: { ...pg, Pool: SlowCommitPool } as unknown as NonNullable<PgStoreOptions['pg']>,
    });
    const fast = await PgStore.open(url);
    stores.push(slow, fast);
    const a = makeRecord(1);
    const b = makeRecord(2);
    const first = slow.addBatches([[a]], 1);
    await new Promise((r) => setTimeout(r, 100));
    await fast.addBatches([[b]], 2);
    // A tailer reading now, then again after both committed, sees every row once.
    const early = await fast.rowsAfter(0, 100);
    await first;
    const cursor = early.length > 0 ? early[early.length - 1]!.seq : 0;
    const late = await fast.rowsAfter(cursor, 100);
    expect([...early, ...late].map((r) => (r.record as { windowId: string }).windowId)).toEqual([
      a.windowId,
      b.windowId,
    ]);
  });

  it('concurrent writers through several stores: each id stored once', async () => {
    const url = await freshPgUrl();
    const writers = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(url)));
    stores.push(...writers);
    const recs = Array.from({ length: 400 }, (_, i) => makeRecord(i, { deviceId: `d${i % 9}` }));
    // Every window is sent to two stores at once, in batches of 20.
    const tailer = writers[0]!;
    const seen: number[] = [];
    let cursor = 0;
    let tailing = true;
    const tail = (async () => {
      while (tailing) {
        const rows = await tailer.rowsAfter(cursor, 50);
        for (const r of rows) {
          expect(r.seq).toBeGreaterThan(cursor);
          cursor = r.seq;
          seen.push(r.seq);
        }
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) => recs.slice(k * 20, k * 20 + 20)).flatMap((batch, k) => [
        writers[k % 4]!.addBatches([batch], 1),
        writers[(k + 1) % 4]!.addBatches([batch], 1),
      ]),
    );
    tailing = false;
    await tail;
    const news = results
      .flatMap((r) => {
        const one = r[0]!;
        return one.ok ? one.outcomes : [];
      })
      .filter((o) => o === 'new');
    expect(news.length).toBe(400);
    expect(await tailer.count()).toBe(400);
    const rest = await tailer.rowsAfter(cursor, 1000);
    // The tailer missed nothing that committed behind its cursor.
    expect(seen.length + rest.length).toBe(400);
  });

  it('one store at a time sends the remote-write queue, in order; another takes over when it closes', async () => {
    const url = await freshPgUrl();
    const a = await PgStore.open(url, { remoteWriteQueue: true });
    const b = await PgStore.open(url, { remoteWriteQueue: true });
    stores.push(b);
    const recs = Array.from({ length: 30 }, (_, i) => makeRecord(i));
    await b.addBatches([recs], 1);
    const first = await a.remoteWritePending(10);
    expect(first.map((p) => p.record)).toEqual(recs.slice(0, 10));
    // b is not the sender while a's session holds the lock, whoever wrote the windows.
    expect(await b.remoteWritePending(100)).toEqual([]);
    await a.remoteWriteDone(first.map((p) => p.seq));
    // a "dies" with entries 10..19 read but not done: b resends them first, then the rest.
    expect((await a.remoteWritePending(10)).map((p) => p.record)).toEqual(recs.slice(10, 20));
    await a.close();
    const rest = await b.remoteWritePending(100);
    expect(rest.map((p) => p.record)).toEqual(recs.slice(10));
  });

  it('a sender that loses its database session stops sending; another takes over', async () => {
    const url = await freshPgUrl();
    const a = await PgStore.open(url, { remoteWriteQueue: true });
    const b = await PgStore.open(url, { remoteWriteQueue: true });
    stores.push(a, b);
    const recs = Array.from({ length: 5 }, (_, i) => makeRecord(i));
    await a.addBatches([recs], 1);
    expect(await a.remoteWritePending(100)).toHaveLength(5);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // The session holding the sender lock (objid 3) is cut, as a network failure would.
      const { rows } = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks
          WHERE locktype = 'advisory' AND objid = 3 AND granted`,
      );
      expect(rows).toEqual([{ ok: true }]);
    } finally {
      await admin.end();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect((await b.remoteWritePending(100)).map((p) => p.record)).toEqual(recs);
    // a noticed (the client reports the cut session): it reconnects and finds b the sender.
    expect(await a.remoteWritePending(100)).toEqual([]);
  });

  it('an unreachable server is a StorageError naming the URL without its password', async () => {
    const bad = `postgres://edge:s3cret@127.0.0.1:1/nothing`;
    const e = await PgStore.open(bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageError);
    expect((e as Error).message).toContain('postgres://edge:***@127.0.0.1:1/nothing');
    expect((e as Error).message).not.toContain('s3cret');
    expect(redactDbUrl('postgresql://u:p@h/d?password=x&ssl=1')).toBe(
      'postgresql://u:***@h/d?password=***&ssl=1',
    );
  });
});
