/** WindowStore on Chromium's real IndexedDB. */
import { describe, expect, it } from 'vitest';
import { WindowStore, type StoreEvent } from '../../src/storage/window-store.js';
import { jsonBytes } from '../../src/storage/backend.js';
import { makeRecord } from '../window/make-record.js';

let n = 0;
const name = (): string => `ew-browser-${Date.now()}-${n++}`;

describe('WindowStore in Chromium (real IndexedDB)', () => {
  it('round trips windows durably across close and reopen', async () => {
    const db = name();
    const a = await WindowStore.open({ name: db });
    expect(a.kind).toBe('indexeddb');
    expect(a.degraded).toBe(false);
    const recs = Array.from({ length: 20 }, (_, i) => makeRecord(i));
    for (const r of recs) expect((await a.append(r)).stored).toBe(true);
    const first = await a.peek(5);
    await a.remove(first.map((e) => e.seq));
    await a.predictionLog.append([
      { ts: 1, output: 0.5 },
      { ts: 2, output: 0.7 },
    ]);
    await a.close();
    const b = await WindowStore.open({ name: db });
    expect((await b.peek(100)).map((e) => e.record)).toEqual(recs.slice(5));
    expect(await b.predictionLog.toNdjson()).toBe('{"ts":1,"output":0.5}\n{"ts":2,"output":0.7}\n');
    const st = await b.stats();
    expect(st.outbox.count).toBe(15);
    expect(st.estimate?.quota ?? 1).toBeGreaterThan(0);
    await b.close();
  });

  it('quota policy: QuotaExceededError drops the new window, counts it, keeps the stored ones', async () => {
    let failures = 0;
    const events: StoreEvent[] = [];
    const s = await WindowStore.open({
      name: name(),
      onEvent: (e) => events.push(e),
      idb: {
        beforeWrite: (store) => {
          if (store === 'outbox' && failures-- > 0)
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
      },
    });
    const recs = Array.from({ length: 3 }, (_, i) => makeRecord(i));
    for (const r of recs) await s.append(r);
    failures = 1000; // a quota error that does not go away
    for (let i = 10; i < 15; i++)
      expect(await s.append(makeRecord(i))).toMatchObject({ stored: false, reason: 'quota' });
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(recs.map((r) => r.windowId));
    expect(await s.drops()).toEqual({ quota: 5 });
    expect(
      events.filter((e) => e.type === 'drop').map((e) => (e as { count: number }).count),
    ).toEqual([1, 1, 1, 1, 1]);
    failures = 0;
    expect(await s.append(makeRecord(20))).toEqual({ stored: true, evicted: 0 });
    await s.close();
  });

  it('byte cap evicts oldest first on real IndexedDB', async () => {
    const size = jsonBytes(makeRecord(0));
    const s = await WindowStore.open({ name: name(), maxBytes: size * 2 + 10 });
    const recs = Array.from({ length: 5 }, (_, i) => makeRecord(i));
    for (const r of recs) await s.append(r);
    expect((await s.peek(10)).map((e) => e.windowId)).toEqual(recs.slice(3).map((r) => r.windowId));
    expect(await s.drops()).toEqual({ cap_bytes: 3 });
    await s.close();
  });
});
