import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Collector } from '../../src/collector/server.js';
import { packBatches, SqliteWriter, unpackBatches } from '../../src/collector/sqlite-writer.js';
import { insertRowOf, WindowDb } from '../../src/collector/window-db.js';
import { StorageError } from '../../src/errors.js';
import type { WindowRecord } from '../../src/window/window-record.js';
import { makeRecord } from '../window/make-record.js';
import { post, start, tempDir } from './helpers.js';

function tempDb(): string {
  return join(tempDir('ew-writer-'), 'c.db');
}
/** POSTs `windows` to `c`. */
function postWindows(c: Collector, windows: unknown[]): Promise<Response> {
  return post(c, { windows });
}
async function storedIds(c: Collector): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0; ;) {
    const r = (await (await fetch(`${c.url}/v1/windows?limit=1000&after=${after}`)).json()) as {
      windows: WindowRecord[];
      next?: number;
    };
    ids.push(...r.windows.map((w) => w.windowId));
    if (r.next === undefined) return ids;
    after = r.next;
  }
}

describe('SQLite writer worker', () => {
  it('property: packed batches unpack to the same rows (any text, any split into requests)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const row = fc.record({
      windowId: text,
      deviceId: text,
      model: text,
      version: text,
      start: fc.double({ noNaN: true }),
      end: fc.double({ noNaN: true }),
      json: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
    });
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 4 }), { maxLength: 4 }), (batches) => {
        const records = batches.map((rows) =>
          rows.map((r) => {
            const rec = makeRecord(0, { deviceId: r.deviceId, model: r.model, version: r.version });
            rec.windowId = r.windowId;
            rec.start = r.start;
            rec.end = r.end;
            return rec;
          }),
        );
        expect(unpackBatches(packBatches(records))).toEqual(
          records.map((rows) => rows.map(insertRowOf)),
        );
      }),
    );
  });

  it('stores every window once under concurrent requests, with the same answers as the main-thread writer', async () => {
    const answers: Record<string, unknown[]> = {};
    for (const writer of ['worker', 'main'] as const) {
      const c = await start({ rateLimit: false, dbPath: tempDb(), sqliteWriter: writer });
      const batches = Array.from({ length: 40 }, (_, b) =>
        Array.from({ length: 5 }, (_, i) => makeRecord(b * 5 + i, { deviceId: `d${b % 7}` })),
      );
      const first = await Promise.all(batches.map((w) => postWindows(c, w)));
      expect(first.map((r) => r.status)).toEqual(batches.map(() => 200));
      // Resent (duplicates), one window altered under a stored id (conflict), and new ones.
      const altered = { ...batches[3]![0]!, counters: { predictions: 999 } };
      const fresh = [makeRecord(1000), makeRecord(1001)];
      const second = await Promise.all([
        postWindows(c, batches[0]!),
        postWindows(c, [altered, fresh[0]]),
        postWindows(c, [fresh[1], batches[1]![2]]),
      ]);
      answers[writer] = await Promise.all(
        second.map(async (r) => [r.status, ((await r.json()) as { error?: string }).error ?? '']),
      );
      const ids = await storedIds(c);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(
        new Set([...batches.flat(), fresh[1]!].map((w) => w.windowId.toLowerCase())),
      );
      // Each committed window was folded into the aggregates once.
      expect(c.stats()).toMatchObject({ windows: ids.length, accepted: ids.length });
    }
    expect(answers.worker).toEqual(answers.main);
    expect(answers.worker!.map((a) => (a as unknown[])[0])).toEqual([200, 409, 200]);
  });

  it('keeps serving while a commit waits for the write lock; the commit completes once the lock is released', async () => {
    const path = tempDb();
    const c = await start({ rateLimit: false, dbPath: path, sqliteWriter: 'worker', snapshotIntervalMs: 0 });
    const w = makeRecord(1);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const pending = postWindows(c, [w]);
    try {
      // Answered while the commit waits (on the main thread, the wait would block this answer).
      expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await pending).status).toBe(200);
    expect(await storedIds(c)).toEqual([w.windowId.toLowerCase()]);
  }, 20_000);

  for (const writer of ['worker', 'main'] as const)
    it(`answers 503 (typed, counted) when the write lock is held past the busy timeout (${writer} writer), and a retry stores the window once`, async () => {
      const path = tempDb();
      const c = await start({ rateLimit: false, dbPath: path, sqliteWriter: writer, snapshotIntervalMs: 0 });
      const w = makeRecord(1);
      // Another connection holds the write lock past the busy timeout (5 s).
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      let res: Response;
      try {
        res = await postWindows(c, [w]);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(((await res.json()) as { error: string }).error).toMatch(
        /storage unavailable.*locked/,
      );
      expect(c.stats().rejected.storage).toBe(1);
      expect((await postWindows(c, [w])).status).toBe(200);
      expect(await storedIds(c)).toEqual([w.windowId.toLowerCase()]);
    }, 20_000);

  it('rejects commits with a StorageError when the worker cannot open its database, and after close', async () => {
    const dir = tempDir('ew-writer-');
    const writer = new SqliteWriter(join(dir, 'missing', 'c.db'), {
      synchronous: 'full',
      remoteWriteQueue: false,
    });
    await expect(writer.addBatches([[makeRecord(1)]], Date.now())).rejects.toBeInstanceOf(
      StorageError,
    );
    await writer.close();
    await expect(writer.addBatches([[makeRecord(2)]], Date.now())).rejects.toThrow(/closed/);
  });

  it('reports the highest committed sequence number with each commit', async () => {
    const path = tempDb();
    new WindowDb(path).close();
    const writer = new SqliteWriter(path, { synchronous: 'normal', remoteWriteQueue: false });
    try {
      const a = await writer.addBatches([[makeRecord(1), makeRecord(2)], [makeRecord(3)]], 1);
      expect(a.results.map((r) => r.ok)).toEqual([true, true]);
      expect(a.lastSeq).toBe(3);
      const b = await writer.addBatches([[makeRecord(4)]], 2);
      expect(b.lastSeq).toBe(4);
    } finally {
      await writer.close();
    }
    const db = new WindowDb(path);
    expect(db.count()).toBe(4);
    db.close();
  });

  it('commits posted together are answered in order, each with its own results and ingest time', async () => {
    const path = tempDb();
    new WindowDb(path).close();
    const writer = new SqliteWriter(path, { synchronous: 'full', remoteWriteQueue: false });
    const records = Array.from({ length: 30 }, (_, i) => makeRecord(i));
    const order: number[] = [];
    let answers: Awaited<ReturnType<SqliteWriter['addBatches']>>[] = [];
    try {
      answers = await Promise.all(
        Array.from({ length: 10 }, (_, k) =>
          writer
            .addBatches(
              [records.slice(k * 3, k * 3 + 2), [records[k * 3 + 2]!, records[0]!]],
              1000 + k,
            )
            .then((a) => {
              order.push(k);
              return a;
            }),
        ),
      );
      expect(order).toEqual([...order].sort((a, b) => a - b));
      answers.forEach((a, k) => {
        expect(a.results).toEqual([
          { ok: true, outcomes: ['new', 'new'] },
          { ok: true, outcomes: ['new', 'duplicate'] },
        ]);
        if (k > 0) expect(a.lastSeq).toBeGreaterThanOrEqual(answers[k - 1]!.lastSeq);
      });
    } finally {
      await writer.close();
    }
    const db = new WindowDb(path);
    const rows = db.rowsAfter(0, 100);
    db.close();
    // Every stored row is covered by the last answer's sequence number.
    expect(answers[9]!.lastSeq).toBeGreaterThanOrEqual(rows[rows.length - 1]!.seq);
    expect(rows.map((r) => [(r.record as WindowRecord).windowId, r.receivedMs])).toEqual(
      records.map((r, i) => [r.windowId, 1000 + Math.floor(i / 3)]),
    );
  });
});
