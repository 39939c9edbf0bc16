/** A resource a whole test file shares: an engine, a worker, a server. */
import { afterAll, beforeAll } from 'vitest';
import {
  createEngine,
  type CreateEngineOptions,
  type EngineHandle,
} from '../../src/engine/client.js';

/**
 * Registers the hooks (call at the top level of a test file): `open()` runs
 * in beforeAll and its result is handed to `set`, for the file's own
 * variable; it is closed in afterAll.
 *
 * @example
 * let engine: EngineHandle;
 * perFile(() => createEngine({ mode: 'inline' }), (e) => (engine = e));
 */
export function perFile<T extends { close(): unknown }>(
  open: () => Promise<T>,
  set: (value: T) => void,
): void {
  let value: T | undefined;
  beforeAll(async () => {
    value = await open();
    set(value);
  });
  afterAll(() => value?.close());
}

/** {@link perFile} for an engine created with `options`. */
export function useEngine(
  options: CreateEngineOptions | undefined,
  set: (engine: EngineHandle) => void,
): void {
  perFile(() => createEngine(options), set);
}
