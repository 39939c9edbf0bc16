import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDB } from 'idb';
import {
  WindowStore,
  type StoreEvent,
  type WindowStoreOptions,
} from '../../src/storage/window-store.js';
import { MemoryBackend } from '../../src/storage/memory-backend.js';
import { ConfigError, StorageError } from '../../src/errors.js';
import { jsonBytes } from '../../src/storage/backend.js';
import { makeRecord } from '../window/make-record.js';

let n = 0;
const dirs: string[] = [];
const stores: WindowStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Kind = 'memory' | 'indexeddb' | 'file';
function optionsFor(kind: Kind): () => WindowStoreOptions {
  const name = `t${Date.now()}-${n++}`;
  if (kind === 'file') {
    const d = mkdtempSync(join(tmpdir(), 'ew-store-'));
    dirs.push(d);
    return () => ({ name, path: join(d, 'outbox.json'), persist: false });
  }
  return () => ({ name, backend: kind, persist: false });
}
async function open(o: WindowStoreOptions): Promise<WindowStore> {
  const s = await WindowStore.open(o);
  stores.push(s);
  return s;
}

describe.each(['memory', 'indexeddb', 'file'] as Kind[])('WindowStore on %s', (kind) => {
  it('round trips windows in seal order and deletes only what it is told', async () => {
    const s = await open(optionsFor(kind)());
    expect(s.kind).toBe(kind);
    const recs = Array.from({ length: 5 }, (_, i) => makeRecord(i));
    for (const r of recs) expect(await s.append(r)).toEqual({ stored: true, evicted: 0 });
    const got = await s.peek(10);
    expect(got.map((e) => e.record)).toEqual(recs);
    expect(got.map((e) => e.bytes)).toEqual(recs.map((r) => jsonBytes(r)));
    await s.remove([got[1]!.seq, got[3]!.seq]);
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(
      [recs[0], recs[2], recs[4]].map((r) => r!.windowId),
    );
    expect((await s.peek(10, got[2]!.seq)).map((e) => e.windowId)).toEqual([recs[4]!.windowId]);
    const st = await s.stats();
    expect(st.outbox.count).toBe(3);
  });

  it('evicts oldest beyond the byte cap and by age, counting each reason', async () => {
    let now = 1_000_000;
    const size = jsonBytes(makeRecord(0));
    const events: StoreEvent[] = [];
    const s = await open({
      ...optionsFor(kind)(),
      maxBytes: size * 3 + 10,
      maxAgeMs: 50_000,
      now: () => now,
      onEvent: (e) => events.push(e),
    });
    const recs = Array.from({ length: 5 }, (_, i) => makeRecord(i));
    for (const r of recs) {
      await s.append(r);
      now += 1000;
    }
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(recs.slice(2).map((r) => r.windowId));
    expect(await s.drops()).toEqual({ cap_bytes: 2 });
    now += 60_000;
    await s.append(makeRecord(9));
    expect((await s.peek(10)).length).toBe(1);
    expect(await s.drops()).toEqual({ cap_bytes: 2, max_age: 3 });
    expect(events.filter((e) => e.type === 'drop').length).toBeGreaterThan(0);
  });

  it('refuses an oversize window, counted, nothing stored', async () => {
    const s = await open({ ...optionsFor(kind)(), maxRecordBytes: 2000 });
    const r = await s.append(makeRecord(1, { pad: 5000 }));
    expect(r).toEqual({ stored: false, evicted: 0, reason: 'oversize' });
    expect((await s.stats()).outbox.count).toBe(0);
    expect(await s.drops()).toEqual({ oversize: 1 });
  });

  it('dead letters are bounded and moved atomically', async () => {
    const s = await open({ ...optionsFor(kind)(), deadLetterCap: 2 });
    for (let i = 0; i < 4; i++) await s.append(makeRecord(i));
    const e = await s.peek(10);
    await s.deadLetter([e[0]!.seq], 'bad', 400);
    await s.deadLetter([e[1]!.seq, e[2]!.seq], 'worse', 422);
    const dead = await s.deadLetters();
    expect(dead.map((d) => d.windowId)).toEqual([e[1]!.windowId, e[2]!.windowId]);
    expect(dead[0]).toMatchObject({ reason: 'worse', status: 422 });
    expect((await s.peek(10)).map((x) => x.windowId)).toEqual([e[3]!.windowId]);
    expect(await s.drops()).toEqual({ dead_letter_cap: 1 });
  });

  if (kind !== 'memory') {
    it('keeps windows and drop counters across reopen', async () => {
      const o = optionsFor(kind);
      const a = await open({ ...o(), maxRecordBytes: 2000 });
      const r = makeRecord(3);
      await a.append(r);
      await a.append(makeRecord(4, { pad: 5000 }));
      await a.close();
      const b = await open(o());
      expect((await b.peek(10)).map((e) => e.record)).toEqual([r]);
      expect(await b.drops()).toEqual({ oversize: 1 });
    });
  }
});

describe('WindowStore policy', () => {
  it('a quota error drops the new window (counted) and keeps every stored one (memory quota)', async () => {
    const size = jsonBytes(makeRecord(0));
    const s = await open({
      backend: new MemoryBackend({ quotaBytes: size * 2 + 5 }),
      persist: false,
    });
    const recs = Array.from({ length: 4 }, (_, i) => makeRecord(i));
    const results = [];
    for (const r of recs) results.push(await s.append(r));
    expect(results.map((r) => r.stored)).toEqual([true, true, false, false]);
    expect(results.map((r) => r.evicted)).toEqual([0, 0, 0, 0]);
    expect(results[2]!.reason).toBe('quota');
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(
      recs.slice(0, 2).map((r) => r.windowId),
    );
    expect(await s.drops()).toEqual({ quota: 2 });
    // Once the flusher delivers, new windows fit again.
    await s.remove((await s.peek(10)).map((e) => e.seq));
    expect((await s.append(makeRecord(9))).stored).toBe(true);
  });

  it('a permanent quota error keeps the stored windows in the outbox (IndexedDB QuotaExceededError)', async () => {
    let full = false;
    const events: StoreEvent[] = [];
    const s = await open({
      name: `q${n++}`,
      backend: 'indexeddb',
      persist: false,
      onEvent: (e) => events.push(e),
      idb: {
        beforeWrite: (store) => {
          if (store === 'outbox' && full) throw new DOMException('full', 'QuotaExceededError');
        },
      },
    });
    const kept = [makeRecord(0), makeRecord(1), makeRecord(2)];
    for (const r of kept) await s.append(r);
    full = true;
    for (let i = 10; i < 20; i++) {
      const r = await s.append(makeRecord(i));
      expect(r.stored).toBe(false);
      expect(r.reason).toBe('quota');
    }
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(kept.map((r) => r.windowId));
    expect(await s.drops()).toEqual({ quota: 10 });
    expect(
      events.some(
        (e) =>
          e.type === 'error' && e.error instanceof StorageError && e.error.code === 'STORAGE_QUOTA',
      ),
    ).toBe(true);
  });

  it('falls back to memory and reports storage_degraded when IndexedDB cannot open', async () => {
    const saved = globalThis.indexedDB;
    const events: StoreEvent[] = [];
    (globalThis as any).indexedDB = undefined;
    try {
      const s = await open({ name: 'x', persist: false, onEvent: (e) => events.push(e) });
      expect(s.kind).toBe('memory');
      expect(s.degraded).toBe(true);
      expect(events[0]).toMatchObject({ type: 'storage_degraded' });
      await expect(WindowStore.open({ name: 'x', backend: 'indexeddb' })).rejects.toThrow(
        StorageError,
      );
    } finally {
      (globalThis as any).indexedDB = saved;
    }
  });

  it('falls back to memory when an old connection blocks the upgrade past the timeout', async () => {
    const name = `blk${n++}`;
    const old = await openDB(name, 1, {
      upgrade: (db) => void db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }),
    });
    const events: StoreEvent[] = [];
    try {
      const s = await open({
        name,
        persist: false,
        idb: { openTimeoutMs: 200 },
        onEvent: (e) => events.push(e),
      });
      expect(s.kind).toBe('memory');
      expect(s.degraded).toBe(true);
      expect((events[0] as { reason: string }).reason).toMatch(/blocked/);
      expect((await s.append(makeRecord(1))).stored).toBe(true);
    } finally {
      old.close();
    }
  });

  it('migrates a version-1 database without losing its windows', async () => {
    const name = `mig${n++}`;
    const rec = makeRecord(7);
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('dead', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('meta', { keyPath: 'key' });
        db.createObjectStore('log', { keyPath: 'seq', autoIncrement: true });
      },
    });
    await v1.add('outbox', {
      windowId: rec.windowId,
      sealedAt: 1,
      bytes: jsonBytes(rec),
      record: rec,
    });
    v1.close();
    const s = await open({ name, backend: 'indexeddb', persist: false });
    expect((await s.peek(5)).map((e) => e.record)).toEqual([rec]);
    const raw = await openDB(name);
    expect(raw.version).toBe(2);
    expect([...raw.transaction('outbox').store.indexNames]).toEqual(['windowId']);
    raw.close();
  });

  it('rejects bad options with ConfigError', async () => {
    await expect(WindowStore.open({ maxBytes: -1, backend: 'memory' })).rejects.toThrow(
      ConfigError,
    );
    await expect(WindowStore.open({ backend: 'sqlite' as never })).rejects.toThrow(
      /expected backend/,
    );
  });

  it('notifies seals to subscribers on the same name (BroadcastChannel across stores)', async () => {
    const name = `bc${n++}`;
    const a = await open({ name, backend: 'memory', persist: false });
    const b = await open({ name, backend: 'memory', persist: false });
    let local = 0;
    const remote = new Promise<void>((resolve) => b.onSealed(resolve));
    a.onSealed(() => local++);
    await a.append(makeRecord(1));
    await remote;
    expect(local).toBe(1);
  });

  it('property: the outbox equals a model of appends, removals and the byte cap', async () => {
    // Same-size records (fixed latencies: the sketch bytes vary with the values),
    // so "capWindows records fit" holds exactly for every record.
    const latency = [1, 2.5, 10];
    const size = jsonBytes(makeRecord(0, { latency }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant<'add'>('add'), fc.nat({ max: 5 })), { maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        async (ops, capWindows) => {
          const s = await WindowStore.open({
            backend: 'memory',
            persist: false,
            maxBytes: size * capWindows + 1,
          });
          const model: string[] = [];
          let capDrops = 0;
          let i = 0;
          for (const op of ops) {
            if (op === 'add') {
              const r = makeRecord(i++, { latency });
              await s.append(r);
              model.push(r.windowId);
              while (model.length > capWindows) {
                model.shift();
                capDrops++;
              }
            } else {
              const e = await s.peek(10);
              const victim = e[op];
              if (victim) {
                await s.remove([victim.seq]);
                model.splice(model.indexOf(victim.windowId), 1);
              }
            }
          }
          expect((await s.peek(100)).map((e) => e.windowId)).toEqual(model);
          expect((await s.drops()).cap_bytes ?? 0).toBe(capDrops);
          await s.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
