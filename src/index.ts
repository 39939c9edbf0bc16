/**
 * edgewatch — model monitoring inside the process that runs the model.
 * Public entry point. Every export is listed by name (no `export *`).
 */

// ---- errors ---------------------------------------------------------------------
export {
  EdgewatchError,
  ConfigError,
  DataError,
  KernelError,
  StorageError,
  TransportError,
} from './errors.js';
export type { ErrorCode } from './errors.js';

// ---- kernel & engine (issue 2) ------------------------------------------------

// ---- latency & metrics collector (issue 2) --------------------------------------

// ---- drift (issue 3) ------------------------------------------------------------

// ---- performance, alerts, retraining (issue 4) ---------------------------------

// ---- prometheus & OTLP export (issue 5) ------------------------------------------

// ---- storage, transport (issue 6) ------------------------------------------------

// ---- model lifecycle (issue 9) ----------------------------------------------------
