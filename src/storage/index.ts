/** The storage layer: the durable outbox, dead letters, meta and the prediction log. */
export { WindowStore } from './window-store.js';
export type {
  WindowStoreOptions,
  WindowStoreStats,
  AppendResult,
  StoreEvent,
  DropReason,
} from './window-store.js';
export { PredictionLog, PREDICTION_CSV_COLUMNS } from './prediction-log.js';
export type { PredictionLogOptions } from './prediction-log.js';
export { MemoryBackend } from './memory-backend.js';
export type { MemoryBackendOptions } from './memory-backend.js';
export { FileBackend } from './file-backend.js';
export { defaultDataDir } from './data-dir.js';
export { IdbBackend } from './idb-backend.js';
export type { IdbBackendOptions } from './idb-backend.js';
export { DB_VERSION } from './idb-schema.js';
export type { EdgewatchDB } from './idb-schema.js';
export type { StoreBackend, OutboxEntry, DeadLetter, LogRow, StoreStats } from './backend.js';
