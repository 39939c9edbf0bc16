import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher, type FlusherOptions } from '../../src/transport/flusher.js';
import { batchKey } from '../../src/transport/batch.js';
import { ConfigError, TransportError } from '../../src/errors.js';
import { makeRecord } from '../window/make-record.js';
import { fakeBackend, type Step } from './fake-backend.js';
import { flusherOver } from './flusher-fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(k: number, script: Step[] = [], extra: Partial<FlusherOptions> = {}, pad = 0) {
  const be = fakeBackend([...script]);
  const f = await flusherOver(
    k,
    {
      endpoint: 'http://127.0.0.1:1/v1/windows',
      fetch: be.fetch,
      random: () => 0.999999,
      ...extra,
    },
    cleanup,
    pad,
  );
  return { ...f, be };
}

describe('Flusher', () => {
  it('rejects bad configuration', async () => {
    const store = await WindowStore.open({ backend: 'memory', persist: false });
    expect(() => new Flusher({ store, endpoint: 'not a url' })).toThrow(ConfigError);
    expect(() => new Flusher({ store: {} as never, endpoint: 'http://x/' })).toThrow(
      /expected store/,
    );
    expect(() => new Flusher({ store, endpoint: 'http://x/', intervalMs: 0 })).toThrow(
      /intervalMs/,
    );
    expect(() => new Flusher({ store, endpoint: 'http://x/', maxBatchBytes: 10 })).toThrow(
      /maxBatchBytes/,
    );
  });

  it('delivers in seal order in ≤ 60 KiB batches with Idempotency-Key and bearer token, then deletes', async () => {
    const { store, ids, be, flusher } = await setup(30, [], { token: 's3cret' }, 8000);
    const r = await flusher.flush();
    expect(r).toEqual({ delivered: 30, deadLettered: 0 });
    expect(be.stored).toEqual(ids);
    expect(be.calls.length).toBeGreaterThan(1);
    for (const c of be.calls) {
      expect(c.headers['idempotency-key']).toBe(batchKey(c.ids));
      expect(c.headers.authorization).toBe('Bearer s3cret');
    }
    expect((await store.stats()).outbox.count).toBe(0);
  });

  it('keeps everything on 5xx and schedules a full-jitter retry; the next cycle delivers', async () => {
    const { store, ids, be, flusher, events, errors } = await setup(3, [503], {
      backoff: { baseMs: 1000, maxMs: 300_000 },
    });
    const r = await flusher.flush();
    expect(r.delivered).toBe(0);
    expect(r.retryInMs).toBe(999);
    expect((await store.stats()).outbox.count).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'retry', status: 503, attempt: 1 });
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect((await flusher.flush()).skipped).toBe('backoff');
    expect(await flusher.flush({ force: true })).toEqual({ delivered: 3, deadLettered: 0 });
    expect(be.stored).toEqual(ids);
  });

  it('a retry timer that fires a moment before the deadline still retries', async () => {
    // Timers and Date.now() are separate clocks: Node may run a timer a
    // millisecond before Date.now() reaches the deadline it was set for.
    const earlyClock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number) => setTimeout(fn, Math.max(0, ms - 5)),
      clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    const { be, flusher, events } = await setup(2, [503, 503], {
      clock: earlyClock,
      intervalMs: 3_600_000,
      backoff: { minMs: 20, baseMs: 20, maxMs: 20 },
      random: () => 0.999999,
    });
    flusher.start();
    await expect.poll(() => be.stored.length, { timeout: 5000 }).toBe(2);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  it('calls a clock given as a class instance as a method (an HTTP-date Retry-After reads now())', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    class StepClock {
      private readonly t = t0;
      now(): number {
        return this.t;
      }
      setTimeout(fn: () => void, ms: number): unknown {
        return setTimeout(fn, ms);
      }
      clearTimeout(handle: unknown): void {
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      }
    }
    const retryAt = new Date(t0 + 7000).toUTCString();
    const { flusher } = await setup(1, [{ status: 503, headers: { 'retry-after': retryAt } }], {
      clock: new StepClock(),
    });
    expect((await flusher.flush()).retryInMs).toBe(7000);
  });

  it('grows the backoff ceiling on consecutive network failures and caps it', async () => {
    const { flusher } = await setup(1, ['network', 'network', 'network', 'network'], {
      backoff: { baseMs: 1000, maxMs: 5000 },
    });
    const delays = [];
    for (let i = 0; i < 4; i++) delays.push((await flusher.flush({ force: true })).retryInMs);
    expect(delays).toEqual([999, 1999, 3999, 4999]);
    expect(flusher.failures).toBe(4);
    expect((await flusher.flush({ force: true })).delivered).toBe(1);
    expect(flusher.failures).toBe(0);
  });

  it('honours Retry-After on 429 and 503', async () => {
    const { flusher } = await setup(1, [
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 503, headers: { 'retry-after': '2' } },
    ]);
    expect((await flusher.flush()).retryInMs).toBe(7000);
    expect((await flusher.flush({ force: true })).retryInMs).toBe(2000);
  });

  it('splits a batch on 413 until it fits, keeping order', async () => {
    const { ids, be, flusher } = await setup(9, [], {});
    be.script.push(
      ...Array.from({ length: 40 }, () => (got: string[]) => (got.length > 2 ? 413 : 200)),
    );
    expect(await flusher.flush()).toEqual({ delivered: 9, deadLettered: 0 });
    expect(be.stored).toEqual(ids);
  });

  it('isolates and dead-letters the one window a 4xx refuses; the rest is delivered', async () => {
    const { store, ids, be, flusher, events } = await setup(8);
    const bad = ids[5]!;
    be.script.push(
      ...Array.from({ length: 40 }, () => (got: string[]) => (got.includes(bad) ? 422 : 200)),
    );
    expect(await flusher.flush()).toEqual({ delivered: 7, deadLettered: 1 });
    expect(be.stored).toEqual(ids.filter((id) => id !== bad));
    const dead = await store.deadLetters();
    expect(dead.map((d) => d.windowId)).toEqual([bad]);
    expect(dead[0]!.status).toBe(422);
    expect(events.some((e) => e.type === 'dead_letter')).toBe(true);
  });

  it('retries 401/403 (misconfigured token) instead of dead-lettering', async () => {
    const { store, flusher } = await setup(2, [401, 403]);
    expect((await flusher.flush()).retryInMs).toBeGreaterThanOrEqual(0);
    expect((await flusher.flush({ force: true })).retryInMs).toBeGreaterThanOrEqual(0);
    expect((await store.stats()).outbox.count).toBe(2);
    expect((await store.stats()).dead.count).toBe(0);
  });

  it('started: flushes at start-up and on a new seal without waiting for the interval', async () => {
    const { store, be, flusher } = await setup(2, [], { intervalMs: 3_600_000 });
    flusher.start();
    await expect.poll(() => be.stored.length, { timeout: 2000 }).toBe(2);
    const r = makeRecord(99);
    await store.append(r);
    await expect.poll(() => be.stored.at(-1), { timeout: 2000 }).toBe(r.windowId);
    expect(flusher.isLeader).toBe(true);
  });

  it('a 204 is a delivery (regression: fast-check counterexample [204, split, 400], k = 2)', async () => {
    const { store, ids, be, flusher } = await setup(2, [
      204,
      (got: string[]) => (got.length > 1 ? 413 : 200),
      400,
    ]);
    expect(await flusher.flush()).toEqual({ delivered: 2, deadLettered: 0 });
    expect(be.stored).toEqual(ids);
    expect((await store.stats()).dead.count).toBe(0);
  });

  it('property: any mix of outcomes ends with every window delivered once or dead-lettered, in order', async () => {
    const step = fc.oneof(
      fc.constantFrom<Step>(200, 204, 500, 503, 408, 429, 'network', 413, 400),
      fc.constant<Step>((ids) => (ids.length > 1 ? 413 : 200)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.integer({ min: 1, max: 12 }),
        async (script, k) => {
          const { store, ids, be, flusher } = await setup(k, script);
          for (let i = 0; i < 200 && (await store.stats()).outbox.count > 0; i++)
            await flusher.flush({ force: true });
          expect((await store.stats()).outbox.count).toBe(0);
          const dead = (await store.deadLetters()).map((d) => d.windowId);
          const storedSet = new Set(be.stored);
          for (const d of dead) expect(storedSet.has(d)).toBe(false);
          expect(be.stored.length + dead.length).toBe(k);
          expect(be.stored).toEqual(ids.filter((id) => !dead.includes(id)));
          await flusher.stop();
          await store.close();
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('one flusher across contexts (IndexedDB lease)', () => {
  it('elects exactly one leader and hands over when it stops', async () => {
    const name = `lease-${Date.now()}`;
    const mk = async () => {
      const store = await WindowStore.open({ name, backend: 'indexeddb', persist: false });
      const be = fakeBackend();
      const f = new Flusher({
        store,
        endpoint: 'http://127.0.0.1:1/v1/windows',
        fetch: be.fetch,
        leader: 'lease',
        leaseMs: 300,
      });
      cleanup.push(async () => {
        await f.stop();
        await store.close();
      });
      return f;
    };
    const fs = [await mk(), await mk(), await mk()];
    fs.forEach((f) => f.start());
    await expect.poll(() => fs.filter((f) => f.isLeader).length, { timeout: 3000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(fs.filter((f) => f.isLeader).length).toBe(1);
    const leader = fs.find((f) => f.isLeader)!;
    await leader.stop();
    await expect.poll(() => fs.filter((f) => f.isLeader).length, { timeout: 3000 }).toBe(1);
    expect(leader.isLeader).toBe(false);
  });
});
