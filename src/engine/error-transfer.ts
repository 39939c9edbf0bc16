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

/** Comlink's own `'throw'` handler, kept for the direction a side does not take over. */
let builtin: TransferHandler<unknown, unknown> | undefined;
/** This side's halves, once installed (undefined: Comlink's). */
let sendHalf: TransferHandler<{ value: unknown }, SerializedError>['serialize'] | undefined;
let receiveHalf: TransferHandler<{ value: unknown }, SerializedError>['deserialize'] | undefined;

/** Sets the `'throw'` handler from the installed halves and Comlink's for the rest. */
function setThrowHandler(): void {
  const own = builtin;
  if (own === undefined) return;
  // Comlink hands the handler `{ value, [throwMarker]: 0 }` for a thrown value;
  // its own canHandle knows the (unexported) marker, so we keep it.
  const handler: TransferHandler<unknown, unknown> = {
    canHandle: (value: unknown): value is unknown => own.canHandle(value),
    serialize: (sendHalf ?? own.serialize) as TransferHandler<unknown, unknown>['serialize'],
    deserialize: (receiveHalf ?? own.deserialize) as TransferHandler<
      unknown,
      unknown
    >['deserialize'],
  };
  transferHandlers.set('throw', handler);
}

/** Comlink's `'throw'` handler before any half replaced it; undefined when Comlink has none. */
function comlinkThrowHandler(): TransferHandler<unknown, unknown> | undefined {
  builtin ??= transferHandlers.get('throw');
  return builtin;
}

/**
 * The sending half: errors thrown on this side of a Comlink channel (the
 * worker's engine) cross as {@link SerializedError} records. The other side
 * must install {@link installErrorReceiver}. Kept apart from it so a worker
 * carries no error rebuilding and a page no error recording. Idempotent.
 *
 * @returns nothing.
 * @example installErrorSender(); // in a worker script, before expose()
 */
export function installErrorSender(): void {
  if (sendHalf !== undefined || comlinkThrowHandler() === undefined) return;
  sendHalf = ({ value }) => [serializeError(value), []];
  setThrowHandler();
}

/**
 * The receiving half: a {@link SerializedError} thrown by the other side of a
 * Comlink channel (which runs {@link installErrorSender}) is rebuilt as its
 * edgewatch class with its `code`. Idempotent.
 *
 * @returns nothing.
 * @example installErrorReceiver(); // in the engine client, before wrap()
 */
export function installErrorReceiver(): void {
  if (receiveHalf !== undefined || comlinkThrowHandler() === undefined) return;
  receiveHalf = (data) => {
    throw deserializeError(data);
  };
  setThrowHandler();
}

/**
 * Both halves ({@link installErrorSender} and {@link installErrorReceiver}), for
 * a realm that both exposes and calls over Comlink. Idempotent.
 *
 * @returns nothing.
 * @example
 * installErrorTransfer(); // then expose() and wrap() in the same realm
 */
export function installErrorTransfer(): void {
  installErrorSender();
  installErrorReceiver();
}
