/**
 * The flusher of an `EdgeMonitor` with an `endpoint`: it delivers the store's
 * windows and seals the open window on `pagehide` before the keepalive send.
 * `EdgeMonitor.create` loads this file (and the flusher with it) only when
 * `endpoint` is set.
 */
import type { WindowStore } from '../storage/window-store.js';
import { Flusher } from '../transport/flusher.js';
import type { EdgeEndpointOption } from './edge-monitor-options.js';

/**
 * Builds the flusher (not started).
 *
 * @param endpoint - the ingest URL or flusher options.
 * @param store - the monitor's store.
 * @param onError - the monitor's error event.
 * @param sealOnHide - seals the open window.
 * @returns the flusher.
 * @throws ConfigError on a bad endpoint or flusher option.
 * @example
 * sessionFlusher('http://127.0.0.1:9464/v1/windows', store, console.error, () => monitor.sealWindow());
 */
export function sessionFlusher(
  endpoint: EdgeEndpointOption,
  store: WindowStore,
  onError: (e: unknown) => void,
  sealOnHide: () => Promise<unknown>,
): Flusher {
  const fo = typeof endpoint === 'string' ? { endpoint } : endpoint;
  return new Flusher({
    ...fo,
    store,
    onError: (e) => {
      fo.onError?.(e);
      onError(e);
    },
    onHide: async () => {
      await fo.onHide?.();
      await sealOnHide();
    },
  });
}
