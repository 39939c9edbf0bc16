/**
 * Starting the feature-profile service (profile-service.ts): in its own
 * worker (browsers by default) or in-process, behind the same awaited API
 * (`handle.api.prepare(…)`, `build`, `release`, `size`).
 */
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
