/** The window layer: the wire record, its validation and sealing. */
export { WINDOW_SCHEMA_VERSION, WINDOW_LIMITS, validateWindowRecord } from './window-record.js';
export type {
  WindowRecord,
  WindowDrift,
  WindowAlert,
  WindowAlertSeverity,
  PredictionEntry,
} from './window-record.js';
export { WindowSealer, buildWindowRecord, randomUuid } from './window-sealer.js';
export type { WindowParts, WindowSealerOptions } from './window-sealer.js';
export { bytesToBase64, base64ToBytes } from './base64.js';
