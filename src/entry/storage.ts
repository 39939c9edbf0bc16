/**
 * `edgewatch/storage`: the device side of the outbox below `EdgeMonitor` —
 * the window store and its backends (IndexedDB, memory, a JSON file in Node),
 * the prediction log, the flusher, and the window record format with its
 * base64 sketch fields. `WindowStore` and `Flusher` are also exported from
 * `edgewatch`.
 */
export {
  WindowStore,
  PredictionLog,
  MemoryBackend,
  FileBackend,
  PREDICTION_CSV_COLUMNS,
} from '../storage/index.js';
export type {
  WindowStoreOptions,
  WindowStoreStats,
  AppendResult,
  StoreEvent,
  DropReason,
  PredictionLogOptions,
  StoreBackend,
  OutboxEntry,
  DeadLetter,
} from '../storage/index.js';
export { Flusher } from '../transport/index.js';
export type {
  FlusherOptions,
  FlusherEvent,
  FlushResult,
  LeaderMode,
  Clock,
} from '../transport/index.js';
export {
  WindowSealer,
  buildWindowRecord,
  validateWindowRecord,
  WINDOW_SCHEMA_VERSION,
  bytesToBase64,
  base64ToBytes,
} from '../window/index.js';
export type {
  WindowRecord,
  WindowParts,
  WindowSealerOptions,
  WindowDrift,
  WindowAlert,
  PredictionEntry,
} from '../window/index.js';
export { decodeSketch, encodeSketch } from '../kernel/sketch-format.js';
export type { DecodedSketch, DecodedSide } from '../kernel/sketch-format.js';
