/**
 * Group commit: ingest requests waiting together share one store transaction —
 * one fsync under SQLite `synchronous = FULL`, one commit in PostgreSQL — and
 * each request is answered only after the transaction holding its windows
 * committed. Requests arriving while a commit is in flight wait for it and go
 * into the next one. Each request has its own savepoint inside the
 * transaction, so one failing request never fails another.
 *
 * A store that groups commits itself (`groupsCommits`: the SQLite writer
 * worker merges the commits waiting for it) gets the requests of each turn of
 * the event loop at once, without waiting for the commit in flight; it answers
 * commits in the order they came, so `onCommitted` still runs in commit order.
 */
import type { WindowRecord } from '../window/window-record.js';
import type { CollectorStore } from './store.js';
import type { BatchResult } from './window-db.js';

/**
 * Creates the commit function for a store.
 *
 * @param store - the window store.
 * @param onCommitted - called once per commit, right after it, before any request is
 *   answered (the collector folds the new windows there, in commit order and with the
 *   ingest time stored with them); it must not throw.
 * @returns `commit(windows)`: resolves with the request's {@link BatchResult};
 *   rejects only when the shared commit itself failed.
 */
export function createGroupCommit(
  store: Pick<CollectorStore, 'addBatches' | 'groupsCommits'>,
  onCommitted?: (
    batches: readonly (readonly WindowRecord[])[],
    results: readonly BatchResult[],
    receivedMs: number,
  ) => void,
): (windows: readonly WindowRecord[]) => Promise<BatchResult> {
  let queue: Array<{
    windows: readonly WindowRecord[];
    resolve: (r: BatchResult) => void;
    reject: (e: unknown) => void;
  }> = [];
  let running = false;
  const commitQueued = async (batch: typeof queue): Promise<void> => {
    try {
      const windows = batch.map((b) => b.windows);
      const receivedMs = Date.now();
      const results = await store.addBatches(windows, receivedMs);
      onCommitted?.(windows, results, receivedMs);
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  };
  const run = async (): Promise<void> => {
    running = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      await commitQueued(batch);
    }
    running = false;
  };
  // A store that groups commits gets what arrived in one turn of the event loop at
  // once, without waiting for the commit before it (it answers in order).
  const post = (): void => {
    const batch = queue;
    queue = [];
    void commitQueued(batch);
  };
  return (windows) =>
    new Promise((resolve, reject) => {
      if (store.groupsCommits) {
        if (queue.length === 0) setImmediate(post);
      } else if (queue.length === 0 && !running) setImmediate(() => void run());
      queue.push({ windows, resolve, reject });
    });
}
