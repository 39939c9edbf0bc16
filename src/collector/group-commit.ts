/**
 * Group commit: ingest requests arriving in the same event-loop turn share one
 * SQLite transaction — one fsync under `synchronous = FULL` — and each request
 * is answered only after the transaction holding its windows committed. Each
 * request has its own savepoint inside it, so one failing request never fails
 * another.
 */
import type { WindowRecord } from '../window/window-record.js';
import type { BatchResult, WindowDb } from './window-db.js';

/**
 * Creates the commit function for a database.
 *
 * @param db - the window table.
 * @returns `commit(windows)`: resolves with the request's {@link BatchResult};
 *   rejects only when the shared commit itself failed.
 */
export function createGroupCommit(
  db: WindowDb,
): (windows: readonly WindowRecord[]) => Promise<BatchResult> {
  let queue: Array<{
    windows: readonly WindowRecord[];
    resolve: (r: BatchResult) => void;
    reject: (e: unknown) => void;
  }> = [];
  const run = (): void => {
    const batch = queue;
    queue = [];
    try {
      const results = db.addBatches(
        batch.map((b) => b.windows),
        Date.now(),
      );
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  };
  return (windows) =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(run);
      queue.push({ windows, resolve, reject });
    });
}
