/**
 * Flusher in Chromium: Web Locks election, BroadcastChannel notices, pagehide
 * keepalive, and real redirects from the page's own server (never delivery).
 */
import { describe, expect, it } from 'vitest';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher } from '../../src/transport/flusher.js';
import { makeRecord } from '../window/make-record.js';

type Call = { ids: string[]; keepalive: boolean };
function recorder(status = 200) {
  const calls: Call[] = [];
  const fetch = (async (_u: string, init: RequestInit) => {
    const ids = (
      JSON.parse(init.body as string) as { windows: { windowId: string }[] }
    ).windows.map((w) => w.windowId);
    calls.push({ ids, keepalive: init.keepalive === true });
    return new Response('{}', { status });
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

describe('Flusher in Chromium', () => {
  it('three contexts on one store: exactly one leader (Web Locks), handed over when it stops', async () => {
    const db = `ew-lead-${Date.now()}`;
    const stores = await Promise.all([0, 1, 2].map(() => WindowStore.open({ name: db })));
    const recs = stores.map(() => recorder());
    const fl = stores.map(
      (store, i) =>
        new Flusher({
          store,
          endpoint: 'http://127.0.0.1:9/v1/windows',
          fetch: recs[i]!.fetch,
          intervalMs: 60_000,
        }),
    );
    fl.forEach((f) => f.start());
    await expect.poll(() => fl.filter((f) => f.isLeader).length).toBe(1);
    const leaderIdx = fl.findIndex((f) => f.isLeader);
    // A seal in a follower context reaches the leader through BroadcastChannel.
    const follower = (leaderIdx + 1) % 3;
    const r = makeRecord(1);
    await stores[follower]!.append(r);
    await expect.poll(() => recs[leaderIdx]!.calls.flatMap((c) => c.ids)).toContain(r.windowId);
    expect(recs[follower]!.calls).toEqual([]);
    await fl[leaderIdx]!.stop();
    await expect.poll(() => fl.filter((f) => f.isLeader).length).toBe(1);
    expect(fl[leaderIdx]!.isLeader).toBe(false);
    for (const f of fl) await f.stop();
    for (const s of stores) await s.close();
  });

  it('pagehide: seals via onHide and sends one keepalive batch without deleting it', async () => {
    const store = await WindowStore.open({ name: `ew-hide-${Date.now()}` });
    const rec = recorder(503); // the normal flush keeps failing: the outbox holds the windows
    const sealedOnHide = makeRecord(2);
    const f = new Flusher({
      store,
      endpoint: 'http://127.0.0.1:9/v1/windows',
      fetch: rec.fetch,
      intervalMs: 60_000,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      onHide: async () => void (await store.append(sealedOnHide)),
    });
    await store.append(makeRecord(1));
    f.start();
    await expect.poll(() => rec.calls.length).toBeGreaterThan(0);
    window.dispatchEvent(new Event('pagehide'));
    await expect.poll(() => rec.calls.some((c) => c.keepalive)).toBe(true);
    const ka = rec.calls.find((c) => c.keepalive)!;
    expect(ka.ids).toContain(sealedOnHide.windowId);
    expect((await store.stats()).outbox.count).toBe(2); // nothing deleted by the keepalive send
    await f.stop();
    await store.close();
  });

  it('online event: skips the backoff and flushes at once', async () => {
    const store = await WindowStore.open({ name: `ew-online-${Date.now()}` });
    let status = 503;
    const calls: number[] = [];
    const fetch = (async () => {
      calls.push(status);
      return new Response('{}', { status });
    }) as unknown as typeof globalThis.fetch;
    const f = new Flusher({
      store,
      endpoint: 'http://127.0.0.1:9/v1/windows',
      fetch,
      intervalMs: 60_000,
      backoff: { baseMs: 600_000, maxMs: 600_000 },
      random: () => 0.99,
    });
    await store.append(makeRecord(1));
    f.start();
    await expect.poll(() => calls.length).toBe(1);
    status = 200;
    await store.append(makeRecord(2)); // a seal during backoff does not bypass it
    await new Promise((r) => setTimeout(r, 200));
    expect(calls.length).toBe(1);
    window.dispatchEvent(new Event('online'));
    await expect.poll(async () => (await store.stats()).outbox.count).toBe(0);
    expect(calls).toEqual([503, 200]);
    await f.stop();
    await store.close();
  });

  it('a real 301/302/307/308 from the server is never delivery: the windows stay, the target gets nothing', async () => {
    // Clear the sink's log.
    await fetch('/__ew/sink-log');
    for (const code of [301, 302, 307, 308]) {
      const store = await WindowStore.open({ name: `ew-redirect-${code}-${Date.now()}` });
      const recs = [makeRecord(code), makeRecord(code + 1)];
      for (const r of recs) await store.append(r);
      const events: string[] = [];
      const errors: string[] = [];
      const f = new Flusher({
        store,
        endpoint: `${location.origin}/__ew/redirect/${code}`,
        intervalMs: 60_000,
        onEvent: (e) => events.push(e.type),
        onError: (e) => errors.push(e instanceof Error ? e.message : String(e)),
      });
      const result = await f.flush({ force: true });
      expect(result.delivered, `HTTP ${code}`).toBe(0);
      expect(result.deadLettered, `HTTP ${code}`).toBe(0);
      expect(result.retryInMs, `HTTP ${code}`).toBeGreaterThan(0);
      expect(events).not.toContain('delivered');
      expect((await store.stats()).outbox.count, `HTTP ${code}`).toBe(2);
      // The browser hides a manual redirect's target (opaqueredirect): nothing reached it.
      expect(await (await fetch('/__ew/sink-log')).json(), `HTTP ${code}`).toEqual([]);
      await f.close();
      await store.close();
    }
  });
});
