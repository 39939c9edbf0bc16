/**
 * The renderer's half: the page's monitor, with its engine in a Web Worker and
 * its windows in the page's IndexedDB outbox. Its flusher posts through the
 * preload bridge to the main process instead of over the network, so the page
 * needs no network access and no CSP exception for the collector.
 */
import { EdgeMonitor, type TableValues } from 'edgewatch';
import type { EdgewatchBridge } from './bridge.js';

/** A `fetch` that hands the flusher's batches to the main process. */
export function bridgeFetch(bridge: EdgewatchBridge): typeof fetch {
  return async (_url, init) => {
    const reply = await bridge.deliver(String(init?.body ?? ''));
    return new Response(reply.body, {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/**
 * Starts the page's monitor.
 *
 * @param bridge - `window.edgewatchBridge`, from the preload script.
 * @param reference - the model's training inputs (drift reference).
 * @param windowCount - predictions per window.
 * @returns the running monitor.
 */
export function startPageMonitor(
  bridge: EdgewatchBridge,
  reference: TableValues,
  windowCount = 1000,
): Promise<EdgeMonitor> {
  return EdgeMonitor.create({
    model: { name: 'classifier', version: '1' },
    deviceId: 'desktop-app',
    reference,
    drift: { method: 'ks', threshold: 1e-4 },
    windowCount,
    endpoint: {
      endpoint: 'ipc://edgewatch/v1/windows',
      fetch: bridgeFetch(bridge),
      intervalMs: 5_000,
    },
  });
}
