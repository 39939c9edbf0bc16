/** A Flusher over a memory store holding `k` windows, as the flusher tests start. */
import { WindowStore } from '../../src/storage/window-store.js';
import { Flusher, type FlusherEvent, type FlusherOptions } from '../../src/transport/flusher.js';
import { makeRecord } from '../window/make-record.js';

/**
 * Stores windows 0..k-1 (each padded by `pad` characters when `pad` > 0) and
 * starts a Flusher with `options`, recording its events and errors; pushes its
 * stop and the store's close onto `cleanup`.
 */
export async function flusherOver(
  k: number,
  options: Omit<FlusherOptions, 'store'>,
  cleanup: Array<() => Promise<void>>,
  pad = 0,
) {
  const store = await WindowStore.open({ backend: 'memory', persist: false });
  const ids: string[] = [];
  for (let i = 0; i < k; i++) {
    const r = makeRecord(i, pad ? { pad } : {});
    ids.push(r.windowId);
    await store.append(r);
  }
  const events: FlusherEvent[] = [];
  const errors: unknown[] = [];
  const flusher = new Flusher({
    store,
    onEvent: (e) => events.push(e),
    onError: (e) => errors.push(e),
    ...options,
  });
  cleanup.push(async () => {
    await flusher.stop();
    await store.close();
  });
  return { store, ids, flusher, events, errors };
}
