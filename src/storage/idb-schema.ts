/**
 * The typed IndexedDB schema of edgewatch and its migrations. Every version
 * step only adds (stores, indexes); nothing is ever deleted, so an upgrade can
 * never lose a sealed window.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { DeadLetter, LogRow, OutboxEntry } from './backend.js';

/** Key in the `meta` store of the prediction log's count/bytes counter. */
export const LOG_COUNTER_KEY = 'log:counter';

/** Current database version. */
export const DB_VERSION = 2;

/** The database schema (idb's typed `DBSchema`). */
export interface EdgewatchDB extends DBSchema {
  /** Sealed windows waiting for delivery, keyed by an auto-increment `seq` (oldest first). */
  outbox: { key: number; value: OutboxEntry; indexes: { windowId: string } };
  /** Windows the backend refused for good (bounded). */
  dead: { key: number; value: DeadLetter; indexes: { windowId: string } };
  /** Counters, leader lease, settings. */
  meta: { key: string; value: { key: string; value: unknown } };
  /** The prediction log (bounded ring). */
  log: { key: number; value: LogRow };
}

/**
 * Brings any older database to {@link DB_VERSION}. Steps check what exists
 * rather than trusting `oldVersion` alone, so they are safe to re-run.
 *
 * @param db - the database in its versionchange transaction.
 * @param _oldVersion - the version on disk (0 when new); kept for future steps that must transform data.
 * @param tx - the versionchange transaction.
 */
export function migrate(
  db: IDBPDatabase<EdgewatchDB>,
  _oldVersion: number,
  tx: IDBPTransaction<EdgewatchDB, StoreNames<EdgewatchDB>[], 'versionchange'>,
): void {
  // Idempotent steps: create what is missing, never delete. (A database left
  // half-made by an older build, or by another library, is completed, not wiped.)
  // v1: the four stores.
  if (!db.objectStoreNames.contains('outbox'))
    db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
  if (!db.objectStoreNames.contains('dead'))
    db.createObjectStore('dead', { keyPath: 'seq', autoIncrement: true });
  if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
  if (!db.objectStoreNames.contains('log'))
    db.createObjectStore('log', { keyPath: 'seq', autoIncrement: true });
  // v2: look windows up by id (dedup on re-append, diagnostics). Additive only.
  for (const store of ['outbox', 'dead'] as const) {
    const os = tx.objectStore(store);
    if (!os.indexNames.contains('windowId'))
      os.createIndex('windowId', 'windowId', { unique: false });
  }
}
