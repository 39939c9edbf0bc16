/**
 * Error classes of edgewatch. Every error carries a stable `code` so callers can
 * branch on it; the classes survive the worker boundary (see
 * `src/engine/error-transfer.ts`).
 *
 * Tiers (as in OpenTelemetry's SDK): constructors throw {@link ConfigError} on bad
 * configuration ("expected …, got …"); hot paths such as `record()` never throw
 * (they drop and count bad values); background loops report through `onError`.
 */

/** Codes used across the library. Extend as new failure kinds appear. */
export type ErrorCode =
  | 'CONFIG'
  | 'KERNEL'
  | 'KERNEL_ABORT'
  | 'ENGINE_CLOSED'
  | 'STORAGE'
  | 'STORAGE_QUOTA'
  | 'TRANSPORT'
  | 'DATA'
  | 'UNSUPPORTED'
  | 'TIMEOUT'
  | 'CLOSED';

/** Base class of every error edgewatch throws. */
export class EdgewatchError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  /**
   * @param message - what went wrong, phrased "expected …, got …" for bad input.
   * @param code - the stable code.
   * @param options - standard `ErrorOptions` (`cause`).
   */
  constructor(message: string, code: ErrorCode, options?: ErrorOptions) {
    super(message, options);
    // A fixed string per class: minifiers rename classes, so new.target.name would not survive.
    this.name = 'EdgewatchError';
    this.code = code;
  }
}

/**
 * Bad configuration or structural misuse of an API (thrown synchronously).
 * Code `CONFIG`, or `CLOSED` for use of a monitor, store or flusher after its
 * `close()` (message "<Class> is closed").
 */
export class ConfigError extends EdgewatchError {
  constructor(message: string, options?: ErrorOptions, code: 'CONFIG' | 'CLOSED' = 'CONFIG') {
    super(message, code, options);
    this.name = 'ConfigError';
  }
}

/**
 * The one error for use after `close()`, whatever the class.
 *
 * @param className - the closed object's class, e.g. `'PerformanceMonitor'`.
 * @returns a `ConfigError` with code `CLOSED` and message "<Class> is closed".
 * @example
 * if (this.closed) throw closedError('AlertSystem');
 */
export function closedError(className: string): ConfigError {
  return new ConfigError(`${className} is closed`, undefined, 'CLOSED');
}

/** Bad data handed to a statistic (empty sample, mixed types, mismatched columns). */
export class DataError extends EdgewatchError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'DATA', options);
    this.name = 'DataError';
  }
}

/** A failure inside a kernel, WASM `abort` included (`code` is `KERNEL_ABORT` then). */
export class KernelError extends EdgewatchError {
  constructor(
    message: string,
    code: 'KERNEL' | 'KERNEL_ABORT' | 'ENGINE_CLOSED' = 'KERNEL',
    options?: ErrorOptions,
  ) {
    super(message, code, options);
    this.name = 'KernelError';
  }
}

/** A failure of durable storage (IndexedDB, SQLite, file). */
export class StorageError extends EdgewatchError {
  constructor(
    message: string,
    code: 'STORAGE' | 'STORAGE_QUOTA' = 'STORAGE',
    options?: ErrorOptions,
  ) {
    super(message, code, options);
    this.name = 'StorageError';
  }
}

/** A failure delivering data to a backend. */
export class TransportError extends EdgewatchError {
  /** HTTP status when the backend answered, else undefined (network error). */
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, 'TRANSPORT', options);
    this.name = 'TransportError';
    this.status = status;
  }
}

/** Formats a value for "expected …, got …" messages without dumping huge arrays. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value)})`;
}
