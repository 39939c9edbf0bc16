/**
 * The outbox panel: the monitor's `WindowStore` (IndexedDB) and its `Flusher`
 * to the collector, with the flush state in words for the page.
 */
import type { FlusherEvent, WindowStore } from '../src/index.js';

/** What the outbox panel shows. */
export interface DemoOutboxStatus {
  queued: number;
  sent: number;
  dropped: number;
  /** Flush state in words (delivered, retrying with backoff, refused, another tab flushing). */
  state: string;
  /** Whether the last delivery to the collector succeeded. */
  connected: boolean;
}

/** Follows the flusher's events (`onEvent`) and reads the store for the panel (`status`). */
export class OutboxStatus {
  private sent = 0;
  private state = 'waiting for the first flush';
  private connected = false;

  /** The flusher's event listener. */
  readonly onEvent = (e: FlusherEvent): void => {
    const at = new Date().toLocaleTimeString([], { hour12: false });
    if (e.type === 'delivered') {
      this.sent += e.count;
      this.connected = true;
      this.state = `delivered ${e.count} window(s) at ${at} (HTTP ${e.status})`;
    } else if (e.type === 'retry') {
      this.connected = false;
      const why = e.status === undefined ? 'collector unreachable' : `HTTP ${e.status}`;
      this.state = `${why} — retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s (backoff)`;
    } else if (e.type === 'dead_letter') {
      this.state = `collector refused ${e.count} window(s): HTTP ${e.status} ${e.message}`;
    } else if (e.type === 'leader' && !e.isLeader) {
      this.state = 'another tab is flushing this outbox';
    }
  };

  /**
   * @param store - the monitor's store.
   * @returns what the panel shows now.
   */
  async status(store: WindowStore): Promise<DemoOutboxStatus> {
    const s = await store.stats();
    const dropped = Object.values(s.drops).reduce((a, b) => a + b, 0);
    const where =
      s.kind === 'indexeddb'
        ? 'IndexedDB'
        : `${s.kind}${s.degraded ? ' (IndexedDB unavailable)' : ''}`;
    return {
      queued: s.outbox.count,
      sent: this.sent,
      dropped,
      state: `${this.state} · store: ${where}`,
      connected: this.connected,
    };
  }
}
