/**
 * Starting the feature-profile service (profile-service.ts): in its own
 * worker (browsers by default) or in-process, behind the same awaited API
 * (`handle.api.prepare(…)`, `build`, `release`, `size`).
 */
import { transfer } from 'comlink';
import type { WindowColumns, WindowProfilesResult } from '../profile/window-profiler.js';
import type { ProfileService } from './profile-service.js';
import {
  startServiceEngine,
  type ServiceEngine,
  type ServiceEngineOptions,
} from './service-client.js';

/**
 * Starts the profile service.
 *
 * @param options - mode (`'auto'`: a worker in browsers, inline in Node) and start timeout.
 * @returns the handle; `close()` it when done.
 * @throws ConfigError for bad options; KernelError when `mode: 'worker'` cannot start its worker.
 * @example
 * const profiles = await createProfileEngine({ mode: 'worker' });
 * const id = await profiles.api.prepare([{ name: 'speed', kind: 'numeric', reference: speeds }], {});
 */
export function createProfileEngine(
  options: ServiceEngineOptions = {},
): Promise<ServiceEngine<ProfileService>> {
  // Loaded lazily: with a worker, the profile code never loads on the caller's thread.
  return startServiceEngine(
    options,
    'profiles',
    async () => new (await import('./profile-service.js')).ProfileService(),
  );
}

/**
 * Profiles one window in the service, moving the numeric columns' buffers
 * there (no copy in worker mode; the arrays are unusable here afterwards);
 * categorical columns are copied by structured clone.
 *
 * @param handle - the started service.
 * @param id - the profiler's id from `prepare`.
 * @param columns - the window's columns, owned by the caller.
 * @param invalid - per column, how many missing entries were values of the wrong type.
 * @returns the profile bytes, quality figures and their `performance` keys.
 * @throws KernelError for an unknown id or a closed service; DataError for a malformed column.
 * @example await profileWindow(handle, id, { speed: new Float64Array([1, 2]) }, {});
 */
export function profileWindow(
  handle: ServiceEngine<ProfileService>,
  id: number,
  columns: WindowColumns,
  invalid: Readonly<Record<string, number>>,
): Promise<WindowProfilesResult> {
  const buffers: ArrayBufferLike[] = [];
  for (const col of Object.values(columns))
    if (col instanceof Float64Array) buffers.push(col.buffer);
  // Typed without the DOM's `Transferable`, as in client.ts.
  const moved = transfer(columns, buffers as Parameters<typeof transfer>[1]);
  return handle.api.build(id, moved, { ...invalid });
}
