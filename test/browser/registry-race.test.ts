/** ModelRegistry in Chromium with two concurrent agents (workers, each like a tab) racing on one database. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModelRegistry } from '../../src/lifecycle/model-registry.js';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  message?: string;
}

class Tab {
  private readonly worker = new Worker(new URL('./registry-worker.ts', import.meta.url), {
    type: 'module',
  });
  private next = 0;
  private readonly pending = new Map<number, (r: Reply) => void>();
  constructor() {
    this.worker.onmessage = (ev: MessageEvent<Reply>) => {
      this.pending.get(ev.data.id)?.(ev.data);
      this.pending.delete(ev.data.id);
    };
  }
  call(op: string, db: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, op, db, ...extra });
    });
  }
  terminate(): void {
    this.worker.terminate();
  }
}

let a: Tab;
let b: Tab;
beforeAll(() => {
  a = new Tab();
  b = new Tab();
});
afterAll(() => {
  a.terminate();
  b.terminate();
});

const stamp = Date.now();

describe('ModelRegistry: two tabs racing on one IndexedDB database', () => {
  it('the same version registered at once by both: exactly one wins, nothing is overwritten', async () => {
    for (let round = 0; round < 15; round++) {
      const db = `ew-race-${stamp}-${round}`;
      await Promise.all([a.call('open', db), b.call('open', db)]);
      const [ra, rb] = await Promise.all([
        a.call('register', db, { version: '1', baseline: { accuracy: 0.97 } }),
        b.call('register', db, { version: '1', baseline: { accuracy: 0.5 } }),
      ]);
      const wins = [ra, rb].filter((r) => r.ok);
      expect(wins).toHaveLength(1);
      expect([ra, rb].find((r) => !r.ok)!.error).toBe('ConfigError');
      const page = await ModelRegistry.open({ name: db });
      expect(page.get('m', '1').baseline).toEqual(wins[0]!.value);
      page.close();
      await Promise.all([a.call('close', db), b.call('close', db)]);
    }
  });

  it('activate and remove of the same version at once: never a dangling active pointer', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 15; round++) {
      const db = `ew-race-act-${stamp}-${round}`;
      await a.call('open', db);
      await a.call('register', db, { version: '1' });
      await a.call('register', db, { version: '2' });
      await b.call('open', db);
      const [act, rem] = await Promise.all([
        a.call('setActive', db, { version: '2' }),
        b.call('remove', db, { version: '2' }),
      ]);
      // exactly one of them can succeed
      expect(act.ok !== rem.ok).toBe(true);
      outcomes.add(act.ok ? 'activated' : 'removed');
      const page = await ModelRegistry.open({ name: db });
      const active = page.get('m'); // throws on a dangling pointer
      expect(active.version).toBe(act.ok ? '2' : '1');
      expect(page.has('m', '2')).toBe(act.ok);
      page.close();
      await Promise.all([a.call('close', db), b.call('close', db)]);
    }
    // report which orders the scheduler produced (both are valid)
    console.log(`activate/remove race outcomes: ${[...outcomes].join(', ')}`);
  });

  it("an activation in one tab reaches the other tab's registry (BroadcastChannel)", async () => {
    const db = `ew-race-bc-${stamp}`;
    await a.call('open', db);
    await a.call('register', db, { version: '1' });
    await a.call('register', db, { version: '2' });
    const page = await ModelRegistry.open({ name: db });
    const seen: unknown[] = [];
    page.on('activate', (e) => seen.push(e));
    expect(page.getActive('m')?.version).toBe('1');
    const t0 = performance.now();
    await a.call('setActive', db, { version: '2' });
    await vi.waitFor(() => expect(page.getActive('m')?.version).toBe('2'), { timeout: 3000 });
    console.log(`activation seen by the other tab after ${(performance.now() - t0).toFixed(1)} ms`);
    expect(seen).toEqual([{ name: 'm', version: '2', previous: '1' }]);
    await b.call('open', db);
    expect((await b.call('active', db)).value).toBe('2');
    page.close();
    await Promise.all([a.call('close', db), b.call('close', db)]);
  });
});
