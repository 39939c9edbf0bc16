/**
 * `edgewatch/storage`: the device side of the outbox below `EdgeMonitor` —
 * the window store and its backends (IndexedDB, memory, a JSON file in Node),
 * the prediction log, the flusher, and the window record format with its
 * base64 sketch fields. `WindowStore` and `Flusher` are also exported from
 * `edgewatch`.
 */
// From the modules, not the folder index: the index re-exports the IndexedDB
// schema, whose types need the DOM library in a consumer's compile.
export * from '../storage/window-store.js';
export * from '../storage/prediction-log.js';
export * from '../storage/memory-backend.js';
export { FileBackend } from '../storage/file-backend.js';
export type { StoreBackend, OutboxEntry, DeadLetter } from '../storage/backend.js';
export * from '../transport/flusher.js';
export type { LeaderMode } from '../transport/leader.js';
export type { Clock } from '../transport/clock.js';
export { WindowSealer, buildWindowRecord } from '../window/window-sealer.js';
export type { WindowParts, WindowSealerOptions } from '../window/window-sealer.js';
export { validateWindowRecord, WINDOW_SCHEMA_VERSION } from '../window/window-record.js';
export type {
  WindowRecord,
  WindowDrift,
  WindowAlert,
  PredictionEntry,
} from '../window/window-record.js';
export { bytesToBase64, base64ToBytes } from '../window/base64.js';
export { decodeSketch, encodeSketch } from '../kernel/sketch-format.js';
export type { DecodedSketch, DecodedSide } from '../kernel/sketch-format.js';
