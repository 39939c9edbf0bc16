/**
 * Errors that keep their class and `code` across the worker boundary.
 *
 * Comlink's built-in `'throw'` handler turns every thrown error into a plain
 * `Error` on the other side, which loses `KernelError` / `code`. We replace that
 * handler (on both sides: the worker and the caller) with one that writes a
 * plain, structured-clone-safe record and rebuilds the edgewatch subclass from
 * its `name`. Unknown names become a plain `Error` with the same name/message.
 */
import { transferHandlers } from 'comlink';
import type { TransferHandler } from 'comlink';
import {
  ConfigError,
  DataError,
  EdgewatchError,
  KernelError,
  StorageError,
  TransportError,
} from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** Which edgewatch class an error is (decided with `instanceof`, not `name`: minifiers rename classes). */
export type ErrorKind =
  | 'ConfigError'
  | 'DataError'
  | 'KernelError'
  | 'StorageError'
  | 'TransportError'
  | 'EdgewatchError'
  | 'Error';

/** The wire form of an error: plain data only. */
export interface SerializedError {
  readonly kind?: ErrorKind | undefined;
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: string | undefined;
  readonly status?: number | undefined;
  readonly cause?: SerializedError | undefined;
}

/**
 * Converts any thrown value into its wire form.
 *
 * @param error - the thrown value (an `Error` or anything else).
 * @returns a plain record safe for `postMessage`.
 * @example
 * serializeError(new KernelError('bad handle', 'KERNEL')) // => { name: 'KernelError', code: 'KERNEL', … }
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: typeof error === 'string' ? error : String(error) };
  }
  const record = error as Error & { code?: unknown; status?: unknown };
  return {
    kind: kindOf(error),
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: typeof record.code === 'string' ? record.code : undefined,
    status: typeof record.status === 'number' ? record.status : undefined,
    cause:
      error.cause !== undefined && depth < 4 ? serializeError(error.cause, depth + 1) : undefined,
  };
}

/**
 * Rebuilds an error from its wire form with the right edgewatch class.
 *
 * @param data - the record produced by {@link serializeError}.
 * @returns an `EdgewatchError` subclass when `data.name` names one, else a plain `Error`.
 * @example
 * deserializeError(serializeError(new ConfigError('x'))) instanceof ConfigError // => true
 */
export function deserializeError(data: SerializedError): Error {
  const options = data.cause !== undefined ? { cause: deserializeError(data.cause) } : undefined;
  let error: Error;
  switch (data.kind ?? data.name) {
    case 'ConfigError':
      error = new ConfigError(data.message, options, data.code === 'CLOSED' ? 'CLOSED' : 'CONFIG');
      break;
    case 'DataError':
      error = new DataError(data.message, options);
      break;
    case 'KernelError':
      error = new KernelError(data.message, asKernelCode(data.code), options);
      break;
    case 'StorageError':
      error = new StorageError(
        data.message,
        data.code === 'STORAGE_QUOTA' ? 'STORAGE_QUOTA' : 'STORAGE',
        options,
      );
      break;
    case 'TransportError':
      error = new TransportError(data.message, data.status, options);
      break;
    case 'EdgewatchError':
      error = new EdgewatchError(data.message, (data.code ?? 'KERNEL') as ErrorCode, options);
      break;
    default:
      error = new Error(data.message, options);
      error.name = data.name;
  }
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

function kindOf(error: Error): ErrorKind {
  if (error instanceof ConfigError) return 'ConfigError';
  if (error instanceof DataError) return 'DataError';
  if (error instanceof KernelError) return 'KernelError';
  if (error instanceof StorageError) return 'StorageError';
  if (error instanceof TransportError) return 'TransportError';
  if (error instanceof EdgewatchError) return 'EdgewatchError';
  return 'Error';
}

function asKernelCode(code: string | undefined): 'KERNEL' | 'KERNEL_ABORT' | 'ENGINE_CLOSED' {
  return code === 'KERNEL_ABORT' || code === 'ENGINE_CLOSED' ? code : 'KERNEL';
}

let installed = false;

/**
 * Replaces Comlink's `'throw'` transfer handler with one that keeps error
 * classes and codes. Must run on both ends of a Comlink channel; idempotent.
 *
 * @returns nothing.
 * @example
 * installErrorTransfer(); // in worker.ts and in client.ts before wrap()
 */
export function installErrorTransfer(): void {
  if (installed) return;
  const builtin = transferHandlers.get('throw');
  if (builtin === undefined) return;
  // Comlink hands the handler `{ value, [throwMarker]: 0 }` for a thrown value;
  // its own canHandle knows the (unexported) marker, so we keep it.
  const handler: TransferHandler<{ value: unknown }, SerializedError> = {
    canHandle: (value: unknown): value is { value: unknown } => builtin.canHandle(value),
    serialize: ({ value }) => [serializeError(value), []],
    deserialize: (data) => {
      throw deserializeError(data);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  installed = true;
}
