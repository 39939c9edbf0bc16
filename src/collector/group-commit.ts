/**
 * Group commit: ingest requests arriving in the same event-loop turn share one
 * SQLite transaction — one fsync under `synchronous = FULL` — and each request
 * is answered only after the transaction holding its windows committed.
 */
import type { WindowRecord } from '../window/window-record.js';
import type { WindowDb } from './window-db.js';

/**
 * Creates the commit function for a database.
 *
 * @param db - the window table.
 * @returns `commit(windows)`: resolves per window with true (new) or false (duplicate).
 */
export function createGroupCommit(db: WindowDb): (windows: WindowRecord[]) => Promise<boolean[]> {
  let queue: Array<{
    windows: WindowRecord[];
    resolve: (fresh: boolean[]) => void;
    reject: (e: unknown) => void;
  }> = [];
  const run = (): void => {
    const batch = queue;
    queue = [];
    try {
      const fresh = db.add(
        batch.flatMap((b) => b.windows),
        Date.now(),
      );
      let i = 0;
      for (const b of batch) {
        b.resolve(fresh.slice(i, i + b.windows.length));
        i += b.windows.length;
      }
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
