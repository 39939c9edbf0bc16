/**
 * The demo's outbox: edgewatch's durable `WindowStore` (IndexedDB) and its
 * `Flusher` to the collector, with the flush state in words for the page.
 */
import {
  Flusher,
  TransportError,
  WindowStore,
  type FlusherEvent,
  type WindowRecord,
} from '../src/index.js';
import type { DemoOutboxStatus } from './edgewatch-types.js';

/** Durable outbox of sealed windows, flushed to the collector. */
export interface OutboxPort {
  append(record: WindowRecord): Promise<void>;
  status(): Promise<DemoOutboxStatus>;
}

/**
 * Opens the outbox: edgewatch's `WindowStore` (IndexedDB) flushed by its `Flusher`.
 *
 * @param endpoint - the collector's ingest URL.
 * @param intervalMs - flush interval.
 * @param onError - background failures other than delivery (those are retried and shown).
 * @returns the outbox port.
 */
export async function createOutbox(
  endpoint: string,
  intervalMs: number,
  onError: (e: unknown) => void,
): Promise<OutboxPort> {
  const store = await WindowStore.open({ name: 'edgewatch-demo' });
  let sent = 0;
  let state = 'waiting for the first flush';
  let connected = false;
  const onEvent = (e: FlusherEvent): void => {
    const at = new Date().toLocaleTimeString([], { hour12: false });
    if (e.type === 'delivered') {
      sent += e.count;
      connected = true;
      state = `delivered ${e.count} window(s) at ${at} (HTTP ${e.status})`;
    } else if (e.type === 'retry') {
      connected = false;
      const why = e.status === undefined ? 'collector unreachable' : `HTTP ${e.status}`;
      state = `${why} — retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s (backoff)`;
    } else if (e.type === 'dead_letter') {
      state = `collector refused ${e.count} window(s): HTTP ${e.status} ${e.message}`;
    } else if (e.type === 'leader' && !e.isLeader) {
      state = 'another tab is flushing this outbox';
    }
  };
  const flusher = new Flusher({
    store,
    endpoint,
    intervalMs,
    onEvent,
    // Delivery failures are retried and shown in the outbox state (offline is a normal
    // mode here); anything else (storage, a bug) goes to the page's error list.
    onError: (e) => {
      if (!(e instanceof TransportError)) onError(e);
    },
  });
  flusher.start();
  return {
    append: async (record) => {
      await store.append(record);
    },
    status: async () => {
      const s = await store.stats();
      const dropped = Object.values(s.drops).reduce((a, b) => a + b, 0);
      const where =
        s.kind === 'indexeddb'
          ? 'IndexedDB'
          : `${s.kind}${s.degraded ? ' (IndexedDB unavailable)' : ''}`;
      return {
        queued: s.outbox.count,
        sent,
        dropped,
        state: `${state} · store: ${where}`,
        connected,
      };
    },
  };
}
