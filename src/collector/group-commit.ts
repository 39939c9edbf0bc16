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
 *
 * Commits start at least a gap apart: a request arriving sooner after the last
 * commit started waits out the rest of the gap with those arriving meanwhile,
 * so at a steady trickle of requests each commit (its fsync, its WAL pages, its
 * message to the writer) is shared instead of paid per request. A request after
 * a quiet spell is committed in the next turn of the event loop.
 */
import type { WindowRecord } from '../window/window-record.js';
import type { CollectorStore } from './store.js';
import type { BatchResult } from './window-db.js';

/** Least time between the starts of two commits, ms (see the module notes). */
export const COMMIT_GAP_MS = 5;

/**
 * Creates the commit function for a store.
 *
 * @param store - the window store.
 * @param onCommitted - called once per commit, right after it, before any request is
 *   answered (the collector folds the new windows there, in commit order and with the
 *   ingest time stored with them); it must not throw.
 * @param gapMs - least time between the starts of two commits.
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
  gapMs = COMMIT_GAP_MS,
): (windows: readonly WindowRecord[]) => Promise<BatchResult> {
  let queue: Array<{
    windows: readonly WindowRecord[];
    resolve: (r: BatchResult) => void;
    reject: (e: unknown) => void;
  }> = [];
  let running = false;
  let startedAt = -Infinity;
  const commitQueued = async (batch: typeof queue): Promise<void> => {
    startedAt = performance.now();
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
  /** Time left of the gap since the last commit started, ms. */
  const gapLeft = (): number => startedAt + gapMs - performance.now();
  const run = async (): Promise<void> => {
    running = true;
    while (queue.length > 0) {
      const wait = gapLeft();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
        if (queue.length === 0) {
          const wait = gapLeft();
          if (wait > 0) setTimeout(post, wait);
          else setImmediate(post);
        }
      } else if (queue.length === 0 && !running) setImmediate(() => void run());
      queue.push({ windows, resolve, reject });
    });
}
